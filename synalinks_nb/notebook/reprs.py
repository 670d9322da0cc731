"""Static HTML of the widgets, for frontends without a widget manager.

GitHub, nbconvert and a notebook saved without widget state render the
``text/html`` part of a widget's MIME bundle. These functions build it from
the same snapshot the widget syncs: plain tables and an inline SVG chart,
no scripts, no external resources, inline styles only where a table needs
them. They also hold the banner text shown when interactive approval is
unavailable, since it depends on the kernel and not on the widget.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from synalinks_nb.events import flips_text
from synalinks_nb.visualization.chart_svg import line_chart_svg
from synalinks_nb.visualization.tables import cell_number as _fmt
from synalinks_nb.visualization.tables import cell_text as _e
from synalinks_nb.visualization.tables import html_table as _table

__all__ = [
    "dashboard_html",
    "history_html",
    "reward_chart_svg",
    "unavailable_banner",
    "usage_table",
]



def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _e(text if len(text) <= limit else text[: limit - 1] + "…")


def reward_chart_svg(series: Mapping[str, Sequence[Sequence[float]]]) -> str:
    """An inline SVG line chart of the reward series (empty string when no points).

    Example:
        >>> svg = reward_chart_svg({"train_reward": [[1, 0.2], [2, 0.5]], "val_reward": []})
        >>> svg.startswith("<svg") and "polyline" in svg and "<script" not in svg
        True
        >>> reward_chart_svg({"train_reward": [], "val_reward": []})
        ''
    """
    lines = {name: series.get(name, []) for name in ("train_reward", "val_reward")}
    return line_chart_svg(lines, label="Reward per batch and epoch")


def _versions_rows(versions: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    return [
        [
            _e(v.get("variable_path", "")),
            _e(v.get("index", "")),
            _e(v.get("source", "")),
            _e(v.get("decided_by") or ""),
            _fmt(v.get("reward_before")),
            _fmt(v.get("reward_after")),
            _short(v.get("value")),
        ]
        for v in versions
    ]


_VERSION_HEAD = (
    "Variable",
    "Version",
    "Source",
    "Decided by",
    "Reward before",
    "Reward after",
    "Value",
)


_USAGE_COUNTS = ("calls", "prompt_tokens", "completion_tokens", "cache_hits")


def usage_table(usage: Mapping[str, Mapping[str, Any]]) -> str:
    """Usage per phase and in total, with the columns of the dashboard's view.

    Cache hits are calls answered from the disk cache (free); the view
    (``usageTable`` in ``js/training_dashboard.ts``) shows the same table.

    Example:
        >>> page = usage_table({"inference": {"calls": 3, "prompt_tokens": 30,
        ...     "completion_tokens": 9, "cost": 0.5, "cache_hits": 1},
        ...     "reward": {"calls": 1, "prompt_tokens": 5, "completion_tokens": 1,
        ...     "cost": 0.25, "cache_hits": 0}})
        >>> "<th>Cache hits</th>" in page
        True
        >>> page.split("<tr>")[-1]
        '<td>total</td><td>4</td><td>35</td><td>10</td><td>1</td><td>$0.7500</td></tr></tbody></table>'
    """
    if not usage:
        return ""
    total = dict.fromkeys(_USAGE_COUNTS, 0)
    total_cost = 0.0
    rows = []
    for phase, u in sorted(usage.items()):
        counts = [int(u.get(key, 0)) for key in _USAGE_COUNTS]
        for key, n in zip(_USAGE_COUNTS, counts, strict=True):
            total[key] += n
        cost = float(u.get("cost", 0.0))
        total_cost += cost
        rows.append([_e(phase), *(_e(f"{n:,}") for n in counts), f"${cost:.4f}"])
    rows.append(["total", *(_e(f"{total[k]:,}") for k in _USAGE_COUNTS), f"${total_cost:.4f}"])
    head = ("Phase", "Calls", "Prompt tok.", "Completion tok.", "Cache hits", "Cost")
    return _table("Usage", head, rows)


_PROPOSAL_HEAD = (
    "Variable",
    "Epoch",
    "Batch",
    "Reward before",
    "Reward after",
    "Validation before",
    "Validation after",
    "Fixed · broken",
    "Status",
    "Decided by",
    "Why this change",
)


def _proposal_rows(proposals: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    return [
        [
            _e(x["variable_path"]),
            _e(x["epoch"]),
            _e(x["batch"]),
            _fmt(x["reward_before"]),
            _fmt(x["reward_after"]),
            _fmt(x.get("val_reward_before")),
            _fmt(x.get("val_reward_after")),
            _e(flips_text(x)),
            _e(x["status"]),
            _e(x.get("decided_by") or ""),
            _short(x.get("rationale") or "", limit=400),
        ]
        for x in proposals
    ]


def dashboard_html(snapshot: Mapping[str, Any]) -> str:
    """The dashboard's snapshot traits as static HTML (status, chart, usage, proposals, versions).

    Example:
        >>> page = dashboard_html({"status": {"state": "done", "epoch": 2, "epochs": 2,
        ...     "batch": 3, "batches": 3}, "series": {"train_reward": [[1, 0.5]]},
        ...     "proposals": [], "versions": [], "usage": {}, "banner": ""})
        >>> "done" in page and "<svg" in page and "<script" not in page
        True
    """
    st = snapshot.get("status") or {}
    out = [
        f"<div><strong>Training</strong> · {_e(st.get('state', 'idle'))} · epoch "
        f"{_e(st.get('epoch', 0))}/{_e(st.get('epochs', 0))} · batch "
        f"{_e(st.get('batch', 0))}/{_e(st.get('batches', 0))}</div>"
    ]
    if snapshot.get("banner"):
        out.append(f"<p><em>{_e(snapshot['banner'])}</em></p>")
    out.append(reward_chart_svg(snapshot.get("series") or {}))
    out.append(usage_table(snapshot.get("usage") or {}))
    out.append(_table("Proposals", _PROPOSAL_HEAD,
                      _proposal_rows(snapshot.get("proposals") or [])))
    out.append(_table("Versions", _VERSION_HEAD, _versions_rows(snapshot.get("versions") or [])))
    return "<div>" + "".join(out) + "</div>"


def history_html(variables: Sequence[Mapping[str, Any]]) -> str:
    """VariableHistory's ``variables`` trait as static HTML: current value and versions.

    Example:
        >>> page = history_html([{"path": "gen/instructions", "value": {"a": 1},
        ...     "versions": [{"variable_path": "gen/instructions", "index": 0,
        ...                   "source": "init", "value": {"a": 1}}]}])
        >>> "gen/instructions" in page and "init" in page
        True
    """
    if not variables:
        return "<p>No trainable variables.</p>"
    out = []
    for var in variables:
        out.append(
            f"<h4><code>{_e(var['path'])}</code></h4><pre>"
            f"{_e(json.dumps(var.get('value'), indent=2, ensure_ascii=False))}</pre>"
        )
        out.append(_table("Versions", _VERSION_HEAD, _versions_rows(var.get("versions") or [])))
    return "<div>" + "".join(out) + "</div>"


def _ipykernel_version() -> tuple[int, ...] | None:
    try:
        from importlib.metadata import version

        return tuple(int(x) for x in version("ipykernel").split(".")[:2] if x.isdigit())
    except Exception:  # not installed, or an odd version string
        return None


def unavailable_banner(timeout: float) -> str:
    """What the dashboard says when its view did not answer the fit-start probe.

    Example:
        >>> "run_in_background" in unavailable_banner(3.0)
        True
    """
    head = (
        f"Interactive approval is unavailable: the dashboard view did not answer within "
        f"{timeout:g} s, so the fallback policy decides. "
    )
    kernel = _ipykernel_version()
    if kernel is not None and kernel < (7, 4):
        advice = (
            f"This kernel runs ipykernel {'.'.join(map(str, kernel))}, which does not "
            "deliver clicks while a cell awaits: install ipykernel>=7.4, or run "
            "`sn.notebook.run_in_background(program.fit(...))` so the cell returns."
        )
    else:
        advice = (
            "Display the dashboard (put `dash` on the last line of a cell) before calling "
            "fit, in a live notebook (headless runs never wait). On ipykernel<7.4 use "
            "`sn.notebook.run_in_background(program.fit(...))`."
        )
    return head + advice
