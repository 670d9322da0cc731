"""Synalinks' LM operational metrics read the program's language-model usage, per phase."""

from __future__ import annotations

from typing import Any

from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
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

