"""Optimizer overhead per model call during ``fit`` (instant scripted models).

What ``fit`` spends beyond the model calls it makes, per model call:

* ``fit_s`` — one epoch of ``fit`` (400 samples, batch size 8, ``approval="accept"``):
  per batch a training forward pass, the rewards, the optimizer's proposal (OMEGA asks
  its own scripted model), a scoring pass of the candidate on the same minibatch, the
  decision, the events, the new version when accepted;
* ``baseline_s`` — the same model work without any optimizer, measured right after in
  the same process: ``evaluate`` (forward pass and rewards, same batch size) over as many
  samples as the program's model answered during ``fit``, on the program as it was
  before ``fit``, then every request the optimizer's model received, replayed on a
  fresh scripted model.

``overhead_ms = (fit_s - baseline_s) / calls``, where ``calls`` counts the requests of
both models. It charges the optimizer with everything training adds: proposals,
pools and populations, traces, swapping candidates in and out, events and the
History callback, versions, and the longer prompts once examples are accepted.
Target: < 0.3 ms. Best of 3 runs of each side.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import synalinks_nb as sn
from bench._classifier import classifier, dataset
from bench._common import write_results
from synalinks_nb import optimizers

SAMPLES = 400
BATCH_SIZE = 8
TARGET_MS = 0.3
def rewrite(messages: list[dict[str, str]], schema: dict[str, Any] | None) -> dict[str, Any]:
    """OMEGA's model: new instructions, the examples it was shown dropped."""
    return {"instructions": f"Answer with the category in upper case ({len(messages[-1])}).",
            "examples": []}


def _optimizer(name: str) -> tuple[Any, sn.ScriptedLanguageModel | None]:
    if name == "RandomFewShot":
        return optimizers.RandomFewShot(), None
    lm = sn.ScriptedLanguageModel(handler=rewrite, name="omega-lm")
    return optimizers.OMEGA(language_model=lm), lm


async def _pair(name: str, samples: int) -> dict[str, float]:
    xs, ys = dataset(samples)
    program, lm = await classifier()
    optimizer, optimizer_lm = _optimizer(name)
    program.compile(reward="exact_match", optimizer=optimizer)
    started = time.perf_counter()
    await program.fit(xs, ys, epochs=1, batch_size=BATCH_SIZE, verbose=0, approval="accept")
    fit_s = time.perf_counter() - started
    program_calls = len(lm.calls)
    requests = list(optimizer_lm.calls) if optimizer_lm is not None else []

    baseline, _ = await classifier()  # as the program was before fit
    baseline.compile(reward="exact_match")
    repeat = math.ceil(program_calls / samples)
    bx, by = (xs * repeat)[:program_calls], (ys * repeat)[:program_calls]
    replay = sn.ScriptedLanguageModel(handler=rewrite)
    started = time.perf_counter()
    await baseline.evaluate(bx, by, batch_size=BATCH_SIZE, verbose=0)
    for request in requests:
        await replay(request.messages, schema=request.schema, **request.kwargs)
    baseline_s = time.perf_counter() - started
    return {"fit_s": fit_s, "baseline_s": baseline_s,
            "calls": program_calls + len(requests), "program_calls": program_calls,
            "optimizer_calls": len(requests),
            "accepted": len(program.trainable_variables[0].versions) - 1}


async def _measure(name: str, samples: int, repeat: int) -> dict[str, Any]:
    await _pair(name, 16)  # warm up: imports, validators
    pairs = [await _pair(name, samples) for _ in range(repeat)]
    # Each side's least disturbed run (the counts are the same in every pair).
    best = {**pairs[0], "fit_s": min(p["fit_s"] for p in pairs),
            "baseline_s": min(p["baseline_s"] for p in pairs)}
    overhead_ms = (best["fit_s"] - best["baseline_s"]) / best["calls"] * 1e3
    return {"optimizer": name, "samples": samples, "batch_size": BATCH_SIZE, **best,
            "overhead_ms_per_call": overhead_ms, "target_ms": TARGET_MS,
            "met": overhead_ms < TARGET_MS}


def run(quick: bool = False) -> list[dict[str, Any]]:
    samples, repeat = (48, 1) if quick else (SAMPLES, 3)
    rows = [asyncio.run(_measure(name, samples, repeat)) for name in ("RandomFewShot", "OMEGA")]
    write_results("optimizer", rows, quick=quick)
    return rows


if __name__ == "__main__":
    run()
