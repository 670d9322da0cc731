"""``lm(messages, tools=[...])``: native function calling and schema-constrained JSON."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from openai_server import OpenAIServer, Reply

import synalinks_nb as sn
from synalinks_nb.errors import StructuredOutputError
from synalinks_nb.language_models import LanguageModel, RetryPolicy, ScriptedLanguageModel
from synalinks_nb.language_models.tool_calls import (
    declarations,
    declarations_of,
    plain_messages,
    tool_calls_schema,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def add(a: int, b: int) -> int:
    """Add two integers.

    Args:
        a: The first number.
        b: The second number.
    """
    return a + b


class Point(sn.DataModel):
    x: int
    y: int


def where(point: Point) -> str:
    """Name a point."""
    return f"{point.x},{point.y}"


ASK = [{"role": "user", "content": "2 + 3?"}]


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def _close_litellm_clients() -> AsyncIterator[None]:
    yield
    from synalinks_nb.language_models.litellm_backend import import_litellm

    await import_litellm().close_litellm_async_clients()


async def test_the_scripted_model_chooses_tools_as_constrained_json() -> None:
    lm = ScriptedLanguageModel(responses=[
        {"thinking": "add", "tool_calls": [{"name": "add", "arguments": {"a": 2, "b": 3}}]}])
    message = (await lm(ASK, tools=[sn.Tool(add)])).get_json()
    call = message["tool_calls"][0]
    assert message["content"] == "add" and call["type"] == "function"
    assert call["function"] == {"name": "add", "arguments": {"a": 2, "b": 3}}
    assert call["id"].startswith("call_")
    sent = lm.calls[0].schema
    assert sent is not None and declarations_of(sent)[0]["function"]["name"] == "add"


async def test_arguments_that_do_not_match_the_tool_are_repaired_then_refused() -> None:
    lm = ScriptedLanguageModel(responses=[
        {"thinking": "", "tool_calls": [{"name": "add", "arguments": {"a": "two"}}]},
        {"thinking": "", "tool_calls": [{"name": "add", "arguments": {"a": 2, "b": 3}}]}])
    message = (await lm(ASK, tools={"add": sn.Tool(add)})).get_json()
    assert message["tool_calls"][0]["function"]["arguments"] == {"a": 2, "b": 3}
    assert "rejected" in lm.calls[1].messages[-1]["content"]  # the error went back to it
    wrong = ScriptedLanguageModel(responses=[
        {"thinking": "", "tool_calls": [{"name": "subtract", "arguments": {}}]}])
    with pytest.raises(StructuredOutputError):
        await wrong(ASK, tools=[sn.Tool(add)])


async def test_no_tool_call_is_a_plain_assistant_message_and_schema_with_tools_is_refused(
) -> None:
    lm = ScriptedLanguageModel(responses=[{"thinking": "It is 5.", "tool_calls": []}])
    assert (await lm(ASK, tools=[sn.Tool(add)])).get_json() == {
        "role": "assistant", "content": "It is 5."}
    with pytest.raises(ValueError, match="schema or tools"):
        await lm(ASK, schema={"type": "object"}, tools=[sn.Tool(add)])


async def test_nested_argument_models_keep_their_refs_in_the_tool_calls_schema() -> None:
    schema = tool_calls_schema(declarations([sn.Tool(where), sn.Tool(add)]))
    assert "where__Point" in schema["$defs"]
    sn.data_models.validate_json(
        {"thinking": "", "tool_calls": [{"name": "where", "arguments": {"point": {"x": 1,
                                                                                "y": 2}}}]},
        schema)
    back = declarations_of(schema)
    assert back is not None and back[0]["function"]["parameters"]["$defs"]["Point"]
    with pytest.raises(TypeError, match="distinct names"):
        declarations([sn.Tool(add), sn.Tool(add)])


async def test_trajectory_messages_become_text_turns_for_text_only_models() -> None:
    turns = plain_messages([
        {"role": "assistant", "content": "add",
         "tool_calls": [{"id": "c1", "type": "function",
                         "function": {"name": "add", "arguments": {"a": 1}}}]},
        {"role": "tool", "tool_call_id": "c1", "content": {"result": 2}},
    ])
    assert turns[0] == {"role": "assistant", "content": json.dumps(
        {"thinking": "add", "tool_calls": [{"name": "add", "arguments": {"a": 1}}]})}
    assert turns[1] == {"role": "user", "content": 'Result of tool call c1: {"result": 2}'}


def _tool_call_reply(arguments: str) -> Reply:
    return Reply(body={
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": "adding",
            "tool_calls": [{"id": "call_xyz", "type": "function",
                            "function": {"name": "add", "arguments": arguments}}]}}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}})


def _lm(server: OpenAIServer, function_calling: Any) -> LanguageModel:
    return LanguageModel("openai/test-model", api_base=server.api_base, api_key="sk-test",
                         retry=RetryPolicy(max_retries=0), timeout=10,
                         function_calling=function_calling)


async def test_native_function_calling_sends_tools_and_reads_the_calls_back(
        server: OpenAIServer) -> None:
    server.script(_tool_call_reply('{"a": 2, "b": 3}'))
    lm = _lm(server, "native")
    history = [*ASK, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c0", "type": "function", "function": {"name": "add", "arguments": {"a": 1,
                                                                                    "b": 1}}}]},
        {"role": "tool", "tool_call_id": "c0", "content": {"result": 2}}]
    message = (await lm(history, tools=[sn.Tool(add)])).get_json()
    assert message["tool_calls"] == [{"id": "call_xyz", "type": "function",
                                      "function": {"name": "add", "arguments": {"a": 2, "b": 3}}}]
    body = server.requests[0].body
    assert body["tools"][0]["function"]["name"] == "add" and body["tool_choice"] == "auto"
    assert "response_format" not in body
    # The trajectory goes in the wire shape: JSON-string arguments and results.
    assert body["messages"][1]["tool_calls"][0]["function"]["arguments"] == '{"a": 1, "b": 1}'
    assert body["messages"][2] == {"role": "tool", "tool_call_id": "c0",
                                   "content": '{"result": 2}'}
    assert lm.usage.total.prompt_tokens == 11


async def test_without_native_support_tools_are_asked_as_a_json_schema(
        server: OpenAIServer) -> None:
    answer = {"thinking": "adding", "tool_calls": [{"name": "add", "arguments": {"a": 2,
                                                                               "b": 3}}]}
    server.script(Reply(content=json.dumps(answer)))
    message = (await _lm(server, "json")(ASK, tools=[sn.Tool(add)])).get_json()
    assert message["tool_calls"][0]["function"]["arguments"] == {"a": 2, "b": 3}
    body = server.requests[0].body
    assert "tools" not in body
    assert body["response_format"]["json_schema"]["schema"]["title"] == "ToolCalls"


async def test_function_calling_is_checked_and_saved() -> None:
    with pytest.raises(sn.errors.ConfigError, match="function_calling"):
        LanguageModel("openai/x", function_calling="sometimes")  # type: ignore[arg-type]
    with pytest.raises(sn.errors.ConfigError, match="local model"):
        LanguageModel("local/smollm2", function_calling="native")
    config = LanguageModel("openai/x", function_calling="json").get_config()
    assert LanguageModel.from_config(config).backend.function_calling == "json"  # type: ignore[union-attr]


async def test_the_embedded_model_gets_the_tools_schema_and_text_turns() -> None:
    from synalinks_nb.language_models.embedded import chat_request
    from synalinks_nb.language_models.settings import SamplingSettings

    schema = tool_calls_schema(declarations([sn.Tool(add)]))
    request = chat_request([*ASK, {"role": "tool", "tool_call_id": "c1", "content": {"r": 5}}],
                           schema, SamplingSettings())
    assert request["response_format"] == {"type": "json_object", "schema": schema}
    assert request["messages"][-1] == {"role": "user",
                                       "content": 'Result of tool call c1: {"r": 5}'}


async def test_the_tool_calls_schema_compiles_to_a_llama_cpp_grammar() -> None:
    llama_grammar = pytest.importorskip("llama_cpp.llama_grammar",
                                        reason="the embedded model's extra is not installed")
    schema = tool_calls_schema(declarations([sn.Tool(add), sn.Tool(where)]))
    grammar = llama_grammar.json_schema_to_gbnf(json.dumps(schema))
    assert '"\\"add\\""' in grammar  # a tool's name is a constant
    assert "where-Point ::=" in grammar  # the hoisted $defs resolve
    llama_grammar.LlamaGrammar.from_string(grammar, verbose=False)
