"""Static SVG and HTML of a program graph: what GitHub and nbconvert show.

:func:`graph_to_svg` draws the layout of :mod:`synalinks_nb.visualization.layout`
as one self-contained inline ``<svg>``: presentation attributes only (no
``<style>``, no script, no external reference), so it survives GitHub's HTML
sanitiser and reads the same everywhere. :func:`graph_to_html` adds a table of
the nodes (and, optionally, the ``program.summary()`` text) underneath.

Output is deterministic: the same graph gives the same string, byte for byte,
so committed notebooks do not churn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from html import escape
from typing import Any

from synalinks_nb.visualization.graph_types import GraphDict, GraphNodeDict, normalize_graph
from synalinks_nb.visualization.layout import Box, GraphLayout, layout_graph

__all__ = ["graph_to_html", "graph_to_svg"]

_FG = "#1f2328"
_FG2 = "#59636e"
_BG = "#f6f8fa"
_BORDER = "#8c959f"
_BRAND = "#0969da"
_FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"


def _num(x: float) -> str:
    """Short, stable number formatting (no float noise in the output)."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _graph_id(graph: GraphDict) -> str:
    digest = hashlib.sha1(json.dumps(graph, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()[:8]


def _node_svg(node: GraphNodeDict, b: Box) -> str:
    label = f"{node['name']} ({node['type']})" + (", trainable" if node["trainable"] else "")
    stroke = _BRAND if node["trainable"] else _BORDER
    parts = [
        f'<g transform="translate({_num(b.x)},{_num(b.y)})" data-node-id="{escape(node["id"])}">',
        f"<title>{escape(node['description'] or label)}</title>",
        f'<rect width="{_num(b.width)}" height="{_num(b.height)}" rx="6" fill="{_BG}" '
        f'stroke="{stroke}" stroke-width="1.2"/>',
        f'<text x="10" y="20" font-size="12" font-weight="600" fill="{_FG}">'
        f"{escape(node['name'])}</text>",
        f'<text x="10" y="37" font-size="11" fill="{_FG2}">{escape(node["type"])}</text>',
    ]
    if node["trainable"]:
        parts.append(
            f'<rect x="{_num(b.width - 72)}" y="27" width="64" height="15" rx="7" fill="{_BRAND}"/>'
            f'<text x="{_num(b.width - 40)}" y="38" font-size="10" text-anchor="middle" '
            f'fill="#ffffff">trainable</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _svg(graph: GraphDict, lay: GraphLayout) -> str:
    gid = _graph_id(graph)
    by_id = {n["id"]: n for n in graph["nodes"]}
    title = escape(f"Program graph of {graph['name'] or 'a program'}")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(lay.width)}" '
        f'height="{_num(lay.height)}" viewBox="0 0 {_num(lay.width)} {_num(lay.height)}" '
        f'role="img" aria-label="{title}" font-family="{escape(_FONT)}">',
        f"<title>{title}</title>",
        f'<defs><marker id="sn-arrow-{gid}" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{_FG2}"/></marker></defs>',
    ]
    for gid_node, b in lay.groups.items():
        name = by_id[gid_node]["name"] if gid_node in by_id else gid_node
        out.append(
            f'<g data-group-id="{escape(gid_node)}"><rect x="{_num(b.x)}" y="{_num(b.y)}" '
            f'width="{_num(b.width)}" height="{_num(b.height)}" rx="8" fill="none" '
            f'stroke="{_BORDER}" stroke-dasharray="4 3"/>'
            f'<text x="{_num(b.x + 10)}" y="{_num(b.y + 16)}" font-size="11" font-weight="600" '
            f'fill="{_FG2}">{escape(name)} · Program</text></g>'
        )
    for e in lay.edges:
        d = " ".join(f"{'L' if i else 'M'}{_num(x)},{_num(y)}" for i, (x, y) in enumerate(e.points))
        out.append(
            f'<path d="{d}" fill="none" stroke="{_FG2}" stroke-width="1.3" '
            f'marker-end="url(#sn-arrow-{gid})"/>'
        )
    for node_id, b in lay.nodes.items():
        out.append(_node_svg(by_id[node_id], b))
    out.append("</svg>")
    return "".join(out)


def graph_to_svg(graph: Mapping[str, Any]) -> str:
    """Draw a ``program.graph()`` description as a self-contained inline SVG.

    Args:
        graph: the description (validated with :func:`normalize_graph`).

    Returns:
        An ``<svg>`` string with no script and no external reference.

    Example:
        >>> svg = graph_to_svg({"name": "qa", "nodes": [
        ...     {"id": "in", "type": "Input"},
        ...     {"id": "gen", "type": "Generator", "trainable": True}],
        ...     "edges": [{"source": "in", "target": "gen"}]})
        >>> svg.startswith("<svg") and "trainable" in svg and "<script" not in svg
        True
    """
    g = normalize_graph(graph)
    return _svg(g, layout_graph(g))


def _cell(text: str) -> str:
    return f"<td>{escape(text)}</td>"


def graph_to_html(graph: Mapping[str, Any], summary_text: str | None = None) -> str:
    """The static SVG plus a table of nodes (and the summary text, when given).

    This is the ``text/html`` fallback of a program and of the graph widget.

    Args:
        graph: a ``program.graph()`` description.
        summary_text: the ``program.summary()`` text, shown in a ``<pre>`` block.

    Example:
        >>> html = graph_to_html({"name": "qa", "nodes": [{"id": "in", "type": "Input"}],
        ...                       "edges": []}, summary_text="1 module")
        >>> "<table" in html and "1 module" in html
        True
    """
    g = normalize_graph(graph)
    rows = []
    for n in g["nodes"]:
        variables = ", ".join(
            f"{p} ({g['variables'][p]['versions']} versions)" if p in g["variables"] else p
            for p in n["variables"]
        )
        rows.append(
            "<tr>"
            + _cell(n["name"])
            + _cell(n["type"])
            + _cell("yes" if n["trainable"] else "")
            + _cell(variables)
            + _cell(n["parent"] or "")
            + "</tr>"
        )
    parts = [
        f'<div class="sn-static-graph" data-program="{escape(g["name"])}">',
        f"<p><strong>{escape(g['name'] or 'Program')}</strong></p>",
        f'<div style="overflow-x:auto">{_svg(g, layout_graph(g))}</div>',
        "<table><thead><tr><th>Module</th><th>Type</th><th>Trainable</th>"
        "<th>Variables</th><th>In program</th></tr></thead><tbody>",
        *rows,
        "</tbody></table>",
    ]
    if summary_text:
        parts.append(f"<pre>{escape(summary_text)}</pre>")
    parts.append("</div>")
    return "".join(parts)
