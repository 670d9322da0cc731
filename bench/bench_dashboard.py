"""Cost of the live dashboard during ``fit``: wall time with and without it, and messages/s.

Same program, same data, same scripted model, measured side by side (median of 3):
(a) 400 samples, batch size 4, 50 ms model latency — the case the target is about
(< 3 % wall time); (b) 1000 one-sample batches with an instant model — the worst case for
update traffic. Messages are counted at the widget's send function (custom messages and
trait syncs), with no frontend attached. Target: ≤ ~20 messages per second.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from bench._classifier import classifier, dataset
from bench._common import write_results
from synalinks_nb import optimizers
from synalinks_nb.notebook import TrainingDashboard


async def _fit(n: int, batch_size: int, latency: float, dashboard: bool) -> tuple[float, int]:
    program, _ = await classifier(latency)
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=8))
    xs, ys = dataset(n)
    sent = [0]
    callbacks: list[Any] = []
    if dashboard:
        dash = TrainingDashboard(program)

        def count(msg: Any, buffers: Any = None) -> None:
            sent[0] += 1

        dash._send = count
        callbacks = [dash]
    started = time.perf_counter()
    await program.fit(xs, ys, epochs=1, batch_size=batch_size, verbose=0, callbacks=callbacks,
                      approval="accept")
    return time.perf_counter() - started, sent[0]


async def _case(name: str, n: int, batch_size: int, latency: float,
                repeat: int = 3) -> dict[str, Any]:
    without, with_dash, rates = [], [], []
    for _ in range(repeat):
        without.append((await _fit(n, batch_size, latency, False))[0])
        seconds, messages = await _fit(n, batch_size, latency, True)
        with_dash.append(seconds)
        rates.append(messages / seconds)
    a, b = statistics.median(without), statistics.median(with_dash)
    return {"case": name, "without_s": a, "with_s": b, "overhead_pct": (b - a) / a * 100,
            "messages_per_s": statistics.median(rates),
            "target": "< 3 % (50 ms case), <= ~20 msg/s"}


def run(quick: bool = False) -> list[dict[str, Any]]:
    if quick:
        rows = [asyncio.run(_case("16 samples, batch 4, 10 ms latency", 16, 4, 0.01, 1)),
                asyncio.run(_case("40 batches of 1, instant model", 40, 1, 0.0, 1))]
    else:
        rows = [asyncio.run(_case("400 samples, batch 4, 50 ms latency", 400, 4, 0.05)),
                asyncio.run(_case("1000 batches of 1, instant model", 1000, 1, 0.0))]
    write_results("dashboard", rows, quick=quick)
    return rows


if __name__ == "__main__":
    run()
