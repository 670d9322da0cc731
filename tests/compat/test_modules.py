"""Modules: a custom module, Lambda, Tool and Action, as Synalinks' guide writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


@synalinks.utils.register_synalinks_serializable()
class Shout(synalinks.Module):
    """Answers with the query in capitals, then asks a model to confirm it."""

    def __init__(self, language_model: Any = None, name: str | None = None,
                 description: str | None = None, trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        self.language_model = language_model
        self.confirm = synalinks.Generator(data_model=Answer, language_model=language_model)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if not inputs:
            return None
        return await self.confirm(inputs, training=training)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await self.confirm(inputs)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "trainable": self.trainable}


async def test_custom_module_in_a_program_round_trips(tmp_path: Path) -> None:
    language_model = answering(lambda user, field: user["query"].upper())
    inputs = synalinks.Input(data_model=Query)
    outputs = await Shout(language_model=language_model, name="shout")(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="shouter")
    assert (await program(Query(query="hey")))["answer"] == "HEY"
    program.save(tmp_path / "shouter.json")
    loaded = synalinks.Program.load(tmp_path / "shouter.json")
    assert type(loaded.get_module("shout")).__name__ == "Shout"


@synalinks.saving.register_synalinks_serializable()
async def uppercase(inputs: Any) -> dict[str, Any]:
    return {"answer": inputs.get_json()["query"].upper()}


async def test_lambda_and_action_with_synalinks_keywords() -> None:
    x0 = synalinks.Input(data_model=Query)
    x1 = await synalinks.Lambda(function=uppercase, data_model=Answer)(x0)
    program = synalinks.Program(inputs=x0, outputs=x1, name="upper")
    assert (await program(Query(query="quiet")))["answer"] == "QUIET"

    async def multiply(a: float, b: float) -> float:
        """Multiply two numbers.

        Args:
            a: The first number.
            b: The second number.
        """
        return a * b

    calculator = answering(lambda user, field: 6.0 if field == "a" else 7.0)
    action = synalinks.Action(tool=synalinks.Tool(func=multiply), language_model=calculator)
    result = await action(Query(query="What is 6 times 7?"))
    assert result.get_json()["result"] == 42.0
