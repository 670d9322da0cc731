"""Conversational applications, written as Synalinks' chatbot example and chat modules do."""

from __future__ import annotations

import json
from typing import Any

import synalinks_nb as synalinks


def chat_model() -> synalinks.ScriptedLanguageModel:
    """Answers the last user turn; classifies conversations by the words in them."""

    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        said = [m["content"] for m in messages if m["role"] == "user"]
        if schema is None:
            return {"Hello! What is the capital of France?": "Paris.",
                    "And of Italy?": "Rome."}.get(said[-1], "I do not know.")
        text = " ".join(said).lower()
        if "choices" in schema["properties"]:
            labels = schema["properties"]["choices"]["items"]["enum"]
            return {"thinking": "", "choices": [x for x in labels if x in text]}
        return {"thinking": "", "choice": "high" if "bomb" in text else "low"}

    return synalinks.ScriptedLanguageModel(handler=handler)


async def test_the_simple_chatbot_example() -> None:
    language_model = chat_model()
    inputs = synalinks.Input(data_model=synalinks.ChatMessages)
    outputs = await synalinks.Generator(language_model=language_model, streaming=False)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="simple_chatbot",
                                description="A simple conversation application")
    input_messages = synalinks.ChatMessages(messages=[
        synalinks.ChatMessage(role="user", content="Hello! What is the capital of France?")])
    response = await program(input_messages)
    assert json.loads(response.prettify_json())["content"] == "Paris."
    assert synalinks.is_chat_message(response)
    # The conversation goes on: the answer joins the history, then the next question.
    input_messages.messages.append(response.get_json())
    input_messages.messages.append(synalinks.ChatMessage(role=synalinks.ChatRole.USER,
                                                         content="And of Italy?"))
    assert (await program(input_messages))["content"] == "Rome."


async def test_decisions_on_a_discussion() -> None:
    language_model = chat_model()
    x0 = synalinks.Input(data_model=synalinks.ChatMessages)
    x1 = await synalinks.Decision(
        question="What is the danger level of the discussion?",
        labels=["low", "medium", "high"],
        language_model=language_model,
    )(x0)
    x2 = await synalinks.MultiDecision(
        question="Which topics does this discussion cover?",
        labels=["science", "politics", "sports", "technology"],
        language_model=language_model,
    )(x0)
    program = synalinks.Program(inputs=x0, outputs=[x1, x2], name="discussion_assessment",
                                description="Danger level and topics of a discussion.")
    discussion = synalinks.ChatMessages(messages=[
        {"role": "user", "content": "Is the new science budget a politics issue?"}])
    danger, topics = await program(discussion)
    assert danger["choice"] == "low"
    assert topics["choices"] == ["science", "politics"]
