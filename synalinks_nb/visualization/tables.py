"""Plain HTML tables for ``text/html`` fallbacks: escaped cells, no scripts, no styles."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["cell_number", "cell_text", "html_table"]


def cell_text(value: Any) -> str:
    """``value`` as escaped text."""
    return html.escape(str(value), quote=True)


def cell_number(x: Any) -> str:
    """A float with 3 decimals, ``–`` for ``None``, anything else as escaped text.

    Example:
        >>> cell_number(0.5), cell_number(None), cell_number(3)
        ('0.500', '–', '3')
    """
    return "–" if x is None else f"{x:.3f}" if isinstance(x, float) else cell_text(x)


def html_table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A captioned table; ``rows`` hold HTML already escaped. ``""`` when there are no rows.

    Example:
        >>> html_table("Runs", ["name"], [[cell_text("a<b")]])
        '<table><caption>Runs</caption><thead><tr><th>name</th></tr></thead><tbody><tr><td>a&lt;b</td></tr></tbody></table>'
        >>> html_table("Runs", ["name"], [])
        ''
    """
    if not rows:
        return ""
    th = "".join(f"<th>{cell_text(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{cell_text(caption)}</caption><thead><tr>{th}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
