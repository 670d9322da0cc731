"""LabeledFewShot: labelled samples as examples, with no forward pass and, unconfirmed, no call."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from category_task import Label, Query, category_handler, dataset, make_program

import synalinks_nb as sn


async def _compiled(k: int = 4) -> tuple[sn.Program, sn.ScriptedLanguageModel]:
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await make_program(lm)
    program.compile(reward="exact_match", optimizer=sn.optimizers.LabeledFewShot(k=k))
    return program, lm


async def test_unconfirmed_fit_makes_no_call_and_the_labels_become_the_examples() -> None:
    program, lm = await _compiled(k=4)
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=8, acceptance="batch",
                                approval="accept", verbose=0)
    assert lm.calls == []
    assert [p["status"] for p in history.proposals] == ["accepted"]  # then it is settled
    examples = program.trainable_variables[0].get_json()["examples"]
    assert len(examples) == 4
    pairs = {(x.item, y.label) for x, y in zip(xs, ys, strict=True)}
    assert {(e["inputs"]["item"], e["outputs"]["label"]) for e in examples} <= pairs
    # Nothing was scored, so no reward is made up for the epochs.
    assert "reward" not in history.history


async def test_the_examples_it_picks_make_the_program_better() -> None:
    program, _ = await _compiled(k=8)
    xs, ys = dataset(16)
    before = (await program.evaluate(xs, ys, verbose=0))["reward"]
    await program.fit(xs, ys, epochs=1, batch_size=8, acceptance="batch", approval="accept",
                      verbose=0)
    after = (await program.evaluate(xs, ys, verbose=0))["reward"]
    assert before == 0.0
    assert after > 0.5


async def test_confirmed_draws_that_do_not_help_on_validation_are_discarded() -> None:
    # Validation holds only "color" items and the training data none: no draw can help, so
    # each epoch's draw is confirmed on validation, fails, and is discarded with the reason.
    program, lm = await _compiled(k=2)
    xs, ys = dataset(16)
    kept = [i for i in range(16) if xs[i].category != "color"]
    xs, ys = [xs[i] for i in kept], [ys[i] for i in kept]
    xv = [Query(category="color", item=f"v-{i}") for i in range(4)]
    yv = [Label(label="COLOR")] * 4
    history = await program.fit(xs, ys, epochs=3, validation_data=(xv, yv),
                                approval="accept", verbose=0)
    assert lm.calls  # confirming costs calls
    assert [p["status"] for p in history.proposals] == ["rejected"] * 3
    assert all("no improvement on validation" in p["reason"] for p in history.proposals)
    assert program.trainable_variables[0].get_json()["examples"] == []


async def test_a_confirmed_draw_that_helps_is_kept_and_drawing_stops() -> None:
    program, _ = await _compiled(k=4)
    xs, ys = dataset(16)
    xv = [Query(category="color", item=f"v-{i}") for i in range(4)]
    yv = [Label(label="COLOR")] * 4
    history = await program.fit(xs, ys, epochs=3, validation_data=(xv, yv),
                                approval="accept", verbose=0)
    assert [p["status"] for p in history.proposals] == ["accepted"]
    assert history.proposals[0]["val_reward_after"] == 1.0
    assert history.history["val_reward"] == [1.0, 1.0, 1.0]


async def test_fit_without_labels_is_refused_before_any_call() -> None:
    program, lm = await _compiled()
    xs, _ = dataset(8)
    with pytest.raises(ValueError, match="Expected labels"):
        await program.fit(xs, None, epochs=1, verbose=0)
    assert lm.calls == []


class City(sn.DataModel):
    city: str


class Sentence(sn.DataModel):
    sentence: str


class Country(sn.DataModel):
    answer: str


COUNTRIES = {"Paris": "France", "Lyon": "France", "Rome": "Italy", "Oslo": "Norway"}


def _chain_handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    """Finds the city; names its country in the expected form only once shown an example."""
    query = json.loads(messages[-1]["content"])
    if "sentence" in query:
        return {"city": query["sentence"].split(" in ")[1].split(" ")[0]}
    shown = any('"answer"' in m["content"] for m in messages[:-1])
    country = COUNTRIES[query["city"]]
    return {"answer": country if shown else f"The city is in {country}."}


async def _chain(**options: Any) -> tuple[sn.Program, sn.ScriptedLanguageModel]:
    lm = sn.ScriptedLanguageModel(handler=_chain_handler)
    inputs = sn.Input(data_model=Sentence)
    city = await sn.Generator(data_model=City, language_model=lm, name="city")(inputs)
    country = await sn.Generator(data_model=Country, language_model=lm, name="country")(city)
    program = sn.Program(inputs=inputs, outputs=country)
    program.compile(reward="exact_match", optimizer=sn.optimizers.LabeledFewShot(**options))
    return program, lm


def _chain_data() -> tuple[list[Sentence], list[Country]]:
    cities = list(COUNTRIES) * 2
    xs = [Sentence(sentence=f"I live in {c} ({i}).") for i, c in enumerate(cities)]
    return xs, [Country(answer=COUNTRIES[c]) for c in cities]


async def test_the_last_generator_of_a_chain_learns_from_labels_with_k_program_runs() -> None:
    program, lm = await _chain(k=3)
    xs, ys = _chain_data()
    before = (await program.evaluate(xs, ys, verbose=0))["reward"]
    lm.calls.clear()
    history = await program.fit(xs, ys, epochs=3, acceptance="batch", approval="accept",
                                verbose=0)
    # Three labelled samples ran through the chain once (two calls each), then the accepted
    # proposal settled it: the later epochs cost nothing.
    assert len(lm.calls) == 6
    assert [p["status"] for p in history.proposals] == ["accepted"]
    city, country = program.trainable_variables
    assert city.get_json()["examples"] == []  # no label for the city, no sample got right
    examples = country.get_json()["examples"]
    assert len(examples) == 3
    # The traced city the second Generator received, paired with the label.
    assert all(COUNTRIES[e["inputs"]["city"]] == e["outputs"]["answer"] for e in examples)
    after = (await program.evaluate(xs, ys, verbose=0))["reward"]
    assert (before, after) == (0.0, 1.0)


async def test_without_bootstrap_inputs_a_chain_gets_no_example_and_no_call(
        caplog: pytest.LogCaptureFixture) -> None:
    program, lm = await _chain(bootstrap_inputs=False)
    xs, ys = _chain_data()
    with caplog.at_level(logging.WARNING):
        history = await program.fit(xs, ys, epochs=1, acceptance="batch", approval="accept",
                                    verbose=0)
    # The first Generator's output has no field of the label, the second one's inputs
    # exist only after a call: neither gets examples, and the log says why.
    assert history.proposals == []
    assert all(not v.get_json()["examples"] for v in program.trainable_variables)
    assert "no labelled example" in caplog.text
    assert lm.calls == []


def test_config_round_trips_and_bad_arguments_are_typed_errors() -> None:
    optimizer = sn.optimizers.get({"class_name": "LabeledFewShot",
                                   "config": {"k": 3, "sampling": "best"}})
    assert optimizer.bootstrap_inputs
    again = sn.optimizers.deserialize(sn.optimizers.serialize(
        sn.optimizers.LabeledFewShot(k=3, sampling="best", bootstrap_inputs=False)))
    assert (again.k, again.sampling, again.bootstrap_inputs) == (3, "best", False)
    assert sn.optimizers.get("labeled_few_shot").k == 4
    with pytest.raises(ValueError, match="k to be a positive int"):
        sn.optimizers.LabeledFewShot(k=0)
    with pytest.raises(ValueError, match="sampling"):
        sn.optimizers.LabeledFewShot(sampling="softmax")


async def test_diverse_draws_show_each_answer_once_before_any_twice() -> None:
    import random

    from synalinks_nb.optimizers import BatchContext, ScoredPrediction

    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    labels = ["A"] * 8 + ["B", "C"]
    context_of = [ScoredPrediction(i, {"q": str(i)}, None, reward=0.0, y_true={"a": label})
                  for i, label in enumerate(labels)]
    for seed in range(5):
        context = BatchContext(0, 0, context_of, random.Random(seed),
                               output_schema={"properties": {"a": {}}})
        diverse = await sn.optimizers.LabeledFewShot(k=3).propose(var, context)
        assert sorted(e["outputs"]["a"] for e in diverse.value["examples"]) == ["A", "B", "C"]
        five = await sn.optimizers.LabeledFewShot(k=5).propose(var, context)
        assert sorted(e["outputs"]["a"] for e in five.value["examples"]) == \
            ["A", "A", "A", "B", "C"]


async def test_it_draws_from_every_label_not_only_the_first_batch() -> None:
    # The first 8 samples hold two categories; the draw must still show all four.
    program, _ = await _compiled(k=4)
    xs, ys = dataset(16)
    order = sorted(range(16), key=lambda i: xs[i].category in ("color", "country"))
    xs, ys = [xs[i] for i in order], [ys[i] for i in order]
    history = await program.fit(xs, ys, epochs=1, batch_size=8, shuffle=False,
                                acceptance="batch", approval="accept", verbose=0)
    examples = program.trainable_variables[0].get_json()["examples"]
    assert sorted(e["outputs"]["label"] for e in examples) == \
        ["ANIMAL", "COLOR", "COUNTRY", "FRUIT"]
    assert history.params["steps"] == 1
