"""Modules take Synalinks' keyword arguments, and files saved with the older names load."""

from __future__ import annotations

from typing import Any

import synalinks_nb as sn
from synalinks_nb.modules.serialization import instantiate
from tests.data_models.models import Answer, Query

q = Query(query="What is 2+2?")


def add(a: int, b: int) -> int:
    """Add two numbers.

    Args:
        a: first number.
        b: second number.
    """
    return a + b


def shout(inputs: Any) -> dict[str, Any]:
    return {"answer": inputs.get_json()["query"].upper()}


async def test_action_tool_keyword_and_tool_func_keyword() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"a": 1, "b": 2}, {"a": 3, "b": 4}])
    by_function = await sn.Action(tool=add, language_model=lm)(q)
    by_tool = await sn.Action(tool=sn.Tool(func=add), language_model=lm)(q)
    assert by_function["result"] == 3 and by_tool["result"] == 7
    assert sn.Tool(func=add).schema["properties"]["a"]["description"] == "first number."


async def test_lambda_schema_and_data_model_keywords() -> None:
    by_model = sn.Lambda(function=shout, data_model=Answer)
    by_schema = sn.Lambda(function=shout, schema=Answer.get_schema())
    for module in (by_model, by_schema):
        out = await module(q.to_json_data_model())
        assert out.get_json() == {"answer": "WHAT IS 2+2?"}
    assert by_model.get_config()["schema"] == Answer.get_schema()
    assert by_model.trainable is False  # Synalinks' default: a Lambda has nothing to train


def test_configs_saved_before_the_rename_still_load() -> None:
    old_lambda = {"name": "shout", "function": "shout", "output_schema": Answer.get_schema()}
    module = instantiate(sn.Lambda, old_lambda, {"shout": shout})
    assert module.output_schema == Answer.get_schema()
    old_action = {"name": "act", "fn": "add", "language_model": None,
                  "instructions": "", "examples": []}
    action = instantiate(sn.Action, old_action, {"add": add})
    assert action.tool.name == "add"


async def test_generator_sampling_keywords_reach_the_model() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "4"}])
    gen = sn.Generator(data_model=Answer, language_model=lm, temperature=0.0, max_tokens=64,
                       top_p=0.9, reasoning_effort="low")
    await gen(q)
    assert lm.calls[0].kwargs == {"temperature": 0.0, "top_p": 0.9, "max_tokens": 64,
                                  "reasoning_effort": "low"}


async def test_a_registered_lambda_function_loads_without_custom_objects(tmp_path: Any) -> None:
    @sn.saving.register_synalinks_serializable(package="Compat")
    async def whisper(inputs: Any) -> dict[str, Any]:
        return {"answer": inputs.get_json()["query"].lower()}

    x = sn.Input(data_model=Query)
    y = await sn.Lambda(function=whisper, data_model=Answer, name="whisper")(x)
    sn.Program(inputs=x, outputs=y, name="p").save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json")
    assert (await loaded(Query(query="LOUD")))["answer"] == "loud"


async def test_streaming_flag_streams_a_structured_answer_and_returns_it_whole() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"thinking": "2 + 2", "answer": "4"}])
    gen = sn.ChainOfThought(data_model=Answer, language_model=lm, streaming=True)
    pieces: list[str] = []
    with sn.language_models.streaming_to(lambda label, text: pieces.append(text)):
        answer = await gen(q)
    # Unlike Synalinks, a structured answer streams too: its JSON is shown as it comes,
    # and the module still returns the validated data model.
    assert answer["answer"] == "4"
    assert "".join(pieces) == '{"thinking": "2 + 2", "answer": "4"}'
    assert type(gen).from_config(gen.get_config()).streaming is True
