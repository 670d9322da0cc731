"""The programs both hook test files watch: a question-answering program and a tool agent."""

from __future__ import annotations

from typing import Any

import synalinks_nb as sn


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


async def qa_program(lm: Any) -> sn.Program:
    """``Program "qa"``: one ``Generator "answerer"`` from a Query to an Answer."""
    inputs = sn.Input(data_model=Query)
    outputs = await sn.Generator(data_model=Answer, language_model=lm, name="answerer")(inputs)
    return sn.Program(inputs=inputs, outputs=outputs, name="qa")


async def add(a: float, b: float) -> dict[str, float]:
    """Add two numbers.

    Args:
        a: the first number.
        b: the second number.
    """
    return {"sum": a + b}


def adder_agent() -> sn.FunctionCallingAgent:
    """An agent named "adder" whose model calls ``add(a=1, b=2)`` once, then answers "3"."""
    lm = sn.ScriptedLanguageModel(responses=[
        {"thinking": "add", "tool_calls": [{"name": "add", "arguments": {"a": 1, "b": 2}}]},
        {"thinking": "done", "tool_calls": []}, {"answer": "3"}])
    return sn.FunctionCallingAgent(tools=[sn.Tool(add)], language_model=lm,
                                   data_model=Answer, name="adder")
