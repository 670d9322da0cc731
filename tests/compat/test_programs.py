"""Programs: the functional, subclassing, sequential and mixed ways of Synalinks' guide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


def lm() -> synalinks.ScriptedLanguageModel:
    return answering(lambda user, field: user.get("query", "?").upper())


async def test_functional_program_saves_and_loads(tmp_path: Path) -> None:
    model = lm()
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.ChainOfThought(data_model=Answer, language_model=model)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="cot")
    assert (await program(Query(query="hi")))["answer"] == "HI"
    program.save(tmp_path / "cot.json")
    # A scripted model's handler is code, never saved: it is given back by name.
    loaded = synalinks.Program.load(tmp_path / "cot.json", custom_objects={model.name: model})
    assert [v.path for v in loaded.trainable_variables] == [
        v.path for v in program.trainable_variables]


async def test_subclassed_program() -> None:
    class Answerer(synalinks.Program):
        def __init__(self, language_model: Any, name: str | None = None) -> None:
            super().__init__(name=name)
            self.answer = synalinks.Generator(data_model=Answer, language_model=language_model)

        async def call(self, inputs: Any, training: bool = False) -> Any:
            return await self.answer(inputs, training=training)

    program = Answerer(language_model=lm(), name="answerer")
    result = await program(Query(query="why"))
    assert result["answer"] == "WHY"
    assert len(program.trainable_variables) == 1


async def test_sequential_and_mixed_programs() -> None:
    sequential = synalinks.Sequential(
        [synalinks.Input(data_model=Query),
         synalinks.Generator(data_model=Answer, language_model=lm())],
        name="seq",
    )
    assert (await sequential(Query(query="a")))["answer"] == "A"

    inputs = synalinks.Input(data_model=Query)
    outputs = await sequential(inputs)  # a program used as a module of another one
    mixed = synalinks.Program(inputs=inputs, outputs=outputs, name="mixed")
    assert (await mixed(Query(query="b")))["answer"] == "B"
