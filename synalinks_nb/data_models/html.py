"""Small, script-free HTML renderings of JSON values (the ``text/html`` fallback).

They read well on GitHub and in nbconvert output, where widgets do not run:
plain tables, escaped text, no scripts, no external resources.
"""

from __future__ import annotations

import html
import json
from typing import Any

__all__ = ["json_table_html"]

_MAX_CELL = 2000


def _cell(value: Any) -> str:
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)
    if len(text) > _MAX_CELL:
        text = text[:_MAX_CELL] + " …"
    return f"<pre style='margin:0;white-space:pre-wrap'>{html.escape(text)}</pre>"


def json_table_html(title: str, value: Any) -> str:
    """An HTML table with one row per top-level key of ``value``.

    Example:
        >>> print(json_table_html("Answer", {"answer": "Paris"}))
        <table class='sn-json'><caption>Answer</caption><tbody><tr><th ...>answer</th>...Paris...
    """
    if not isinstance(value, dict):
        return f"<div class='sn-json'><b>{html.escape(title)}</b>{_cell(value)}</div>"
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
        f"<td style='text-align:left'>{_cell(v)}</td></tr>"
        for k, v in value.items()
    )
    return (
        f"<table class='sn-json'><caption>{html.escape(title)}</caption>"
        f"<tbody>{rows}</tbody></table>"
    )
