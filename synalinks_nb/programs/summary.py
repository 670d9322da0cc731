"""``program.summary()``: a plain-text table of modules, output schemas and variables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import ConfigError

__all__ = ["summary_text"]


def _schema_label(schema: Any) -> str:
    if schema is None:
        return "?"
    if isinstance(schema, list):
        return ", ".join(_schema_label(s) for s in schema)
    title = schema.get("title", "")
    keys = list(schema.get("properties", {}))
    return f"{title}{{{', '.join(keys)}}}" if keys else title or "object"


def summary_text(graph: dict[str, Any], title: str, trainable_count: int, *,
                 line_length: int | None = None, positions: Sequence[float] | None = None,
                 expand_nested: bool = True, show_trainable: bool = False,
                 module_range: Sequence[str] | None = None) -> str:
    """Render :func:`~synalinks_nb.programs.graph.describe_graph` output as a table.

    The keywords are :meth:`Program.summary`'s (Synalinks' and Keras' meaning).
    """
    header = ["Module (type)", "Output schema", "Trainable variables"]
    if show_trainable:
        header.append("Trainable")
    nodes = [n for n in graph["nodes"] if expand_nested or not n.get("parent")]
    rows = [tuple(header)] + [_row(n, show_trainable) for n in _in_range(nodes, module_range)]
    widths = _widths(rows, line_length, positions)

    def line(row: tuple[str, ...]) -> str:
        cells = [(c if len(c) <= w else c[: w - 1] + "…").ljust(w)
                 for c, w in zip(row, widths, strict=True)]
        return " │ ".join(cells).rstrip()

    rule = "─" * (sum(widths) + 3 * (len(widths) - 1))
    out = [f'Program: "{title}"', rule, line(rows[0]), rule]
    out += [line(r) for r in rows[1:]]
    total = len(graph["variables"])
    out += [rule, f"Variables: {total} (trainable: {trainable_count})"]
    return "\n".join(out)


def _row(node: dict[str, Any], show_trainable: bool) -> tuple[str, ...]:
    indent = "  " if node.get("parent") else ""
    variables = node["variables"] if node["trainable"] else []
    row = [f"{indent}{node['name']} ({node['type']})", _schema_label(node["output_schema"]),
           ", ".join(variables) or "-"]
    if show_trainable:
        row.append("Y" if node["trainable"] else "N")
    return tuple(row)


def _in_range(nodes: list[dict[str, Any]],
              module_range: Sequence[str] | None) -> list[dict[str, Any]]:
    """From the first node matching ``module_range[0]`` to the last matching ``[1]``."""
    if module_range is None:
        return nodes
    if isinstance(module_range, str) or len(module_range) != 2:
        raise ConfigError("Expected module_range to be a list or tuple of 2 strings (first and "
                          f"last module names or patterns). Received: {module_range!r}")
    first = [i for i, n in enumerate(nodes) if re.match(module_range[0], n["name"])]
    last = [i for i, n in enumerate(nodes) if re.match(module_range[1], n["name"])]
    if not first or not last:
        names = [n["name"] for n in nodes]
        raise ConfigError(f"Expected module_range to match module names. Received: "
                          f"{module_range!r}; the modules are {names}")
    return nodes[first[0]:last[-1] + 1]


def _widths(rows: list[tuple[str, ...]], line_length: int | None,
            positions: Sequence[float] | None) -> list[int]:
    """Column widths: fitted to the content, or cut from ``line_length`` at ``positions``.

    ``positions`` are the right edges of the columns, as fractions of ``line_length`` when
    all are at most 1, otherwise as absolute character positions (Keras' convention).
    """
    count = len(rows[0])
    if positions is None and line_length is None:
        return [min(max(len(r[i]) for r in rows), 60) for i in range(count)]
    length = line_length or 98
    edges = list(positions) if positions is not None else [
        (i + 1) / count for i in range(count)]
    if len(edges) != count or any(b <= a for a, b in zip([0.0, *edges], edges, strict=False)):
        raise ConfigError(f"Expected positions to be {count} increasing column edges. "
                          f"Received: positions={positions!r}")
    if edges[-1] <= 1:
        edges = [int(length * e) for e in edges]
    separators = 3 * (count - 1)
    ends = [int(e) for e in edges]
    widths = [b - a for a, b in zip([0, *ends], ends, strict=False)]
    widths[-1] -= separators  # the " │ " between columns come out of the total
    if min(widths) < 2:
        raise ConfigError(f"Expected line_length and positions to leave every column at least "
                          f"2 characters. Received: line_length={line_length}, "
                          f"positions={positions!r}")
    return widths
