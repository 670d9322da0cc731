"""Synalinks' Trainable bookkeeping: seed candidates reach the optimizer, the rest is refused.

Synalinks puts optimizer fields (predictions, candidates, history...) in every trainable
value; here they live in the optimizer's state. ``seed_candidates`` still works as in
Synalinks' example 9a (a custom module whose Trainable is warm-started), and code that
reads the other fields gets an error saying what to use instead.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import DataModelError, InvalidVariableValueError, VariableError


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


class Hints(sn.Trainable):
    """Reminders given to the model."""

    hints: list[str] = sn.Field(default=[], description="Reminders")


class HintsInput(sn.DataModel):
    hints: list[str]


def test_seed_candidates_go_to_the_variable_not_into_its_value() -> None:
    value = Hints(hints=["a"], seed_candidates=[{"hints": ["b"]}], predictions=[], nb_visit=0)
    v = sn.Variable(value.get_json(), data_model=Hints, name="hints")
    assert v.get_json() == {"hints": ["a"]}
    assert v.seed_candidates == [{"hints": ["b"]}]
    assert sn.Variable(value, data_model=Hints).seed_candidates == [{"hints": ["b"]}]


def test_bad_seeds_and_non_empty_bookkeeping_are_refused() -> None:
    with pytest.raises(InvalidVariableValueError):
        sn.Variable({"hints": [], "seed_candidates": [{"hints": "not a list"}]}, data_model=Hints)
    with pytest.raises(DataModelError, match=r"'history'.*leave it out"):
        Hints(history=[{"hints": []}])


def test_reading_an_optimizer_field_says_what_to_use_instead() -> None:
    v = sn.Variable({"hints": []}, data_model=Hints, name="hints")
    with pytest.raises(VariableError, match=r"current_predictions.*versions"):
        v.get("current_predictions")
    assert v.get("history", []) == []
    assert v.get("not_a_field") is None


class HintedAnswerer(sn.Module):
    def __init__(self, language_model: Any, seed_hints: list[list[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = self.add_variable(
            initializer=Hints(hints=[], seed_candidates=[{"hints": s} for s in seed_hints])
            .get_json(), data_model=Hints, name="hints_" + self.name)
        self.generator = sn.Generator(data_model=Answer, language_model=language_model,
                                      name="generator_" + self.name)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        hints = HintsInput(hints=self.state.get("hints"))
        return await self.generator(inputs + hints, training=training)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await self.generator(inputs + sn.SymbolicDataModel(data_model=HintsInput))


def model() -> sn.ScriptedLanguageModel:
    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        props = (schema or {}).get("properties", {})
        if "hints" in props:
            return {"hints": ["Say anything."]}
        if "instructions" in props:
            return {"instructions": "Answer.", "examples": []}
        user = json.loads(messages[-1]["content"])
        return {"answer": "42" if "Show the unit." in user.get("hints", []) else "?"}

    return sn.ScriptedLanguageModel(handler=handler)


async def test_a_custom_trainable_is_warm_started_with_its_seed_candidates() -> None:
    lm = model()
    x = sn.Input(data_model=Query)
    y = await HintedAnswerer(lm, seed_hints=[["Show the unit."]], name="hinted")(x)
    program = sn.Program(inputs=x, outputs=y)
    program.compile(reward="exact_match",
                    optimizer=sn.optimizers.OMEGA(language_model=lm, population_size=4))
    xs = [Query(query=f"q{i}") for i in range(8)]
    history = await program.fit(xs, [Answer(answer="42")] * 8, epochs=1, batch_size=4,
                                verbose=0)
    seeds = [p for p in history.proposals if p["note"] == "seed"]
    assert [p["variable_path"] for p in seeds] == ["hinted/hints_hinted"]
    hints = next(v for v in program.trainable_variables if v.name == "hints_hinted")
    assert hints.get("hints") == ["Show the unit."]
