"""Synalinks' LM operational metrics read the program's language-model usage, per phase."""

from __future__ import annotations

import asyncio
import types
from typing import Any

import pytest
from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb.errors import ProviderUnavailableError
from synalinks_nb.language_models.base import Completion
from synalinks_nb.language_models.usage import usage_phase


async def test_compiled_operational_metrics_count_each_evaluate_separately() -> None:
    lm = sn.ScriptedLanguageModel(handler=category_handler(fail=lambda item: item == "item-1"))
    program = await make_program(lm)
    program.compile(reward="exact_match",
                    metrics=[sn.metrics.FailedCalls(), sn.metrics.ErrorRate(), "avg_latency",
                             sn.metrics.RewardFailedCalls()])
    xs, ys = dataset(4)
    logs = await program.evaluate(xs, ys, verbose=0)
    assert logs["failed_calls"] == 1.0 and logs["error_rate"] == 0.25
    assert logs["reward_failed_calls"] == 0.0 and logs["avg_latency"] >= 0.0
    logs = await program.evaluate(xs[2:], ys[2:], verbose=0)  # the failing item is not here
    assert logs["failed_calls"] == 0.0 and logs["error_rate"] == 0.0


async def test_phases_are_kept_apart_and_names_follow_synalinks() -> None:
    lm = sn.ScriptedLanguageModel(responses=["x"], latency=0.01)
    program = await make_program(lm)
    metrics: dict[str, Any] = {name: getattr(sn.metrics, name)() for name in (
        "AvgLatency", "AvgRewardLatency", "AvgOptimizerLatency", "Cost", "TotalTokens")}
    for metric in metrics.values():
        metric.bind_program(program)
    with usage_phase("reward"):
        await lm([{"role": "user", "content": "judge this"}])
    assert metrics["AvgRewardLatency"].result() >= 0.01
    assert metrics["AvgLatency"].result() == metrics["AvgOptimizerLatency"].result() == 0.0
    assert [m.name for m in metrics.values()] == [
        "avg_latency", "avg_reward_latency", "avg_optimizer_latency", "cost", "total_tokens"]
    assert isinstance(metrics["Cost"], sn.metrics.LMOperationalMetric)
    assert isinstance(metrics["AvgRewardLatency"], sn.metrics.LMRewardsOperationalMetric)
    assert sn.metrics.get("optimizer_cost").name == "optimizer_cost"


async def test_operational_metrics_survive_a_save_and_load(tmp_path: Any) -> None:
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await make_program(lm)
    program.compile(reward="exact_match", metrics=[sn.metrics.Cost(name="dollars")])
    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json", custom_objects={lm.name: lm})
    assert [type(m).__name__ for m in loaded.metrics] == ["Cost"]
    assert loaded.metrics[0].name == "dollars"



class _CachingProvider(sn.language_models.BaseLanguageModel):
    """Reports provider prompt-cache and reasoning tokens, as OpenAI's usage details do."""

    def __init__(self) -> None:
        super().__init__("caching")

    async def _generate(self, messages: Any, schema: Any, settings: Any) -> Any:
        return Completion(text="ok", prompt_tokens=10, completion_tokens=4, cached_tokens=8,
                          reasoning_tokens=3)


async def test_cache_reasoning_and_throughput_metrics_read_the_new_counters() -> None:
    lm = _CachingProvider()
    names = ("CachedTokens", "CacheHitRate", "ReasoningTokenShare", "AvgReasoningTokensPerCall",
             "Throughput", "TokensPerSecond", "RewardCachedTokens", "FallbackActivations")
    metrics = {name: getattr(sn.metrics, name)() for name in names}
    holder = types.SimpleNamespace(language_model=lm)  # a module holding the model
    for metric in metrics.values():
        metric.bind_program(holder)
    await asyncio.gather(*(lm([{"role": "user", "content": str(i)}]) for i in range(2)))
    assert metrics["CachedTokens"].result() == 16.0
    assert metrics["CacheHitRate"].result() == 0.8
    assert metrics["ReasoningTokenShare"].result() == 0.75
    assert metrics["AvgReasoningTokensPerCall"].result() == 3.0
    assert metrics["RewardCachedTokens"].result() == 0.0
    assert metrics["FallbackActivations"].result() == 0.0
    busy = lm.usage["inference"].busy_s  # wall-clock time with a call in flight
    assert busy > 0
    assert metrics["Throughput"].result() == pytest.approx(2 / busy)
    assert metrics["TokensPerSecond"].result() == pytest.approx(28 / busy)


async def test_embedding_metrics_count_vectors_per_phase_and_the_fallback() -> None:
    class Down(sn.EmbeddingModel):
        async def _embed(self, batch: list[str]) -> tuple[list[list[float]], int]:
            raise ProviderUnavailableError("down", model=self.model)

    down = Down("hashing/16", retry=0, fallback="hashing/8")
    reward = sn.rewards.CosineSimilarity(down)
    names = ("EmbeddingVectors", "RewardEmbeddingVectors", "AvgRewardEmbeddingVectorsPerCall",
             "RewardEmbeddingFallbackActivations", "RewardEmbeddingFailedCalls",
             "EmbeddingThroughput")
    metrics = {name: getattr(sn.metrics, name)() for name in names}
    for metric in metrics.values():
        metric.bind_program(reward)
    with usage_phase("reward"):
        await reward({"answer": "a cat"}, {"answer": "a dog"})
    assert metrics["RewardEmbeddingVectors"].result() == 2.0
    assert metrics["AvgRewardEmbeddingVectorsPerCall"].result() == 2.0
    assert metrics["RewardEmbeddingFallbackActivations"].result() == 1.0
    assert metrics["RewardEmbeddingFailedCalls"].result() == 0.0
    assert metrics["EmbeddingVectors"].result() == metrics["EmbeddingThroughput"].result() == 0.0
    assert isinstance(metrics["EmbeddingVectors"], sn.EmbeddingModelOperationalMetric)
    assert sn.metrics.get("reward_embedding_cost").name == "reward_embedding_cost"
