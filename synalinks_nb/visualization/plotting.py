"""Synalinks' plotting functions (``utils.plot_program``, ``plot_history``, ``plot_metrics``).

Synalinks draws with graphviz and matplotlib and writes PNG files. Here every picture is
the package's own deterministic SVG, always written next to the requested file; a ``.png``
file is rasterised from that SVG by ``resvg-py`` (the ``plot`` extra: a 3 MB wheel with no
system library) or ``cairosvg``, whichever is installed, and otherwise
:class:`~synalinks_nb.errors.MissingDependencyError` names what to install (the SVG is
written first, so the picture exists either way).

The functions return a :class:`PlotFile`: a ``str`` holding the written path (what
Synalinks returns outside notebooks) that also has ``_repr_svg_``, so a notebook shows the
picture inline when it is a cell's last expression. No IPython import is needed for that.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from synalinks_nb.errors import MissingDependencyError
from synalinks_nb.utils.logs import positional_rows
from synalinks_nb.visualization.chart_svg import PALETTE, line_chart_svg
from synalinks_nb.visualization.graph_svg import graph_to_svg

__all__ = ["PlotFile", "bar_chart_svg", "plot_history", "plot_metrics", "plot_program"]


class PlotFile(str):
    """The path of a written picture, shown inline by notebooks (``_repr_svg_``).

    Example:
        >>> p = PlotFile("chart.svg", svg="<svg></svg>")
        >>> p == "chart.svg", p._repr_svg_()
        (True, '<svg></svg>')
    """

    svg: str

    def __new__(cls, path: str, svg: str) -> PlotFile:
        obj = super().__new__(cls, path)
        obj.svg = svg
        return obj

    def _repr_svg_(self) -> str:
        return self.svg


def _target(to_file: str | Path, to_folder: str | Path | None) -> Path:
    path = Path(to_file)
    if to_folder:
        path = Path(to_folder) / path
    if not path.suffix:
        path = path.with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_picture(svg: str, path: Path, dpi: int = 200) -> PlotFile:
    """Write ``svg`` to ``path`` (``.svg``, or ``.png`` with the SVG beside it).

    Raises:
        MissingDependencyError: a ``.png`` was asked for and no renderer is installed.
        ValueError: the extension is neither ``.svg`` nor ``.png``.
    """
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ValueError(f"Expected a file name ending in .png or .svg. Received: {path}")
    svg_path = path.with_suffix(".svg")
    svg_path.write_text(svg, encoding="utf-8")
    if suffix == ".svg":
        return PlotFile(str(svg_path), svg)
    path.write_bytes(rasterise(svg, dpi, purpose=f"Writing {path.name} (PNG; the SVG is at "
                                                 f"{svg_path})"))
    return PlotFile(str(path), svg)


def rasterise(svg: str, dpi: int = 96, purpose: str = "Writing a PNG") -> bytes:
    """PNG bytes of ``svg`` at ``dpi`` (96: the SVG's own size), on a white background.

    Raises:
        MissingDependencyError: neither ``resvg_py`` nor ``cairosvg`` is installed.
    """
    for name in ("resvg_py", "cairosvg"):
        try:
            renderer: Any = importlib.import_module(name)
        except ImportError:
            continue
        if name == "resvg_py":
            return bytes(renderer.svg_to_bytes(svg_string=svg, background="#ffffff",
                                               zoom=dpi / 96))
        png: bytes = renderer.svg2png(bytestring=svg.encode("utf-8"), dpi=dpi,
                                      scale=dpi / 96, background_color="#ffffff")
        return png
    raise MissingDependencyError("resvg-py", "plot", purpose)


def plot_program(program: Any, to_file: str | Path | None = None,
                 to_folder: str | Path | None = None, show_schemas: bool = False,
                 show_module_names: bool = False, show_defs: bool = False, rankdir: str = "TB",
                 expand_nested: bool = False, dpi: int = 200, show_trainable: bool = False,
                 **kwargs: Any) -> PlotFile:
    """Draw a program's graph to ``to_file`` (default ``"<program name>.png"``).

    The picture is the same SVG as the program's static notebook view; ``show_*``,
    ``rankdir`` and ``expand_nested`` are accepted for Synalinks' signature (the SVG always
    shows module names, types and trainable variables, top to bottom, nested programs
    expanded).

    Raises:
        ValueError: unknown keyword arguments, or ``to_file`` is neither ``.png`` nor ``.svg``.
        MissingDependencyError: ``.png`` without a renderer (the ``.svg`` is written).

    Example:
        >>> import asyncio, tempfile, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> async def build():
        ...     x = sn.Input(data_model=Query)
        ...     return sn.Program(inputs=x, outputs=await sn.Identity()(x), name="echo")
        >>> program = asyncio.run(build())
        >>> path = sn.utils.plot_program(program, to_file="echo.svg", to_folder=tempfile.mkdtemp())
        >>> path.endswith("echo.svg"), path._repr_svg_().startswith("<svg")
        (True, True)
    """
    if kwargs:
        raise ValueError(f"Expected only plot_program's arguments. Received unknown keyword "
                         f"argument(s): {sorted(kwargs)}")
    svg = graph_to_svg(program.graph())
    return write_picture(svg, _target(to_file or f"{program.name}.png", to_folder), dpi)


def _titled(svg: str, title: str, xlabel: str, ylabel: str) -> str:
    """``svg`` under a title, with the axis labels written beneath it."""
    width = 380
    caption = " · ".join(escape(t) for t in (f"x: {xlabel}" if xlabel else "",
                                              f"y: {ylabel}" if ylabel else "") if t)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="190" '
            f'viewBox="0 0 {width} 190" role="img" aria-label="{escape(title)}" '
            f'font-family="sans-serif" color="#1f2328">'
            f'<text x="10" y="16" font-size="13" font-weight="600" fill="currentColor">'
            f'{escape(title)}</text><g transform="translate(10,24)">{svg}</g>'
            f'<text x="10" y="184" font-size="10" fill="currentColor">{caption}</text></svg>')


def plot_history(history: Any, to_file: str | Path = "training_history.png",
                 to_folder: str | Path | None = None, xlabel: str = "Epochs",
                 ylabel: str = "Scores", title: str = "Training history", grid: bool = True,
                 metrics_filter: Sequence[str] | None = None, **kwargs: Any) -> PlotFile:
    """Draw each value of ``history.history`` per epoch (Synalinks' ``plot_history``).

    Raises:
        ValueError: ``metrics_filter`` names a key the history does not have.

    Example:
        >>> import tempfile
        >>> from synalinks_nb.callbacks import History
        >>> h = History()
        >>> h.history = {"reward": [0.2, 0.6]}
        >>> plot_history(h, to_file="h.svg", to_folder=tempfile.mkdtemp()).endswith("h.svg")
        True
    """
    keys = list(history.history)
    if metrics_filter is not None:
        missing = [k for k in metrics_filter if k not in keys]
        if missing:
            raise ValueError(f"Expected metrics_filter among {keys}. Received: {missing}")
        keys = list(metrics_filter)
    # Per epoch, so a key some epochs skipped (validation_freq) is drawn at its own epochs.
    rows = history.epoch_logs() if hasattr(history, "epoch_logs") else positional_rows(
        history.history)
    series = {k: [[i + 1, float(row[k])] for i, row in enumerate(rows)
                  if isinstance(row.get(k), int | float)] for k in keys}
    chart = line_chart_svg(series, label=title, legend=True)
    return write_picture(_titled(chart, title, xlabel, ylabel), _target(to_file, to_folder))


def bar_chart_svg(values: Mapping[str, float], label: str = "Chart") -> str:
    """An inline SVG bar chart of ``{name: value}`` (the axis spans at least [0, 1]).

    Example:
        >>> bar_chart_svg({"reward": 0.5}).count("<rect")
        2
    """
    width, height, bar = 360, 140, 28
    top = max([1.0, *values.values()])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
             f'<rect width="{width}" height="{height - 24}" fill="none" stroke="#ccc"/>']
    for i, (name, value) in enumerate(values.items()):
        h = (height - 34) * max(0.0, value) / top
        x = 12 + i * (bar + 12)
        parts.append(f'<rect x="{x}" y="{height - 24 - h:.1f}" width="{bar}" height="{h:.1f}" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(name)}: {value:g}'
                     f'</title></rect><text x="{x}" y="{height - 10}" font-size="9" '
                     f'fill="currentColor">{escape(name[:8])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def plot_metrics(metrics: Mapping[str, Any], to_file: str | Path = "evaluation_metrics.png",
                 to_folder: str | Path | None = None, xlabel: str = "Metrics",
                 ylabel: str = "Scores", title: str = "Evaluation metrics", grid: bool = True,
                 metrics_filter: Sequence[str] | None = None, **kwargs: Any) -> PlotFile:
    """Draw the numbers of an ``evaluate()`` result as bars (Synalinks' ``plot_metrics``).

    Example:
        >>> import tempfile
        >>> plot_metrics({"reward": 0.75}, to_file="m.svg",
        ...              to_folder=tempfile.mkdtemp()).endswith("m.svg")
        True
    """
    keys = list(metrics_filter) if metrics_filter is not None else list(metrics)
    missing = [k for k in keys if k not in metrics]
    if missing:
        raise ValueError(f"Expected metrics_filter among {list(metrics)}. Received: {missing}")
    values = {k: float(metrics[k]) for k in keys if isinstance(metrics[k], int | float)}
    chart = bar_chart_svg(values, label=title)
    return write_picture(_titled(chart, title, xlabel, ylabel), _target(to_file, to_folder))
