"""``History``: everything a run logged, per batch, per epoch, and every decision.

``fit`` always returns one (the instance passed in ``callbacks`` if any).
``history.history`` is Keras' dict of per-epoch lists; ``to_dataframe()``
and ``proposals_dataframe()`` give pandas frames; ``plot()`` a plotly figure.
pandas and plotly are imported only when those methods are called.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.events import (
    ApprovalResolved,
    DecisionTaken,
    Event,
    TrainEnd,
    flips_text,
    one_based,
)
from synalinks_nb.utils.logs import positional_rows

__all__ = ["History"]


class History(Callback):
    """Records logs per batch and per epoch, and every proposal's outcome.

    Attributes:
        history: ``{key: [value per epoch]}``, as in Keras.
        epoch: the epoch indices recorded.
        batches: one dict per training batch (``epoch``, ``batch`` and its logs).
        proposals: one dict per decision (accepted, edited or rejected, who
            decided and why, rewards before and after on the batch and, when
            confirmed, on validation: ``val_reward_before``/``val_reward_after``),
            and the samples it fixed and broke there (``batch_flips``, ``val_flips``:
            the first ones with both outputs, their counts, trace ids when traces
            were on).
        approval: the approval mode in effect and why.
        final_logs: the logs of the end of ``fit``: ``errors``, ``stopped_early``
            and, when proposals were confirmed on validation data,
            ``best_val_reward`` and ``restored_best``.

    Example:
        >>> h = History()
        >>> h.on_epoch_end(0, {"reward": 0.5})
        >>> h.history
        {'reward': [0.5]}
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}
        self.epoch: list[int] = []
        self.batches: list[dict[str, Any]] = []
        self.proposals: list[dict[str, Any]] = []
        self.approval: dict[str, str] = {}
        self.final_logs: dict[str, Any] = {}
        self._epoch = 0
        self._epoch_logs: list[dict[str, Any]] = []  # per epoch: keys may skip epochs

    def on_event(self, event: Event) -> None:
        if isinstance(event, DecisionTaken):
            row = {k: v for k, v in event.to_dict().items() if k not in ("logs", "seq", "kind")}
            self.proposals.append(row)
        elif isinstance(event, ApprovalResolved):
            self.approval = {"mode": event.mode, "reason": event.reason}
        elif isinstance(event, TrainEnd):
            self.final_logs = dict(event.logs)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.batches.append({"epoch": self._epoch, "batch": batch, **(logs or {})})

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.epoch.append(epoch)
        self._epoch_logs.append(dict(logs or {}))
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    @property
    def rejected(self) -> list[dict[str, Any]]:
        """The decisions that left the variable unchanged."""
        return [p for p in self.proposals if not p["accepted"]]

    def to_dataframe(self, level: str = "epoch") -> Any:
        """A pandas DataFrame of per-``"epoch"`` or per-``"batch"`` logs."""
        import pandas as pd

        if level == "batch":
            return pd.DataFrame(self.batches)
        if level != "epoch":
            raise ValueError(f"Expected level 'epoch' or 'batch'. Received: level={level!r}")
        frame = pd.DataFrame(self.epoch_logs())
        frame.insert(0, "epoch", self.epoch[: len(frame)] if len(frame) else [])
        return frame

    def epoch_logs(self) -> list[dict[str, Any]]:
        """One dict of logs per epoch. An epoch that skipped a key (``validation_freq``: the
        ``val_`` keys) lacks it, where ``history``'s shorter lists lose which epoch a value
        belongs to. When ``history`` was set by hand, its lists are read position by position.

        Example:
            >>> h = History()
            >>> h.on_epoch_end(0, {"reward": 0.5})
            >>> h.on_epoch_end(1, {"reward": 0.7, "val_reward": 0.6})
            >>> h.epoch_logs()
            [{'reward': 0.5}, {'reward': 0.7, 'val_reward': 0.6}]
        """
        rows = self._epoch_logs
        if len(rows) == len(self.epoch) and all(
                sum(key in row for row in rows) == len(values)
                for key, values in self.history.items()):
            return [dict(row) for row in rows]
        return positional_rows(self.history)

    def proposals_dataframe(self) -> Any:
        """A pandas DataFrame with one row per proposal decision."""
        import pandas as pd

        return pd.DataFrame(self.proposals)

    def plot(self, keys: list[str] | None = None) -> Any:
        """A plotly Figure of rewards/metrics per batch (lines) and per epoch (markers)."""
        import plotly.graph_objects as go

        fig = go.Figure()
        batch_x = list(range(1, len(self.batches) + 1))
        wanted = keys or [k for k in self.history if not k.endswith("errors")]
        for key in wanted:
            ys = [b.get(key) for b in self.batches]
            if any(y is not None for y in ys):
                fig.add_trace(go.Scatter(x=batch_x, y=ys, mode="lines", name=f"{key} (batch)"))
        per_epoch = len(self.batches) / max(1, len(self.epoch))
        for key in wanted:
            xs = [per_epoch * (i + 1) for i in range(len(self.history.get(key, [])))]
            fig.add_trace(go.Scatter(x=xs, y=self.history.get(key, []),
                                     mode="markers+lines", name=f"{key} (epoch)"))
        fig.update_layout(xaxis_title="batch", yaxis_title="value", template="plotly_white")
        return fig

    def __repr__(self) -> str:
        return (f"<History epochs={len(self.epoch)} batches={len(self.batches)} "
                f"proposals={len(self.proposals)}>")

    def _repr_html_(self) -> str:
        """Static HTML (GitHub, nbconvert): per-batch chart, per-epoch table, decisions."""
        from synalinks_nb.visualization.chart_svg import line_chart_svg
        from synalinks_nb.visualization.tables import cell_number as _fmt
        from synalinks_nb.visualization.tables import cell_text as _e
        from synalinks_nb.visualization.tables import html_table as _table

        keys = [k for k in self.history if not k.endswith("errors")] or ["reward"]
        curves = {
            key: [[i + 1, b[key]] for i, b in enumerate(self.batches) if _is_number(b.get(key))]
            for key in keys
        }
        approval = f" · approval: {_e(self.approval['mode'])}" if self.approval else ""
        out = [
            f"<div><strong>History</strong> · {len(self.epoch)} epoch(s) · "
            f"{len(self.batches)} batch(es) · {len(self.proposals)} decision(s){approval}</div>",
            line_chart_svg({k: v for k, v in curves.items() if v},
                           label="Per-batch values", legend=True),
        ]
        epoch_rows = [
            [_e(epoch)] + [_fmt(self.history[k][i] if i < len(self.history[k]) else None)
                           for k in self.history]
            for i, epoch in enumerate(self.epoch)
        ]
        out.append(_table("Per epoch", ["epoch", *self.history], epoch_rows))
        decision_rows = [
            [
                _e(d.get("variable_path", "")),
                _e(one_based(d.get("epoch") or 0)),
                _e(one_based(d.get("batch") or 0)),
                "edited" if d.get("edited") else "accepted" if d.get("accepted") else "rejected",
                _e(d.get("decided_by", "")),
                _fmt(d.get("reward_before")),
                _fmt(d.get("reward_after")),
                _e(flips_text(d)),
                _e(d.get("reason", "")),
            ]
            for d in self.proposals
        ]
        out.append(_table(
            "Decisions",
            ["variable", "epoch", "batch", "outcome", "decided by", "reward before",
             "reward after", "fixed · broken", "reason"],
            decision_rows,
        ))
        return "<div>" + "".join(out) + "</div>"


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)
