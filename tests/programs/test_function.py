"""sn.Function: a captured graph, re-applied to new values and nested in programs."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import synalinks_nb as sn


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


def shouting_model() -> sn.ScriptedLanguageModel:
    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, str]:
        return {"answer": json.loads(messages[-1]["content"])["query"].upper()}

    return sn.ScriptedLanguageModel(handler=handler)


def test_a_function_over_bare_symbolic_models_runs_its_operations() -> None:
    q = sn.SymbolicDataModel(data_model=Query)
    a = sn.SymbolicDataModel(data_model=Answer)
    fn = sn.Function(inputs=[q, a], outputs=q + a, name="join")
    assert fn.inputs == [q, a] and len(fn.outputs) == 1
    assert len(fn.operations) == 1
    out = asyncio.run(fn([Query(query="Q?"), Answer(answer="A.")]))
    assert out.get_json() == {"query": "Q?", "answer": "A."}


async def two_branches() -> sn.Function:
    lm = shouting_model()
    x = sn.Input(data_model=Query)
    a = await sn.Generator(data_model=Answer, language_model=lm, name="one")(x)
    b = await sn.Identity(name="same")(x)
    return sn.Function(inputs=x, outputs=[a, b])


def test_a_function_with_modules_and_branches() -> None:
    fn = asyncio.run(two_branches())
    assert [op.name for op in fn.operations] == ["one", "same"]
    answer, same = asyncio.run(fn(Query(query="hello")))
    assert answer.get_json() == {"answer": "HELLO"}
    assert same.get_json() == {"query": "hello"}


def test_calling_a_function_symbolically_records_one_step_in_a_program() -> None:
    async def build() -> sn.Program:
        inner_x = sn.SymbolicDataModel(data_model=Query)
        fn = sn.Function(inputs=inner_x, outputs=await sn.Identity(name="inner_same")(inner_x))
        x = sn.Input(data_model=Query)
        y = await fn(x)
        assert isinstance(y, sn.SymbolicDataModel) and y.get_schema() == x.get_schema()
        return sn.Program(inputs=x, outputs=y, name="wrapper")

    program = asyncio.run(build())
    assert asyncio.run(program(Query(query="kept"))).get_json() == {"query": "kept"}


def test_a_function_is_not_saved() -> None:
    q = sn.SymbolicDataModel(data_model=Query)
    with pytest.raises(NotImplementedError, match=r"sn\.Program"):
        sn.Function(inputs=q, outputs=~q).get_config()


def test_outputs_must_come_from_the_inputs() -> None:
    q = sn.SymbolicDataModel(data_model=Query)
    other = sn.SymbolicDataModel(data_model=Answer)
    with pytest.raises(sn.errors.GraphError):
        sn.Function(inputs=q, outputs=q + other)
