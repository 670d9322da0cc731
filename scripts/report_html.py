"""Turn an executed notebook into one self-contained HTML page (used by ``run_tutorials.py``).

nbconvert's ``lab`` template loads require.js, MathJax, mermaid and the widget manager from
CDNs, shows a widget only through the widget manager (blank offline), and drops plotly
figures, whose only MIME type it cannot render. Here, before export:

- every widget output keeps its ``text/html`` fallback (the widget view is removed, and so
  is the saved widget state, which is what makes the template load the widget manager);
- every plotly figure becomes ``text/html`` drawn by the plotly.js that the installed
  ``plotly`` package ships, inlined once per page (the first figure carries it);
- the template blocks that write CDN ``<script>`` tags are emptied (tutorials use no LaTeX
  or mermaid, so nothing is lost).

:func:`network_references` lists what a page would still fetch; the report's test asserts
it is empty.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

__all__ = ["export_html", "network_references", "self_contained"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.plotly.v1+json"

_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

# A resource the browser fetches by itself: a tag's src/href (not <a href>, a link the
# reader may follow), a quoted script or stylesheet URL (nbconvert's widget loader builds
# its <script> tag from one), a module import, a CSS url() or @import.
_FETCHES = (
    re.compile(r"[\"'`]((?:https?:)?//[^\"'`\s]+\.(?:m?js|css)(?:\?[^\"'`\s]*)?)[\"'`]"),
    re.compile(r"<(?:script|link|img|iframe|source|embed|video|audio)\b[^>]*?"
               r"\b(?:src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", re.IGNORECASE),
    re.compile(r"\bimport\s*(?:[\w{}*\s,]+from\s*)?\(?\s*[\"']((?:https?:)?//[^\"']+)"),
    re.compile(r"url\(\s*[\"']?((?:https?:)?//[^)\"']+)", re.IGNORECASE),
    re.compile(r"@import\s+[\"']((?:https?:)?//[^\"']+)", re.IGNORECASE),
)


def network_references(page: str) -> list[str]:
    """Every URL ``page`` would fetch when opened (scripts, styles, images, imports).

    Example:
        >>> network_references('<script src="https://cdn.example/x.js"></script>'
        ...                    '<a href="https://example.org">a link is not fetched</a>'
        ...                    '<style>p { background: url(//cdn.example/a.png) }</style>')
        ['https://cdn.example/x.js', '//cdn.example/a.png']
    """
    found = (m.group(1) for pattern in _FETCHES for m in pattern.finditer(page))
    return list(dict.fromkeys(found))  # once each, in the order the patterns find them


def _plotly_html(figure: dict[str, Any], with_library: bool) -> str:
    import plotly.io as pio  # the notebook extra; only needed when a figure was shown

    return str(pio.to_html(figure, include_plotlyjs=with_library, full_html=False,
                           validate=False))


def self_contained(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose outputs render offline: widget fallbacks, inlined plotly."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    library_shown = False
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]  # text/html (the widget's fallback) or text/plain remain
            if PLOTLY in data:
                data["text/html"] = _plotly_html(data.pop(PLOTLY), not library_shown)
                library_shown = True
    return nb


def export_html(nb: nbformat.NotebookNode) -> str:
    """``nb`` as one HTML page with no network references (see :func:`network_references`)."""
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="offline.html.j2",
    )
    body, _ = exporter.from_notebook_node(self_contained(nb))
    return str(body)
