"""The chat-completion wire models and their converters from and to ChatMessage."""

from __future__ import annotations

import json

import pytest

import synalinks_nb as sn


def test_a_trajectory_round_trips_through_the_wire_shape() -> None:
    chat = sn.ChatMessages(messages=[
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "2 + 3?", "name": "ada"},
        {"role": "assistant", "content": "", "reasoning_content": "add them",
         "tool_calls": [{"id": "c1", "function": {"name": "add", "arguments": {"a": 2, "b": 3}}}]},
        {"role": "tool", "tool_call_id": "c1", "content": {"result": 5}},
        {"role": "assistant", "content": "5"},
    ])
    wire = sn.to_chat_completion_messages(chat)
    assert wire[2].content is None  # an empty assistant content goes as null
    assert wire[2].tool_calls is not None
    assert json.loads(str(wire[2].tool_calls[0].function.arguments)) == {"a": 2, "b": 3}
    assert wire[3].content == '{"result": 5}' and wire[3].tool_call_id == "c1"
    back = sn.from_chat_completion_messages(wire)
    assert back.messages[2].tool_calls == chat.messages[2].tool_calls
    assert back.messages[2].reasoning_content == "add them"
    assert back.messages[1].name == "ada" and back.messages[3].content == '{"result": 5}'


def test_the_legacy_function_role_reads_as_a_tool_answer() -> None:
    message = sn.ChatCompletionMessage(role="function", name="add", content="5")
    converted = sn.from_chat_completion_message(message)
    assert converted.role is sn.ChatRole.TOOL and converted.tool_call_id == "add"
    assert sn.to_chat_completion_message(
        sn.ChatMessage(role="function", tool_call_id="add", content="5")).name == "add"
    with pytest.raises(json.JSONDecodeError):
        sn.from_chat_completion_message(sn.ChatCompletionMessage(
            role="assistant", tool_calls=[{"id": "x", "function": {"name": "f",
                                                                   "arguments": "{oops"}}]))


def test_requests_and_responses_validate_the_wire_bodies() -> None:
    request = sn.ChatCompletionRequest(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
        response_format={"type": "json_schema",
                         "json_schema": {"name": "Answer", "schema": {"type": "object"}}})
    body = request.get_json()
    assert body["response_format"]["json_schema"]["schema"] == {"type": "object"}
    with pytest.raises(ValueError):
        sn.ChatCompletionRequest(model="m", messages=[{"role": "robot", "content": "hi"}])
    response = sn.ChatCompletionResponse(
        id="r1", created=1, model="m",
        choices=[{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "tool_calls": [
                {"id": "c1", "function": {"name": "add", "arguments": '{"a": 1}'}}]}}],
        usage={"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5})
    message = sn.from_chat_completion_message(response.choices[0].message)
    assert message.tool_calls is not None
    assert message.tool_calls[0].function.arguments == {"a": 1}
