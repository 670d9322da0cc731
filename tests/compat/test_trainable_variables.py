"""Trainable variables: a custom module with a trainable and a non-trainable variable."""

from __future__ import annotations

from typing import Any

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


class Hints(synalinks.Trainable):
    hints: list[str] = synalinks.Field(default=[], description="Reminders for the model")


class CallStats(synalinks.DataModel):
    count: int = synalinks.Field(default=0, description="Calls so far")


class HintedAnswerer(synalinks.Module):
    def __init__(self, language_model: Any = None, hints: list[str] | None = None,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        self.state = self.add_variable(initializer=Hints(hints=hints or []).get_json(),
                                       data_model=Hints, name="hints_" + self.name)
        self.stats = self.add_variable(initializer=CallStats().get_json(),
                                       data_model=CallStats, trainable=False,
                                       name="stats_" + self.name)
        self.generator = synalinks.Generator(data_model=Answer, language_model=language_model,
                                             name="generator_" + self.name)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if not inputs:
            return None
        self.stats.update({"count": self.stats.get("count") + 1})
        hints = "; ".join(self.state.get("hints") or [])
        return await self.generator(inputs + Query(query=hints), training=training)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        # Built for what `call` sends it (Synalinks formats whatever arrives; here a module
        # checks its inputs against the schema it was built for).
        return await self.generator(inputs + Query.to_symbolic_data_model())


async def test_variables_are_tracked_read_and_updated() -> None:
    language_model = answering(lambda user, field: user.get("query_1") or "no hints")
    module = HintedAnswerer(language_model=language_model, hints=["be brief"], name="hinted")
    inputs = synalinks.Input(data_model=Query)
    program = synalinks.Program(inputs=inputs, outputs=await module(inputs), name="hinted_qa")

    assert (await program(Query(query="2+2?")))["answer"] == "be brief"
    module.state.update({"hints": ["be brief", "show units"]})
    assert (await program(Query(query="2+2?")))["answer"] == "be brief; show units"
    assert module.stats["count"] == 2
    trainable = [v.name for v in program.trainable_variables]
    assert "hints_hinted" in trainable and "stats_hinted" not in trainable
    assert "stats_hinted" in [v.name for v in program.non_trainable_variables]
