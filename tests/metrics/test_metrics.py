"""Metrics: accumulation, reset, variants, registry, usage per phase."""

from __future__ import annotations

from pathlib import Path

import pytest
from category_task import category_handler, make_program

import synalinks_nb as sn
from synalinks_nb import metrics
from synalinks_nb.language_models import usage_phase


async def test_accuracy_accumulates_and_resets() -> None:
    m = metrics.get("accuracy")
    await m.update_state({"answer": "a"}, {"answer": "a"})
    await m.update_state({"answer": "a"}, {"answer": "b"})
    assert m.result() == 0.5
    m.reset_state()
    assert m.result() == 0.0


async def test_token_f1_precision_recall() -> None:
    truth, pred = {"answer": "the cat sat"}, {"answer": "the cat"}
    p, r, f = metrics.Precision(), metrics.Recall(), metrics.F1Score()
    for m in (p, r, f):
        await m.update_state(truth, pred)
    assert (p.result(), r.result()) == (1.0, pytest.approx(2 / 3))
    assert f.result() == pytest.approx(0.8)


async def test_binary_and_list_variants_count_over_the_run() -> None:
    m = metrics.BinaryRecall()
    await m.update_state({"spam": True}, {"spam": False})
    await m.update_state({"spam": True}, {"spam": True})
    assert m.result() == 0.5
    lp = metrics.ListPrecision()
    await lp.update_state({"tags": ["a"]}, {"tags": ["a", "b"]})
    assert lp.result() == 0.5
    acc = metrics.CategoricalAccuracy()
    await acc.update_state({"label": "x", "other": "y"}, {"label": "x", "other": "z"})
    assert acc.result() == 0.5


async def test_usage_metric_counts_one_phase_since_reset() -> None:
    lm = sn.ScriptedLanguageModel(responses=["ok"])
    calls = metrics.LanguageModelUsage(lm, phase="reward", counter="calls")
    await lm([{"role": "user", "content": "x"}])
    with usage_phase("reward"):
        await lm([{"role": "user", "content": "x"}])
    assert calls.result() == 1.0
    calls.reset_state()
    assert calls.result() == 0.0
    with pytest.raises(ValueError, match="phase"):
        metrics.LanguageModelUsage(lm, phase="training")


def test_registry_round_trip() -> None:
    m = metrics.deserialize(metrics.serialize(metrics.F1Score(name="f1", in_mask=["answer"])))
    assert (type(m), m.name, m.in_mask) == (metrics.F1Score, "f1", ["answer"])


async def test_a_reward_wrapped_as_a_metric_is_saved_and_loaded(tmp_path: Path) -> None:
    # Synalinks' MeanMetricWrapper(fn=<Reward>) used to crash program.save().
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await make_program(lm)
    wrapped = sn.metrics.MeanMetricWrapper(fn=sn.rewards.ExactMatch(in_mask=["label"]))
    program.compile(reward="exact_match", metrics=[wrapped])
    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json", custom_objects={lm.name: lm})
    [metric] = loaded.metrics
    assert metric.name == "exact_match" and metric.fn.in_mask == ["label"]
    await metric.update_state({"label": "A"}, {"label": "A"})
    assert metric.result() == 1.0
