"""Static pictures of programs: a pure-Python layered layout and inline SVG / HTML.

Core layer: imports neither anywidget, ipywidgets nor IPython, so ``text/html``
reprs work everywhere (GitHub, nbconvert, plain Python). The interactive widgets
live in :mod:`synalinks_nb.notebook`.
"""

from __future__ import annotations

from synalinks_nb.visualization.chart_svg import line_chart_svg
from synalinks_nb.visualization.graph_svg import graph_to_html, graph_to_svg
from synalinks_nb.visualization.graph_types import (
    GraphDict,
    GraphEdgeDict,
    GraphNodeDict,
    GraphVariableDict,
    normalize_graph,
)
from synalinks_nb.visualization.layout import Box, EdgeRoute, GraphLayout, layout_graph

__all__ = [
    "Box",
    "EdgeRoute",
    "GraphDict",
    "GraphEdgeDict",
    "GraphLayout",
    "GraphNodeDict",
    "GraphVariableDict",
    "graph_to_html",
    "graph_to_svg",
    "layout_graph",
    "line_chart_svg",
    "normalize_graph",
]
