"""Metrics: accumulation, reset, variants, registry, usage per phase."""

from __future__ import annotations

from pathlib import Path

import pytest
from category_task import category_handler, make_program

import synalinks_nb as sn
from synalinks_nb import metrics
from synalinks_nb.language_models import usage_phase


async def test_accuracy_accumulates_and_resets() -> None:
    # Synalinks' Accuracy: words in common over words in either, summed over the run.
    m = metrics.get("accuracy")
    await m.update_state({"answer": "paris"}, {"answer": "paris"})
    await m.update_state({"answer": "new york"}, {"answer": "york"})
    assert m.result() == pytest.approx(2 / 3)
    await m.update_state({"answer": "rome"}, None)  # a failure: one more word missed
    assert m.result() == pytest.approx(2 / 4)
    m.reset_state()
    assert m.result() == 0.0


async def test_accuracy_average_threshold_and_labels() -> None:
    per_field = metrics.Accuracy()
    weighted = metrics.Accuracy(average="weighted")
    for m in (per_field, weighted):
        await m.update_state({"city": "paris", "country": "united states"},
                             {"city": "rome", "country": "united states"})
    assert per_field.result() == [0.0, 1.0]
    assert weighted.result() == pytest.approx(2 / 3)  # country has 2 of the 3 true words
    binary = metrics.BinaryAccuracy(threshold=0.9)
    await binary.update_state({"spam": True}, {"spam": 0.8})
    assert binary.result() == 0.0
    labels = metrics.CategoricalAccuracy(labels=["cat", "dog", "fish"], average="micro")
    await labels.update_state({"label": "cat"}, {"label": "dog"})
    assert labels.result() == pytest.approx(1 / 3)  # only "fish" is right: absent from both
    config = metrics.serialize(labels)["config"]
    assert (config["labels"], config["average"]) == (["cat", "dog", "fish"], "micro")


async def test_token_f1_precision_recall() -> None:
    # Synalinks' tokens: "the", "of", "is", "a", "an" and punctuation do not count.
    truth, pred = {"answer": "The cat sat."}, {"answer": "the cat, it is"}
    p, r, f = metrics.Precision(), metrics.Recall(), metrics.F1Score()
    for m in (p, r, f):
        await m.update_state(truth, pred)
    assert (p.result(), r.result()) == (0.5, 0.5)
    assert f.result() == 0.5
    f2 = metrics.FBetaScore(beta=2.0)
    await f2.update_state({"answer": "cat sat"}, {"answer": "cat"})
    assert f2.result() == pytest.approx(5 * 0.5 / (4 + 0.5))


async def test_f1_counts_over_the_run_not_per_sample() -> None:
    f = metrics.F1Score()
    await f.update_state({"answer": "paris"}, {"answer": "paris"})
    await f.update_state({"answer": "rome"}, {"answer": "madrid spain italy"})
    # tp=1, fp=3, fn=1 over the run: precision 1/4, recall 1/2 (not the mean of 1 and 0).
    assert f.result() == pytest.approx(2 * 0.25 * 0.5 / 0.75)
    # A failed prediction counts as an empty answer (Synalinks skips it): one more miss.
    await f.update_state({"answer": "rome"}, None)
    assert f.result() == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3))


async def test_average_modes_per_field() -> None:
    truth = {"city": "paris", "country": "france is big"}
    pred = {"city": "paris", "country": "spain"}
    results = {}
    for average in (None, "micro", "macro", "weighted"):
        m = metrics.F1Score(average=average)
        await m.update_state(truth, pred)
        results[average] = m.result()
    assert results[None] == [1.0, 0.0]  # one per field, keys sorted
    assert results["macro"] == 0.5
    assert results["micro"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert results["weighted"] == pytest.approx(1 / 3)  # city: 1 true word of 3
    with pytest.raises(ValueError, match="average='mean'"):
        metrics.F1Score(average="mean")


async def test_binary_and_categorical_variants_count_over_the_run() -> None:
    m = metrics.BinaryRecall()
    await m.update_state({"spam": True}, {"spam": False})
    await m.update_state({"spam": True}, {"spam": 0.9})  # above the 0.5 threshold
    assert m.result() == 0.5
    strict = metrics.BinaryF1Score(threshold=0.95)
    await strict.update_state({"spam": True}, {"spam": 0.9})
    assert strict.result() == 0.0
    with pytest.raises(ValueError, match="boolean or a number"):
        await strict.update_state({"spam": "yes"}, {"spam": True})
    lp = metrics.ListPrecision()
    await lp.update_state({"tags": ["a"]}, {"tags": ["a", "b"]})
    assert lp.result() == 0.5 and metrics.ListPrecision is metrics.CategoricalPrecision
    acc = metrics.CategoricalAccuracy()
    await acc.update_state({"label": "x", "other": "y"}, {"label": "x", "other": "z"})
    assert acc.result() == pytest.approx(1 / 3)  # {x} of {x, y, z}


async def test_categorical_labels_are_counted_one_by_one() -> None:
    per_label = metrics.CategoricalF1Score(labels=["cat", "dog", "fish"])
    macro = metrics.CategoricalF1Score(labels=["cat", "dog", "fish"], average="macro")
    for m in (per_label, macro):
        await m.update_state({"label": "cat"}, {"label": "cat"})
        await m.update_state({"label": "dog"}, {"label": "cat"})
    assert per_label.result() == {"cat": pytest.approx(2 / 3), "dog": 0.0, "fish": 0.0}
    assert macro.result() == pytest.approx(2 / 9)
    assert metrics.metric_logs([per_label])["cat"] == pytest.approx(2 / 3)


async def test_per_field_results_reach_the_logs_as_floats() -> None:
    class Pair(sn.DataModel):
        city: str
        country: str

    x = sn.Input(data_model=Pair)
    y = await sn.Identity()(x)
    program = sn.Program(inputs=x, outputs=y)
    program.compile(reward=sn.rewards.ExactMatch(), metrics=[metrics.F1Score()])
    data = [Pair(city="paris", country="france")]
    logs = await program.evaluate(x=data, y=[Pair(city="paris", country="spain")], verbose=0)
    assert (logs["f1_score_0"], logs["f1_score_1"]) == (1.0, 0.0)


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
    m = metrics.deserialize(metrics.serialize(metrics.CategoricalFBetaScore(
        average="weighted", beta=0.5, labels=["a"])))
    assert (m.average, m.beta, m.labels, m.name) == ("weighted", 0.5, ["a"],
                                                     "categorical_fbeta_score")
    # Files saved before the Categorical* names still load.
    old = metrics.deserialize({"class_name": "ListF1Score", "config": {"name": "list_f1"}})
    assert isinstance(old, metrics.CategoricalF1Score)
    assert isinstance(metrics.get("fbeta_score"), metrics.FBetaScore)


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


async def test_cosine_similarity_metric_averages_and_saves_apart_from_the_reward() -> None:
    model = sn.EmbeddingModel("hashing/16")
    metric = metrics.CosineSimilarity(embedding_model=model, in_mask=["answer"])
    await metric.update_state({"answer": "a cat"}, {"answer": "a cat", "thinking": "x"})
    await metric.update_state({"answer": "a cat"}, None)  # a failure scores 0
    assert metric.result() == pytest.approx(0.5)
    again = metrics.deserialize(metrics.serialize(metric))
    assert isinstance(again, metrics.CosineSimilarity) and again.in_mask == ["answer"]
    assert again.embedding_model.model == "hashing/16"
    reward = sn.rewards.deserialize(sn.rewards.serialize(sn.rewards.CosineSimilarity(model)))
    assert isinstance(reward, sn.rewards.CosineSimilarity)  # the same class name, kept apart
    assert isinstance(metrics.get("cosine_similarity"), metrics.CosineSimilarity)
    with pytest.raises(ValueError, match="axis=-1"):
        metrics.CosineSimilarity(axis=0, embedding_model=model)
