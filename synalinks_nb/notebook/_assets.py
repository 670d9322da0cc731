"""Where the widgets' JavaScript and CSS bundles live, for ``_esm`` / ``_css``.

The bundles are built from ``js/`` by esbuild into ``synalinks_nb/static/``
(``bash scripts/build_js.sh``, or the wheel build hook) and shipped in the
wheel: nothing is ever fetched from a CDN. anywidget reads a ``pathlib.Path``
given as ``_esm`` / ``_css`` when the widget class is created (and, in a
development checkout with ``ANYWIDGET_HMR=1``, watches it for live reload).

In a source checkout where the bundles were never built, :func:`esm` returns a
tiny inline module that shows how to build them instead of failing at import.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["STATIC_DIR", "WIDGET_BUNDLES", "bundle_path", "css", "esm"]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
"""The folder the esbuild bundles are written to and shipped from."""

WIDGET_BUNDLES = ("program_graph", "trace_viewer", "training_dashboard", "variable_history")
"""One ESM bundle per widget, named after the widget's Python module."""

_CSS_FILE = "widgets.css"


def bundle_path(name: str) -> Path:
    """Path of the ESM bundle of the widget ``name`` (which may not exist yet).

    Example:
        >>> bundle_path("program_graph").name
        'program_graph.js'
    """
    if name not in WIDGET_BUNDLES:
        raise ValueError(f"Expected one of {', '.join(WIDGET_BUNDLES)}. Received: name={name!r}")
    return STATIC_DIR / f"{name}.js"


def _missing_module(name: str) -> str:
    message = (
        f"synalinks_nb: the widget bundle {name}.js is missing from {STATIC_DIR}. "
        "Build it with `bash scripts/build_js.sh` (needs Node.js >= 20), "
        "or install synalinks_nb from a wheel."
    )
    return (
        "export default { render({ el }) {\n"
        "  const p = document.createElement('pre');\n"
        f"  p.textContent = {json.dumps(message)};\n"
        "  el.replaceChildren(p);\n"
        "} };\n"
    )


def esm(name: str) -> Path | str:
    """What to assign to a widget's ``_esm``: the bundle path, or an explanatory stub."""
    path = bundle_path(name)
    return path if path.is_file() else _missing_module(name)


def css() -> Path | str:
    """What to assign to a widget's ``_css``: the shared stylesheet, or ``""``."""
    path = STATIC_DIR / _CSS_FILE
    return path if path.is_file() else ""
