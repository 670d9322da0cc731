"""Framework overhead of one program call (one Generator, instant scripted model).

Measured side by side in one run: the whole program call, and the model call alone
(the same ScriptedLanguageModel called with the same messages and schema). The
difference is what synalinks_nb adds. Target: < 0.15 ms per call (DSPy 0.37 ms per
Predict, Synalinks 11.6 ms per Generator call, measured on this machine).
"""

from __future__ import annotations

import asyncio
import time

import synalinks_nb as sn
from bench._common import write_results

N = 2000
TARGET_MS = 0.15


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


async def _measure(n: int, repeat: int) -> dict[str, float]:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
    inputs = sn.Input(data_model=Query)
    gen = sn.Generator(data_model=Answer, language_model=lm)
    program = sn.Program(inputs=inputs, outputs=await gen(inputs))
    q = Query(query="What is the capital of France?")
    await program(q)
    messages = gen.format_messages(q)
    schema = Answer.get_schema()

    async def program_loop() -> float:
        t = time.perf_counter()
        for _ in range(n):
            await program(q)
        return (time.perf_counter() - t) / n

    async def model_loop() -> float:
        t = time.perf_counter()
        for _ in range(n):
            await lm(messages, schema=schema)
        return (time.perf_counter() - t) / n

    program_s = min([await program_loop() for _ in range(repeat)])
    model_s = min([await model_loop() for _ in range(repeat)])
    lm.reset()
    return {"program_ms": program_s * 1e3, "model_ms": model_s * 1e3}


def run(quick: bool = False) -> list[dict[str, object]]:
    result = asyncio.run(_measure(100, 1) if quick else _measure(N, 5))
    overhead = result["program_ms"] - result["model_ms"]
    row = {"measure": "framework overhead per call (ms)", "program_ms": result["program_ms"],
           "model_alone_ms": result["model_ms"], "overhead_ms": overhead,
           "target_ms": TARGET_MS, "met": overhead < TARGET_MS}
    write_results("overhead", [row], quick=quick)
    return [row]


if __name__ == "__main__":
    run()
