"""What tracing costs: ``evaluate`` wall time with tracing off and on, and memory per 1,000 calls.

Time. The ``evaluate`` benchmark's setting (200 samples, one Generator, 50 ms model
latency) at concurrency 32 and 100, three ways, alternated run by run so the machine's
drift hits all of them alike: tracing off, tracing on (every call recorded into the
ring), and ``evaluate(..., return_results=True)`` (tracing forced on, plus the
per-sample rows). Best of 5 each. Target: tracing on within 5 % of off. Also the CPU
per sample with an instant model, off and on: the work tracing adds per call.

Memory. ``tracemalloc`` counts the bytes still allocated after 1,000 traced calls of
a two-Generator program (each call: 3 spans, 2 model calls with their messages),
minus the same after clearing the store: what 1,000 kept traces hold. Then 3,000
calls with a capacity of 1,000: what is held must stay the same (the ring is bounded).
"""

from __future__ import annotations

import asyncio
import gc
import math
import time
import tracemalloc
from typing import Any

import synalinks_nb as sn
from bench._common import write_results

SAMPLES = 200
LATENCY_S = 0.05
CONCURRENCY = (32, 100)
TARGET_PCT = 5.0
MODES = ("off", "on", "return_results")


class Query(sn.DataModel):
    query: str


class Draft(sn.DataModel):
    draft: str


class Answer(sn.DataModel):
    answer: str


async def _program(latency: float, two_steps: bool = False) -> Any:
    lm = sn.ScriptedLanguageModel(
        handler=lambda m, s: {"draft": "d"} if "draft" in s["properties"] else {"answer": "Paris"},
        latency=latency)
    inputs = sn.Input(data_model=Query)
    x = inputs
    if two_steps:
        x = await sn.Generator(data_model=Draft, language_model=lm, instructions="Draft.")(x)
    outputs = await sn.Generator(data_model=Answer, language_model=lm,
                                 instructions="Answer.")(x)
    program = sn.Program(inputs=inputs, outputs=outputs)
    program.compile(reward="exact_match")
    return program, lm


async def _evaluate_s(program: Any, lm: Any, xs: list[Any], ys: list[Any], c: int,
                      mode: str) -> float:
    sn.config.traces.configure(enabled=mode == "on", capacity=1000)
    sn.config.traces.clear()
    lm.reset()
    started = time.perf_counter()
    if mode == "return_results":
        result = await program.evaluate(xs, ys, batch_size=c, verbose=0, return_results=True)
        logs = result.logs
        if any(r.trace is None for r in result):
            raise RuntimeError("Expected a trace for every row.")
    else:
        logs = await program.evaluate(xs, ys, batch_size=c, verbose=0)
    elapsed = time.perf_counter() - started
    expected_traces = 0 if mode == "off" else len(xs)
    if logs["errors"] or len(sn.config.traces) != expected_traces:
        raise RuntimeError(f"Expected clean calls and {expected_traces} traces. Received "
                           f"{logs}, {len(sn.config.traces)} traces")
    return elapsed


async def _wall(samples: int, repeat: int) -> list[dict[str, Any]]:
    program, lm = await _program(LATENCY_S)
    xs = [Query(query=f"question {i}") for i in range(samples)]
    ys = [Answer(answer="Paris") for _ in xs]
    rows = []
    for c in CONCURRENCY:
        best = dict.fromkeys(MODES, math.inf)
        for _ in range(repeat):
            for mode in MODES:
                best[mode] = min(best[mode], await _evaluate_s(program, lm, xs, ys, c, mode))
        for mode in MODES[1:]:
            pct = (best[mode] / best["off"] - 1) * 100
            rows.append({"case": f"c={c}, tracing {mode}", "off_s": best["off"],
                         "traced_s": best[mode], "overhead_pct": pct,
                         "target": f"< {TARGET_PCT} %" if mode == "on" else "-",
                         "met": pct < TARGET_PCT if mode == "on" else "-"})
    return rows


async def _cpu_ms(samples: int, repeat: int) -> dict[str, float]:
    program, lm = await _program(0.0)
    xs = [Query(query=f"question {i}") for i in range(samples)]
    ys = [Answer(answer="Paris") for _ in xs]
    best = {"off": math.inf, "on": math.inf}
    for _ in range(repeat):
        for mode in best:
            sn.config.traces.configure(enabled=mode == "on", capacity=samples)
            sn.config.traces.clear()
            lm.reset()
            started = time.process_time()
            await program.evaluate(xs, ys, batch_size=100, verbose=0)
            best[mode] = min(best[mode], (time.process_time() - started) / samples * 1e3)
    return best


async def _held_bytes(calls: int, capacity: int) -> tuple[int, int]:
    """Bytes the store holds after ``calls`` traced calls, and the traces kept."""
    program, lm = await _program(0.0, two_steps=True)
    sn.config.traces.configure(enabled=True, capacity=capacity)
    sn.config.traces.clear()
    await program(Query(query="warm up"))
    sn.config.traces.clear()
    lm.reset()
    gc.collect()
    tracemalloc.start()
    for i in range(calls):
        await program(Query(query=f"question number {i}"))
        if i % 100 == 99:
            lm.reset()  # the scripted model's own request log is a test double's, not ours
    lm.reset()
    gc.collect()
    with_traces = tracemalloc.get_traced_memory()[0]
    kept = len(sn.config.traces)
    sn.config.traces.clear()
    gc.collect()
    without = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return with_traces - without, kept


def run(quick: bool = False) -> list[dict[str, Any]]:
    samples, repeat, calls = (40, 1, 200) if quick else (SAMPLES, 5, 1000)
    rows = asyncio.run(_wall(samples, repeat))
    cpu = asyncio.run(_cpu_ms(samples * 5, repeat))
    held, kept = asyncio.run(_held_bytes(calls, capacity=calls))
    held_3x, kept_3x = asyncio.run(_held_bytes(3 * calls, capacity=calls))
    per_1000 = held / kept * 1000
    rows.append({"case": f"memory, {kept} calls kept of {kept}", "off_s": "-", "traced_s": "-",
                 "overhead_pct": "-", "target": "measured", "met": f"{per_1000 / 1e6:.2f} MB"
                 " per 1,000 calls"})
    rows.append({"case": f"memory, {kept_3x} calls kept of {3 * calls}", "off_s": "-",
                 "traced_s": "-", "overhead_pct": "-", "target": "bounded by capacity",
                 "met": kept_3x == calls and held_3x < 1.2 * held})
    print(f"CPU per sample, instant model: off {cpu['off']:.3f} ms, on {cpu['on']:.3f} ms")
    print(f"Held by {kept} traces: {held / 1e6:.2f} MB; by {kept_3x} after {3 * calls} "
          f"calls: {held_3x / 1e6:.2f} MB")
    write_results("traces", rows, quick=quick, samples=samples, latency_s=LATENCY_S,
                  cpu_ms_per_sample_off=cpu["off"], cpu_ms_per_sample_on=cpu["on"],
                  bytes_per_1000_calls=per_1000, bytes_held=held, bytes_held_3x=held_3x,
                  spans_per_call=3, lm_calls_per_call=2)
    return rows


if __name__ == "__main__":
    run()
