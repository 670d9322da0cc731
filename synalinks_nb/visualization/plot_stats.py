"""Synalinks' plots over several runs: means with standard deviations, and comparisons.

``plot_metrics_with_mean_and_std`` and ``plot_metrics_comparison[_with_mean_and_std]``
draw grouped bars (one group per metric, one bar per condition) with error bars;
``plot_history_with_mean_and_std`` and ``plot_history_comparison[_with_mean_and_std]``
draw one line per (condition, key): the mean over runs, and with several runs two more
lines at mean ± std. Files, formats and return values are those of :mod:`.plotting`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from synalinks_nb.visualization.chart_svg import PALETTE, line_chart_svg
from synalinks_nb.visualization.plotting import PlotFile, _target, _titled, write_picture

__all__ = [
    "grouped_bars_svg",
    "plot_history_comparison",
    "plot_history_comparison_with_mean_and_std",
    "plot_history_with_mean_and_std",
    "plot_metrics_comparison",
    "plot_metrics_comparison_with_mean_and_std",
    "plot_metrics_with_mean_and_std",
]

Stats = tuple[float, float]  # (mean, standard deviation)


def _stats(values: Sequence[float]) -> Stats:
    return (statistics.fmean(values), statistics.pstdev(values) if len(values) > 1 else 0.0)


def grouped_bars_svg(groups: Mapping[str, Mapping[str, Stats]], label: str = "Chart") -> str:
    """Bars of ``{metric: {condition: (mean, std)}}``, grouped by metric, with error bars.

    Example:
        >>> svg = grouped_bars_svg({"reward": {"before": (0.4, 0.1), "after": (0.8, 0.0)}})
        >>> svg.count("<rect") - 1, "after: 0.8 ± 0" in svg
        (2, True)
    """
    conditions = list(dict.fromkeys(c for bars in groups.values() for c in bars))
    bar, gap = 16, 14
    width = max(360, 12 + len(groups) * (len(conditions) * bar + gap))
    height, base = 150, 124
    top = max([1.0, *(m + s for bars in groups.values() for m, s in bars.values())])
    scale = (base - 10) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
             f'<rect width="{width}" height="{base}" fill="none" stroke="#ccc"/>']
    x = 12
    for metric, bars in groups.items():
        for condition, (mean, std) in bars.items():
            color = PALETTE[conditions.index(condition) % len(PALETTE)]
            h = max(0.0, mean) * scale
            parts.append(f'<rect x="{x}" y="{base - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                         f'fill="{color}"><title>{escape(metric)} · {escape(condition)}: '
                         f'{mean:g} ± {std:g}</title></rect>')
            if std:
                cx = x + (bar - 2) / 2
                parts.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{base - h - std * scale:.1f}"'
                             f' y2="{base - h + std * scale:.1f}" stroke="currentColor"/>')
            x += bar
        parts.append(f'<text x="{x - len(bars) * bar}" y="{base + 12}" font-size="9" '
                     f'fill="currentColor">{escape(metric[:12])}</text>')
        x += gap
    for i, condition in enumerate(conditions):
        parts.append(f'<text x="{6 + 110 * i}" y="{height - 2}" font-size="9" '
                     f'fill="{PALETTE[i % len(PALETTE)]}">{escape(condition)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _numeric_keys(runs: Sequence[Mapping[str, Any]], wanted: Sequence[str] | None) -> list[str]:
    if not runs:
        raise ValueError("Expected at least one run of metrics. Received an empty list.")
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    return _chosen(keys, wanted, "metrics")


def _chosen(keys: list[str], wanted: Sequence[str] | None, what: str) -> list[str]:
    """``wanted`` (all of them among ``keys``), or every key when it is ``None``."""
    if wanted is None:
        return keys
    missing = [k for k in wanted if k not in keys]
    if missing:
        raise ValueError(f"Expected {what} among {keys}. Received: {missing}")
    return list(wanted)


def _bars(comparison: Mapping[str, Sequence[Mapping[str, Any]]],
          wanted: Sequence[str] | None) -> dict[str, dict[str, Stats]]:
    keys = _numeric_keys(next(iter(comparison.values()), []), wanted)
    return {k: {name: _stats([float(run[k]) for run in runs])
                for name, runs in comparison.items()} for k in keys}


def _save_bars(groups: dict[str, dict[str, Stats]], to_file: str | Path,
               to_folder: str | Path | None, title: str, xlabel: str, ylabel: str) -> PlotFile:
    svg = _titled(grouped_bars_svg(groups, label=title), title, xlabel, ylabel)
    return write_picture(svg, _target(to_file, to_folder))


def plot_metrics_with_mean_and_std(
        metrics_list: Sequence[Mapping[str, Any]],
        to_file: str | Path = "evaluation_metrics_with_mean_and_std.png",
        to_folder: str | Path | None = None, xlabel: str = "Metrics", ylabel: str = "Scores",
        title: str = "Evaluation metrics with mean and std", grid: bool = True,
        show_values: bool = False, capsize: float = 5, metrics: Sequence[str] | None = None,
        **kwargs: Any) -> PlotFile:
    """Mean ± std of each metric over several ``evaluate()`` results."""
    return _save_bars(_bars({"runs": metrics_list}, metrics), to_file, to_folder, title,
                      xlabel, ylabel)


def plot_metrics_comparison(
        metrics_dict: Mapping[str, Mapping[str, Any]],
        to_file: str | Path = "evaluation_metrics_comparison.png",
        to_folder: str | Path | None = None, xlabel: str = "Metrics", ylabel: str = "Scores",
        title: str = "Metrics Comparison", grid: bool = True,
        metrics_filter: Sequence[str] | None = None, bar_width: float = 0.35,
        **kwargs: Any) -> PlotFile:
    """One ``evaluate()`` result per condition, side by side."""
    comparison = {name: [m] for name, m in metrics_dict.items()}
    return _save_bars(_bars(comparison, metrics_filter), to_file, to_folder, title, xlabel,
                      ylabel)


def plot_metrics_comparison_with_mean_and_std(
        metrics_comparison_dict: Mapping[str, Sequence[Mapping[str, Any]]],
        to_file: str | Path = "evaluation_metrics_comparison_with_mean_and_std.png",
        to_folder: str | Path | None = None, xlabel: str = "Metrics", ylabel: str = "Scores",
        title: str = "Metrics Comparison with Mean and Std", grid: bool = True,
        show_values: bool = False, capsize: float = 5,
        metrics_filter: Sequence[str] | None = None, bar_width: float = 0.35,
        **kwargs: Any) -> PlotFile:
    """Mean ± std of each metric over several runs, per condition.

    Example:
        >>> import tempfile
        >>> runs = {"before": [{"reward": 0.2}, {"reward": 0.4}], "after": [{"reward": 0.9}]}
        >>> path = plot_metrics_comparison_with_mean_and_std(
        ...     runs, to_file="cmp.svg", to_folder=tempfile.mkdtemp())
        >>> "before: 0.3 ± 0.1" in path._repr_svg_()
        True
    """
    return _save_bars(_bars(metrics_comparison_dict, metrics_filter), to_file, to_folder,
                      title, xlabel, ylabel)


def _lines(comparison: Mapping[str, Sequence[Any]],
           wanted: Sequence[str] | None) -> dict[str, list[list[float]]]:
    series: dict[str, list[list[float]]] = {}
    for name, histories in comparison.items():
        runs = [h.history for h in histories]
        for key in _numeric_history_keys(runs, wanted):
            epochs = min(len(r[key]) for r in runs)
            stats = [_stats([float(r[key][e]) for r in runs]) for e in range(epochs)]
            prefix = f"{name}: " if len(comparison) > 1 else ""
            series[f"{prefix}{key}"] = [[e + 1, m] for e, (m, _) in enumerate(stats)]
            if len(runs) > 1:
                series[f"{prefix}{key} + std"] = [[e + 1, m + s] for e, (m, s) in enumerate(stats)]
                series[f"{prefix}{key} - std"] = [[e + 1, m - s] for e, (m, s) in enumerate(stats)]
    return series


def _numeric_history_keys(runs: Sequence[Mapping[str, Any]],
                          wanted: Sequence[str] | None) -> list[str]:
    if not runs:
        raise ValueError("Expected at least one History. Received an empty list.")
    keys = [k for k in runs[0] if all(isinstance(v, int | float) for v in runs[0][k])]
    return _chosen(keys, wanted, "history keys")


def _save_lines(series: dict[str, list[list[float]]], to_file: str | Path,
                to_folder: str | Path | None, title: str, xlabel: str, ylabel: str) -> PlotFile:
    svg = _titled(line_chart_svg(series, label=title, legend=True), title, xlabel, ylabel)
    return write_picture(svg, _target(to_file, to_folder))


def plot_history_with_mean_and_std(
        history_list: Sequence[Any], to_file: str | Path = "training_history_with_mean_and_std.png",
        to_folder: str | Path | None = None, xlabel: str = "Epochs", ylabel: str = "Scores",
        title: str = "Training history with mean and std", grid: bool = True, alpha: float = 0.2,
        metrics_filter: Sequence[str] | None = None, **kwargs: Any) -> PlotFile:
    """Per epoch, the mean of each history key over several ``fit()`` runs, ± std."""
    return _save_lines(_lines({"runs": history_list}, metrics_filter), to_file, to_folder,
                       title, xlabel, ylabel)


def plot_history_comparison(
        history_dict: Mapping[str, Any], to_file: str | Path = "training_history_comparison.png",
        to_folder: str | Path | None = None, xlabel: str = "Epochs", ylabel: str = "Scores",
        title: str = "Training History Comparison", grid: bool = True,
        metrics_filter: Sequence[str] | None = None, linestyle_cycle: Any = None,
        **kwargs: Any) -> PlotFile:
    """One ``fit()`` history per condition, on one chart."""
    comparison = {name: [h] for name, h in history_dict.items()}
    return _save_lines(_lines(comparison, metrics_filter), to_file, to_folder, title, xlabel,
                       ylabel)


def plot_history_comparison_with_mean_and_std(
        history_comparison_dict: Mapping[str, Sequence[Any]],
        to_file: str | Path = "training_history_comparison_with_mean_and_std.png",
        to_folder: str | Path | None = None, xlabel: str = "Epochs", ylabel: str = "Scores",
        title: str = "Training History Comparison with Mean and Std", grid: bool = True,
        alpha: float = 0.2, metrics_filter: Sequence[str] | None = None,
        linestyle_cycle: Any = None, **kwargs: Any) -> PlotFile:
    """Per condition, the mean ± std of each history key over several runs."""
    return _save_lines(_lines(history_comparison_dict, metrics_filter), to_file, to_folder,
                       title, xlabel, ylabel)
