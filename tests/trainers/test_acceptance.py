"""Acceptance: batch winners confirmed on validation, best state restored, scoring isolated."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from category_task import CATEGORIES, Label, Query, category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.trainers import Acceptance, Decision, Proposal


def copycat_handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    """A model that is right alone on even items, and, once shown examples, answers with the
    label of an example for the same item (right) or else copies the first example (mostly
    wrong): examples drawn from a batch win on that batch and lose everywhere else."""
    query = json.loads(messages[-1]["content"])
    shown = [(json.loads(u["content"]), json.loads(a["content"]))
             for u, a in zip(messages[1:-1:2], messages[2:-1:2], strict=True)]
    if not shown:
        even = int(query["item"].split("-")[1]) % 2 == 0
        return {"label": query["category"].upper() if even else "UNKNOWN"}
    for inputs, outputs in shown:
        if inputs["item"] == query["item"]:
            return dict(outputs)
    return dict(shown[0][1])


async def _copycat_program(only_improvements: bool = True) -> Any:
    program = await make_program(sn.ScriptedLanguageModel(handler=copycat_handler))
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot(
        nb_min_examples=4, nb_max_examples=4, only_improvements=only_improvements))
    return program


async def test_a_proposal_lucky_on_its_batch_but_worse_on_validation_is_not_offered() -> None:
    program = await _copycat_program()
    offered: list[Proposal] = []

    def approve(proposal: Proposal) -> bool:
        offered.append(proposal)
        return True

    xs, ys = dataset(24)
    history = await program.fit(xs[:16], ys[:16], epochs=2, batch_size=4, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval=approve)
    assert offered == []
    batch_winners = [p for p in history.proposals if p["reward_after"] > p["reward_before"]]
    assert batch_winners, "the task makes candidates win on their own batch"
    for p in batch_winners:
        assert p["val_reward_after"] < p["val_reward_before"]
        assert not p["accepted"] and "not on validation" in p["reason"]
    assert len(program.trainable_variables[0].versions) == 1
    # Under the old rule (the batch alone decides) the same run accepts a worse program.
    worse = await _copycat_program()
    await worse.fit(xs[:16], ys[:16], epochs=2, batch_size=4, verbose=0,
                    validation_data=(xs[16:], ys[16:]), approval="accept", acceptance="batch")
    before = await program.evaluate(xs[16:], ys[16:])
    after = await worse.evaluate(xs[16:], ys[16:])
    assert after["reward"] < before["reward"]


async def test_fit_ends_on_the_best_validation_state_the_starting_one_included() -> None:
    program = await _copycat_program(only_improvements=False)
    start = program.trainable_variables[0].get_json()
    xs, ys = dataset(24)
    history = await program.fit(xs[:16], ys[:16], epochs=1, batch_size=4, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval="accept")
    var = program.trainable_variables[0]
    assert sum(p["accepted"] for p in history.proposals) >= 2  # worse values were accepted
    assert var.get_json() == start
    last = var.versions[-1]
    assert (last.source, last.decided_by) == ("revert", "policy")
    assert "best state on validation restored" in (last.note or "")
    assert last.val_reward_after is not None and last.val_reward_before is not None
    assert last.val_reward_after > last.val_reward_before
    assert history.final_logs["restored_best"] is True


async def test_a_person_accepting_a_change_is_not_overruled_at_the_end() -> None:
    program = await _copycat_program(only_improvements=False)
    xs, ys = dataset(24)
    await program.fit(xs[:16], ys[:16], epochs=1, batch_size=4, verbose=0,
                      validation_data=(xs[16:], ys[16:]),
                      approval=lambda p: Decision(True, decided_by="human", reason="I like it"))
    var = program.trainable_variables[0]
    assert var.versions[-1].decided_by == "human"
    assert var.get_json()["examples"]


async def test_without_validation_data_a_fixed_slice_is_held_out_to_confirm() -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=8))
    xs, ys = dataset(40)
    history = await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0, approval="accept")
    assert (history.params["samples"], history.params["held_out"]) == (30, 10)
    accepted = [p for p in history.proposals if p["accepted"]]
    assert accepted and all(p["val_reward_after"] > p["val_reward_before"] for p in accepted)
    # the held-out slice (items 30-39) is never trained on: no example comes from it
    examples = program.trainable_variables[0].get_json()["examples"]
    assert all(int(e["inputs"]["item"].split("-")[1]) < 30 for e in examples)
    assert (await program.evaluate(xs[30:], ys[30:]))["reward"] == 1.0


async def test_labels_teach_when_no_prediction_succeeds() -> None:
    # The model is never right without an example of the category, so no prediction can be
    # an example at first: labels are what the first proposals are made of.
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4))
    xs, ys = dataset(24)
    history = await program.fit(xs[:16], ys[:16], epochs=1, batch_size=8, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval="accept")
    assert history.history["reward"][0] < 1.0
    first = history.proposals[0]
    assert all(e["reward"] is None for e in first["after"]["examples"])  # labels
    assert "from labels" in first["note"]
    assert first["val_reward_before"] == 0.0  # nothing is right without an example
    assert history.history["val_reward"][-1] >= 0.5


async def test_failed_predictions_are_never_examples() -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot(
        nb_min_examples=8, nb_max_examples=8, use_labels=False))
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, approval="accept")
    assert history.proposals == []  # every prediction failed: nothing to show
    assert program.trainable_variables[0].get_json()["examples"] == []


async def test_concurrent_predict_never_sees_a_candidate() -> None:
    probes: list[int] = []
    base = category_handler()

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        if json.loads(messages[-1]["content"])["item"].startswith("probe"):
            probes.append(len(messages))  # 2 = system + input: no example turns
        return dict(base(messages, schema))

    program = await make_program(sn.ScriptedLanguageModel(handler=handler, latency=0.001))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4))
    xs, ys = dataset(32)
    probe = [Query(category=c, item=f"probe-{i}") for i, c in enumerate(CATEGORIES * 3)]
    done = asyncio.Event()

    async def keep_predicting() -> None:
        while not done.is_set():
            await program.predict(probe, batch_size=4, verbose=0)

    watcher = asyncio.ensure_future(keep_predicting())
    history = await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0, approval="reject")
    done.set()
    await watcher
    assert len(history.proposals) >= 4  # candidates were scored while predict ran
    assert len(probes) >= 24 and set(probes) == {2}


async def test_two_fits_at_once_keep_every_accepted_change_as_a_version() -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler(),
                                                          latency=0.001))
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot(
        nb_min_examples=4, nb_max_examples=4, only_improvements=False))
    xs, ys = dataset(16)
    first, second = await asyncio.gather(
        program.fit(xs, ys, epochs=1, batch_size=4, verbose=0, approval="accept",
                    acceptance="batch"),
        program.fit(xs, ys, epochs=1, batch_size=4, verbose=0, approval="accept",
                    acceptance="batch"))
    var = program.trainable_variables[0]
    accepted = [p for h in (first, second) for p in h.proposals if p["accepted"]]
    assert len(var.versions) == 1 + len(accepted)
    assert {json.dumps(v.value, sort_keys=True) for v in var.versions[1:]} == {
        json.dumps(p["after"], sort_keys=True) for p in accepted}


def test_acceptance_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="acceptance mode"):
        Acceptance(mode="sometimes")
    with pytest.raises(ValueError, match="holdout"):
        Acceptance(holdout=1.5)
    with pytest.raises(TypeError, match="acceptance"):
        Acceptance.get(3)


async def test_a_multi_generator_program_gets_examples_of_each_module_s_own_step() -> None:
    class Fact(sn.DataModel):
        fact: str

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        query = json.loads(messages[-1]["content"])
        shown = " ".join(m["content"] for m in messages[1:-1])
        if "fact" in schema["properties"]:
            return {"fact": f"{query['item']} is a {query['category']}"}
        category = query["fact"].split(" is a ")[1]
        seen = f"is a {category}" in shown
        return {"label": category.upper() if seen else "UNKNOWN"}

    lm = sn.ScriptedLanguageModel(handler=handler)
    inputs = sn.Input(data_model=Query)
    fact = await sn.Generator(data_model=Fact, language_model=lm, name="extract")(inputs)
    label = await sn.Generator(data_model=Label, language_model=lm, name="label")(fact)
    program = sn.Program(inputs=inputs, outputs=label, name="two_steps")
    program.compile(reward="exact_match", optimizer=optimizers.BootstrapRandomSearch(
        num_candidates=2, nb_min_examples=4, nb_max_examples=4))
    xs, ys = dataset(24)
    history = await program.fit(xs[:16], ys[:16], epochs=2, batch_size=8, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval="accept")
    labelled = program.get_variable("label/instructions").get_json()["examples"]
    assert labelled and all(set(e["inputs"]) == {"fact"} for e in labelled)
    assert all(set(e["outputs"]) == {"label"} for e in labelled)
    extracted = program.get_variable("extract/instructions").get_json()["examples"]
    assert all(set(e["outputs"]) == {"fact"} for e in extracted)  # its own step, never labels
    assert history.history["val_reward"][-1] == 1.0
    assert {p["variable_path"] for p in history.proposals} >= {"label/instructions"}
    assert len({p["batch"] for p in history.proposals
                if p["variable_path"] == "label/instructions"}) >= 1


@pytest.mark.parametrize("acceptance", ["validation", "batch"])
async def test_every_candidate_of_a_step_gets_a_decision(acceptance: str) -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match", optimizer=optimizers.BootstrapRandomSearch(
        num_candidates=3, nb_min_examples=2, nb_max_examples=6))
    xs, ys = dataset(24)
    made: list[str] = []

    class Made(sn.callbacks.Callback):
        def on_event(self, event: Any) -> None:
            if event.kind == "proposal_made":
                made.append(event.proposal_id)

    history = await program.fit(xs[:16], ys[:16], epochs=1, batch_size=8, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval="accept",
                                acceptance=acceptance, callbacks=[Made()])
    assert len(made) > 2  # several candidates per step
    assert sorted(p["proposal_id"] for p in history.proposals) == sorted(made)
    per_step: dict[tuple[int, int], int] = {}
    for p in history.proposals:
        per_step[(p["epoch"], p["batch"])] = per_step.get((p["epoch"], p["batch"]), 0) + \
            p["accepted"]
    assert max(per_step.values()) <= 1  # at most one accepted per variable and step
