"""Structured calls per second: ``LanguageModel("local/smollm2")`` versus raw llama-cpp-python.

Both sides run the same prompts and schemas with the same sampling (temperature
0, fixed seed, same ``max_tokens``) on their own ``Llama`` instance of the same
GGUF file with the same ``n_ctx`` and default ``n_threads``; the raw side parses the
JSON text it gets, ours returns a validated ``JsonDataModel``. Rounds alternate
which side goes first so that load on a shared machine hits both alike. The
target is a ratio of at least 0.9 (ours / raw).

Run:  python -m bench.bench_embedded_model [--rounds 3] [--quick]
Writes bench/results/embedded_model.json (``$SYNALINKS_NB_BENCH_RESULTS`` overrides the
folder). ``--quick`` runs one round of two prompts, for the CI smoke.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from typing import Any

from bench._common import results_dir
from synalinks_nb.language_models import LanguageModel
from synalinks_nb.language_models.embedded import (
    DEFAULT_MAX_TOKENS,
    DEFAULT_N_CTX,
    import_llama_cpp,
    smollm2_path,
)

SEED = 42


def _obj(properties: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Answer", "type": "object", "properties": properties,
            "required": list(properties), "additionalProperties": False}


ANSWER = _obj({"thinking": {"type": "string"}, "answer": {"type": "string"}})
LABEL = _obj({"label": {"type": "string", "enum": ["positive", "negative", "neutral"]}})
COUNT = _obj({"count": {"type": "integer"}})
PROMPTS: list[tuple[str, dict[str, Any]]] = [
    ("What is the capital of France?", ANSWER),
    ("What is 2 + 3?", ANSWER),
    ("Which planet is the largest?", ANSWER),
    ("Sentiment of: 'I love this movie.'", LABEL),
    ("Sentiment of: 'The food was cold and late.'", LABEL),
    ("How many legs does a spider have?", COUNT),
    ("How many days are in a week?", COUNT),
    ("Who wrote Romeo and Juliet?", ANSWER),
]


def messages(question: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Answer the question with JSON."},
            {"role": "user", "content": question}]


Prompts = list[tuple[str, dict[str, Any]]]


def run_raw(llama: Any, prompts: Prompts) -> tuple[float, list[Any], list[float]]:
    answers, latencies = [], []
    start = time.perf_counter()
    for question, schema in prompts:
        t = time.perf_counter()
        response = llama.create_chat_completion(
            messages=messages(question),
            response_format={"type": "json_object", "schema": schema},
            temperature=0.0, seed=SEED, max_tokens=DEFAULT_MAX_TOKENS,
        )
        answers.append(json.loads(response["choices"][0]["message"]["content"]))
        latencies.append(time.perf_counter() - t)
    return time.perf_counter() - start, answers, latencies


async def run_ours(lm: LanguageModel, prompts: Prompts) -> tuple[float, list[Any], list[float]]:
    answers, latencies = [], []
    start = time.perf_counter()
    for question, schema in prompts:
        t = time.perf_counter()
        out = await lm(messages(question), schema=schema, temperature=0.0, seed=SEED)
        answers.append(out.get_json())
        latencies.append(time.perf_counter() - t)
    return time.perf_counter() - start, answers, latencies


async def main(rounds: int, prompts: Prompts) -> dict[str, Any]:
    llama_cpp = import_llama_cpp()
    raw = llama_cpp.Llama(model_path=str(smollm2_path()), n_ctx=DEFAULT_N_CTX, verbose=False)
    lm = LanguageModel("local/smollm2")
    # Warm up both: weights, grammar code paths, jsonschema import.
    run_raw(raw, prompts)
    await run_ours(lm, prompts)
    totals: dict[str, float] = {"raw": 0.0, "ours": 0.0}
    lat: dict[str, list[float]] = {"raw": [], "ours": []}
    same = True
    for r in range(rounds):
        order = ["raw", "ours"] if r % 2 == 0 else ["ours", "raw"]
        results = {}
        for side in order:
            results[side] = (run_raw(raw, prompts) if side == "raw"
                             else await run_ours(lm, prompts))
        for side, (elapsed, _, latencies) in results.items():
            totals[side] += elapsed
            lat[side].extend(latencies)
        same = same and results["raw"][1] == results["ours"][1]
    calls = rounds * len(prompts)
    report = {
        "calls_per_side": calls,
        "raw_calls_per_s": calls / totals["raw"],
        "ours_calls_per_s": calls / totals["ours"],
        "ratio": totals["raw"] / totals["ours"],
        "raw_median_latency_s": statistics.median(lat["raw"]),
        "ours_median_latency_s": statistics.median(lat["ours"]),
        "same_answers": same,
        "target_ratio": 0.9,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "llama_cpp_python": llama_cpp.__version__,
                    "load_avg_1m": os.getloadavg()[0]},
    }
    return report


def print_table(report: dict[str, Any]) -> None:
    print(f"{'':<28}{'raw llama-cpp':>16}{'LanguageModel':>16}")
    print(f"{'structured calls / s':<28}{report['raw_calls_per_s']:>16.2f}"
          f"{report['ours_calls_per_s']:>16.2f}")
    print(f"{'median latency (s)':<28}{report['raw_median_latency_s']:>16.3f}"
          f"{report['ours_median_latency_s']:>16.3f}")
    verdict = "ok" if report["ratio"] >= report["target_ratio"] else "BELOW TARGET"
    print(f"ratio ours/raw: {report['ratio']:.3f} (target >= {report['target_ratio']}, {verdict}); "
          f"same answers: {report['same_answers']}; calls per side: {report['calls_per_side']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one round of two prompts")
    args = parser.parse_args()
    if args.quick:
        result = asyncio.run(main(1, PROMPTS[:2]))
    else:
        result = asyncio.run(main(args.rounds, PROMPTS))
    result["quick"] = args.quick
    print_table(result)
    path = results_dir() / "embedded_model.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
