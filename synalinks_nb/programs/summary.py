"""``program.summary()``: a plain-text table of modules, output schemas and variables."""

from __future__ import annotations

from typing import Any

__all__ = ["summary_text"]


def _schema_label(schema: Any) -> str:
    if schema is None:
        return "?"
    if isinstance(schema, list):
        return ", ".join(_schema_label(s) for s in schema)
    title = schema.get("title", "")
    keys = list(schema.get("properties", {}))
    return f"{title}{{{', '.join(keys)}}}" if keys else title or "object"


def summary_text(graph: dict[str, Any], title: str, trainable_count: int) -> str:
    """Render :func:`~synalinks_nb.programs.graph.describe_graph` output as a table."""
    rows = [("Module (type)", "Output schema", "Trainable variables")]
    for node in graph["nodes"]:
        indent = "  " if node.get("parent") else ""
        variables = node["variables"] if node["trainable"] else []
        rows.append((f"{indent}{node['name']} ({node['type']})",
                     _schema_label(node["output_schema"]),
                     ", ".join(variables) or "-"))
    widths = [min(max(len(r[i]) for r in rows), 60) for i in range(3)]

    def line(row: tuple[str, str, str]) -> str:
        cells = [(c if len(c) <= w else c[: w - 1] + "…").ljust(w)
                 for c, w in zip(row, widths, strict=True)]
        return " │ ".join(cells).rstrip()

    rule = "─" * (sum(widths) + 6)
    out = [f'Program: "{title}"', rule, line(rows[0]), rule]
    out += [line(r) for r in rows[1:]]
    total = len(graph["variables"])
    out += [rule, f"Variables: {total} (trainable: {trainable_count})"]
    return "\n".join(out)
