"""A small inline SVG line chart, for ``text/html`` fallbacks (no scripts, no CSS files)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

__all__ = ["line_chart_svg"]

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
"""Line colours, in series order (readable on light and dark backgrounds)."""

_W, _H, _PAD = 360, 120, 24


def line_chart_svg(
    series: Mapping[str, Sequence[Sequence[float]]], label: str = "Chart", legend: bool = False
) -> str:
    """An inline SVG chart of ``{name: [[x, y], ...]}`` lines; ``""`` when there are no points.

    The y axis always spans at least [0, 1] (rewards live there); each line carries its
    name as a tooltip, and ``legend=True`` writes the names under the chart.

    Example:
        >>> svg = line_chart_svg({"reward": [[1, 0.2], [2, 0.5]]}, label="Reward")
        >>> svg.startswith("<svg") and "polyline" in svg and "<script" not in svg
        True
        >>> line_chart_svg({"reward": []})
        ''
    """
    pts = [pt for name in series for pt in series[name]]
    if not pts:
        return ""
    xs = [float(pt[0]) for pt in pts]
    ys = [float(pt[1]) for pt in pts]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(0.0, min(ys)), max(1.0, max(ys))
    names = list(series)
    height = _H + (14 * ((len(names) + 2) // 3) if legend else 0)

    def sx(x: float) -> float:
        return _PAD + (x - x0) / ((x1 - x0) or 1.0) * (_W - 2 * _PAD)

    def sy(y: float) -> float:
        return _H - _PAD / 2 - (y - y0) / ((y1 - y0) or 1.0) * (_H - _PAD)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" '
        f'viewBox="0 0 {_W} {height}" role="img" aria-label="{html.escape(label)}">',
        f'<rect width="{_W}" height="{_H}" fill="none" stroke="#ccc"/>',
    ]
    for i, name in enumerate(names):
        color = PALETTE[i % len(PALETTE)]
        line = " ".join(f"{sx(float(x)):.1f},{sy(float(y)):.1f}" for x, y in series[name])
        if not line:
            continue
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="1.5" '
            f'points="{line}"><title>{html.escape(name)}</title></polyline>'
        )
        if len(series[name]) == 1:  # a single point draws no line: mark it
            cx, cy = line.split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{color}"/>')
        if legend:
            lx, ly = 4 + 118 * (i % 3), _H + 11 + 14 * (i // 3)
            parts.append(
                f'<rect x="{lx}" y="{ly - 8}" width="10" height="3" fill="{color}"/>'
                f'<text x="{lx + 14}" y="{ly}" font-size="10" fill="currentColor">'
                f"{html.escape(name)}</text>"
            )
    parts.append(
        f'<text x="4" y="12" font-size="10" fill="currentColor">{y1:g}</text>'
        f'<text x="4" y="{_H - 4}" font-size="10" fill="currentColor">{y0:g}</text></svg>'
    )
    return "".join(parts)
