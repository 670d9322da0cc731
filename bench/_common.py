"""Shared helpers for the benchmarks: timing, tables, JSON results.

``SYNALINKS_NB_BENCH_RESULTS`` redirects the JSON results to another folder (the
CI smoke writes to a temporary one, so the committed results stay as measured).
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
RESULTS_ENV = "SYNALINKS_NB_BENCH_RESULTS"


def results_dir() -> Path:
    """Where results go: ``$SYNALINKS_NB_BENCH_RESULTS`` if set, else ``bench/results``."""
    return Path(os.environ.get(RESULTS_ENV) or RESULTS)


def best_of(fn: Callable[[], float], repeat: int = 5) -> float:
    """The smallest of ``repeat`` measurements (the least disturbed by other load)."""
    return min(fn() for _ in range(repeat))


def write_results(name: str, rows: list[dict[str, Any]], quick: bool = False,
                  **extra: Any) -> Path:
    """Write rows to ``<results>/<name>.json`` with machine info; print a table.

    ``extra`` adds top-level keys (a note, measurements from before a fix).
    """
    folder = results_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    payload = {"benchmark": name, "when": time.strftime("%Y-%m-%d %H:%M:%S"),
               "python": platform.python_version(), "machine": platform.machine(),
               "load_avg_1m": round(os.getloadavg()[0], 2), "quick": quick, "rows": rows,
               **extra}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print_table(rows)
    print(f"-> {path}")
    return path


def print_table(rows: list[dict[str, Any]]) -> None:
    """Rows as an aligned text table, columns in the first row's key order."""
    keys = list(rows[0]) if rows else []
    widths = [max(len(k), *(len(_fmt(r.get(k))) for r in rows)) for k in keys]
    print(" | ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(_fmt(r.get(k)).ljust(w) for k, w in zip(keys, widths, strict=True)))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
