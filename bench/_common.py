"""Shared helpers for the benchmarks: timing, tables, JSON results."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def best_of(fn: Callable[[], float], repeat: int = 5) -> float:
    """The smallest of ``repeat`` measurements (the least disturbed by other load)."""
    return min(fn() for _ in range(repeat))


def write_results(name: str, rows: list[dict[str, Any]]) -> Path:
    """Write rows to bench/results/<name>.json with machine info; print a table."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "when": time.strftime("%Y-%m-%d %H:%M:%S"),
               "python": platform.python_version(), "machine": platform.machine(), "rows": rows}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    keys = list(rows[0]) if rows else []
    widths = [max(len(k), *(len(_fmt(r.get(k))) for r in rows)) for k in keys]
    print(" | ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(_fmt(r.get(k)).ljust(w) for k, w in zip(keys, widths, strict=True)))
    print(f"-> {path}")
    return path


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
