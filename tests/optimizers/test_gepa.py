"""GEPA: reflection on failing samples with their feedback, a Pareto front over validation
samples, parents and rationales carried to History and the pool kept as JSON."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from category_task import dataset, make_program
from reflection_task import RULE, handler

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.optimizers import GEPA, BatchContext, ScoredPrediction
from synalinks_nb.optimizers.gepa import pareto_front
from synalinks_nb.trainers import Decision, Proposal


async def _program(optimizer: Any, lm: Any = None) -> Any:
    program = await make_program(lm or sn.ScriptedLanguageModel(handler=handler))
    program.compile(reward="exact_match", optimizer=optimizer)
    return program


async def test_gepa_learns_the_rule_from_feedback_and_ends_better_on_validation() -> None:
    lm = sn.ScriptedLanguageModel(handler=handler)
    program = await _program(GEPA(), lm)  # no model given: it reflects with the program's
    xs, ys = dataset(24)
    before = await program.evaluate(xs[16:], ys[16:], verbose=0)
    history = await program.fit(xs[:16], ys[:16], epochs=1, batch_size=8, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval="accept")
    after = await program.evaluate(xs[16:], ys[16:], verbose=0)
    assert (before["reward"], after["reward"]) == (0.0, 1.0)
    assert program.trainable_variables[0].get_json()["instructions"] == RULE
    accepted = [p for p in history.proposals if p["accepted"]]
    assert len(accepted) == 1
    assert "labels must be upper case" in accepted[0]["rationale"]
    assert accepted[0]["parent_version"] == 0
    assert accepted[0]["optimizer"] == "gepa"
    reflections = [c for c in lm.calls if "reflection" in c.schema["properties"]]
    assert reflections, "the program's own model was asked to reflect"


async def test_reflection_sees_the_failing_samples_with_their_feedback() -> None:
    lm = sn.ScriptedLanguageModel(handler=handler)
    gepa = GEPA(language_model=lm, nb_examples=2)
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    predictions = [
        ScoredPrediction(0, {"item": "a"}, {"label": "fruit"}, 0.0, {"label": "FRUIT"},
                         feedback='expected {"label": "FRUIT"}, got {"label": "fruit"}'),
        ScoredPrediction(1, {"item": "b"}, {"label": "COLOR"}, 1.0, {"label": "COLOR"},
                         feedback="correct"),
        ScoredPrediction(2, {"item": "c"}, None, 0.0, {"label": "ANIMAL"},
                         feedback="the program failed: ProviderError: down"),
    ]
    candidate = await gepa.propose(var, BatchContext(0, 0, predictions, random.Random(0)))
    assert candidate is not None and candidate.value == {"instructions": RULE, "examples": []}
    sent = json.loads(lm.calls[0].messages[-1]["content"])
    assert [s["feedback"] for s in sent["samples"]] == [
        'expected {"label": "FRUIT"}, got {"label": "fruit"}',
        "the program failed: ProviderError: down"]  # failures only, at most nb_examples
    assert sent["samples"][0]["expected"] == {"label": "FRUIT"}
    assert "upper case" in candidate.rationale
    everything_right = [predictions[1]]
    assert await gepa.propose(var, BatchContext(0, 1, everything_right, random.Random(0))) \
        is None


def test_the_pareto_front_keeps_a_member_best_on_a_single_sample() -> None:
    front = pareto_front({"seed": [0, 1, 1, 1], "narrow": [1, 0, 0, 0],
                          "dominated": [0, 1, 0, 1], "same": [0, 1, 1, 1]})
    assert front == {"seed": 3, "narrow": 1, "same": 3}
    assert pareto_front({"a": [1, 1], "b": [1, 1]}) == {"a": 1, "b": 1}


def _decide(gepa: GEPA, var: Any, after: dict[str, Any], scores: list[float],
            before_scores: list[float] | None, accepted: bool) -> None:
    proposal = Proposal("p", var.path, var.get_json(), after, 0.0, 1.0, optimizer="gepa",
                        val_scores=scores, val_scores_before=before_scores)
    gepa.on_decision(var, proposal, Decision(accepted))


async def test_a_rejected_candidate_best_on_one_sample_stays_and_is_chosen_as_a_parent() -> None:
    lm = sn.ScriptedLanguageModel(handler=handler)
    gepa = GEPA(language_model=lm, pool_size=2)
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    narrow = {"instructions": "Only fruit.", "examples": []}  # mean 0.25, best on sample 0
    broad = {"instructions": "Broad.", "examples": []}  # mean 0.5, best on none
    _decide(gepa, var, narrow, [1, 0, 0, 0], [0, 1, 1, 1], accepted=False)
    _decide(gepa, var, broad, [0, 1, 1, 0], None, accepted=False)
    assert [m["value"]["instructions"] for m in gepa.pool(var)] == ["", "Only fruit."]
    ids = {m["value"]["instructions"]: m["id"] for m in gepa.pool(var)}
    assert gepa.front(var) == {ids[""]: 3, ids["Only fruit."]: 1}
    wrong = ScoredPrediction(0, {"item": "a"}, {"label": "x"}, 0.0, {"label": "Y"},
                             feedback="expected Y")
    rng = random.Random(3)
    for batch in range(40):
        await gepa.propose(var, BatchContext(0, batch, [wrong], rng))
    parents = [json.loads(c.messages[-1]["content"])["current_instructions"]
               for c in lm.calls]
    assert 3 <= parents.count("Only fruit.") <= 20  # about a quarter of the draws
    assert set(parents) == {"", "Only fruit."}


async def test_instructions_scored_already_are_not_proposed_again() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"reflection": "again", "instructions": "Old."}])
    gepa = GEPA(language_model=lm)
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    _decide(gepa, var, {"instructions": "Old.", "examples": []}, [1, 0], [0, 1], False)
    wrong = ScoredPrediction(0, {"item": "a"}, {"label": "x"}, 0.0, {"label": "Y"})
    assert await gepa.propose(var, BatchContext(0, 0, [wrong], random.Random(0))) is None
    assert len(lm.calls) == 1 and "pending" not in gepa.variable_state(var)


async def test_merge_combines_the_two_front_members_that_win_most() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"reflection": "a for fruit, b for the rest",
                                              "instructions": "Merged."}])
    gepa = GEPA(language_model=lm, merge_rate=1.0)
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    _decide(gepa, var, {"instructions": "Only fruit.", "examples": []}, [1, 0, 0],
            [0, 1, 1], accepted=False)
    candidate = await gepa.propose(var, BatchContext(0, 0, [], random.Random(0)))
    assert candidate is not None and candidate.value["instructions"] == "Merged."
    assert candidate.note == "merge of candidates 0 and 1"
    sent = json.loads(lm.calls[0].messages[-1]["content"])
    assert (sent["instructions_a"], sent["instructions_b"]) == ("", "Only fruit.")


async def test_state_config_and_registry_round_trip() -> None:
    program = await _program("gepa")
    assert isinstance(program.optimizer, GEPA)
    xs, ys = dataset(24)
    await program.fit(xs[:16], ys[:16], epochs=1, batch_size=8, verbose=0,
                      validation_data=(xs[16:], ys[16:]), approval="accept")
    state = json.loads(json.dumps(program.optimizer.get_state()))
    pool = state["variables"]["gen/instructions"]["pool"]
    assert [m["value"]["instructions"] for m in pool] == ["", RULE]
    assert pool[1]["scores"] == [1.0] * 8 and pool[1]["version"] == 1
    assert (pool[1]["parents"], pool[1]["origin"]) == ([0], "reflection")
    again = optimizers.deserialize(optimizers.serialize(GEPA(nb_examples=2, merge_rate=0.5)))
    assert isinstance(again, GEPA) and (again.nb_examples, again.merge_rate) == (2, 0.5)
    again.set_state(state)
    assert again.front(program.trainable_variables[0]) == {1: 8}
    with pytest.raises(ValueError, match=r"int >= 1\. Received: nb_examples=0"):
        GEPA(nb_examples=0)


async def test_a_variable_without_instructions_gets_no_proposal() -> None:
    class Knob(sn.Trainable):
        level: int = 0

    gepa = GEPA(language_model=sn.ScriptedLanguageModel(handler=handler))
    var = sn.Variable(data_model=Knob, name="knob", module="m")
    wrong = ScoredPrediction(0, {}, {}, 0.0, None, feedback="too low")
    assert await gepa.propose(var, BatchContext(0, 0, [wrong], random.Random(0))) is None
