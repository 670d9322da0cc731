"""``Generator(tools=, tool_schemas=, top_k=)`` as Synalinks defines them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ConfigError
from synalinks_nb.language_models.embedded import chat_request
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.language_models.tool_calls import declarations_of
from tests.data_models.models import Answer, Query

q = Query(query="What is 2+3?")
ran: list[tuple[int, int]] = []


async def add(a: int, b: int) -> dict[str, int]:
    """Add two numbers.

    Args:
        a: first number.
        b: second number.
    """
    ran.append((a, b))
    return {"sum": a + b}


SUBTRACT = {"type": "function", "function": {
    "name": "subtract", "description": "Subtract b from a.",
    "parameters": {"type": "object", "properties": {"a": {"type": "integer"},
                                                    "b": {"type": "integer"}},
                   "required": ["a", "b"]}}}


def choosing(name: str, **arguments: Any) -> sn.ScriptedLanguageModel:
    return sn.ScriptedLanguageModel(responses=[
        {"thinking": "use a tool", "tool_calls": [{"name": name, "arguments": arguments}]}] * 2)


def offered(lm: sn.ScriptedLanguageModel, call: int = 0) -> list[str]:
    return [d["function"]["name"] for d in declarations_of(lm.calls[call].schema) or []]


async def test_a_generator_with_tools_answers_the_calls_to_make_without_running_them() -> None:
    lm = choosing("add", a=2, b=3)
    gen = sn.Generator(language_model=lm, tools=[sn.Tool(add)], tool_schemas=[SUBTRACT])
    message = (await gen(q)).get_json()
    assert message["role"] == "assistant"
    assert [c["function"] for c in message["tool_calls"]] == [
        {"name": "add", "arguments": {"a": 2, "b": 3}}]
    assert offered(lm) == ["add", "subtract"] and ran == []


async def test_tools_given_to_a_call_are_offered_after_the_generator_s_own() -> None:
    lm = choosing("subtract", a=5, b=3)
    gen = sn.Generator(language_model=lm, tools={"add": sn.Tool(add)})
    await gen(q, tool_schemas=[SUBTRACT])
    assert offered(lm) == ["add", "subtract"]


def test_a_schema_and_tools_exclude_each_other() -> None:
    with pytest.raises(ValueError, match=r"not both.*\['add'\]"):
        sn.Generator(data_model=Answer, tools=[sn.Tool(add)])


async def test_a_saved_generator_offers_the_same_tools(tmp_path: Path) -> None:
    lm = choosing("add", a=1, b=1)
    x = sn.Input(data_model=Query)
    y = await sn.Generator(language_model=lm, tools=[sn.Tool(add)], name="chooser")(x)
    program = sn.Program(inputs=x, outputs=y, name="p")
    await program(q)
    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json", language_model=lm)
    message = (await loaded(q)).get_json()
    assert message["tool_calls"][0]["function"]["name"] == "add"
    assert lm.calls[0].schema == lm.calls[1].schema


async def test_top_k_is_sent_with_every_call_and_reaches_the_embedded_model() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "5"}])
    gen = sn.Generator(data_model=Answer, language_model=lm, top_k=5)
    await gen(q)
    assert lm.calls[0].kwargs == {"top_k": 5}
    assert type(gen).from_config(gen.get_config()).sampling.top_k == 5
    messages = [{"role": "user", "content": "hi"}]
    assert chat_request(messages, None, SamplingSettings(top_k=5))["top_k"] == 5


@pytest.mark.parametrize("top_k", [0, 2.5, True])
def test_top_k_must_be_a_positive_int(top_k: Any) -> None:
    with pytest.raises(ConfigError, match="top_k"):
        sn.Generator(data_model=Answer, top_k=top_k)
