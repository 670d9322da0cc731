"""Streaming, written as Synalinks' chatbot example and its streaming metrics are used.

Synalinks hands an interactive streamed call back as an iterator; here the call returns
the answer and its tokens are shown on the way (the notebook's output, stderr, or the
function given to ``streaming_to``). What Synalinks code checks still holds: the answer
is a chat message, and the latency metrics read the streamed calls.
"""

from __future__ import annotations

from typing import Any

import pytest

import synalinks_nb as synalinks
from synalinks_nb.language_models import streaming_to


def chat_model() -> synalinks.ScriptedLanguageModel:
    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        return "The capital of France is Paris."

    return synalinks.ScriptedLanguageModel(handler=handler)


async def chatbot() -> synalinks.Program:
    inputs = synalinks.Input(data_model=synalinks.ChatMessages)
    outputs = await synalinks.Generator(language_model=chat_model(), streaming=True)(inputs)
    return synalinks.Program(inputs=inputs, outputs=outputs, name="streaming_chatbot",
                             description="A chatbot whose answers stream")


def conversation(text: str) -> synalinks.ChatMessages:
    return synalinks.ChatMessages(messages=[synalinks.ChatMessage(role="user", content=text)])


async def test_a_streaming_chatbot_shows_its_answer_and_returns_a_chat_message() -> None:
    program = await chatbot()
    pieces: list[str] = []
    with streaming_to(lambda label, text: pieces.append(text)):
        response = await program(conversation("Hello! What is the capital of France?"))
    assert synalinks.is_chat_message(response)
    assert response["content"] == "The capital of France is Paris."
    assert pieces[:2] == ["The", " capital"] and "".join(pieces) == response["content"]


async def test_streaming_metrics_are_reported_by_evaluate() -> None:
    program = await chatbot()
    program.compile(
        reward=synalinks.rewards.ExactMatch(in_mask=["content"]),
        metrics=[synalinks.metrics.AvgTimeToFirstToken(),
                 synalinks.metrics.AvgTimeToLastToken(),
                 synalinks.metrics.AvgTrajectoryTimeToFirstToken()],
    )
    x = [conversation("Capital of France?")] * 3
    y = [synalinks.ChatMessage(role="assistant", content="The capital of France is Paris.")] * 3
    metrics = await program.evaluate(x=x, y=y, verbose=0)
    assert metrics["reward"] == pytest.approx(1.0)
    assert 0.0 < metrics["avg_time_to_first_token"] <= metrics["avg_time_to_last_token"]
    assert metrics["avg_trajectory_time_to_first_token"] == 0.0  # no agent here
