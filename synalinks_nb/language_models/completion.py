"""A backend's raw answer, what a request consumed, and how an answer becomes JSON.

:class:`~synalinks_nb.language_models.base.BaseLanguageModel` asks its backend for a
:class:`Completion` (or a ``str`` / ``dict`` it wraps into one), adds every attempt's
to a :class:`Tally`, and turns the last one into the
:class:`~synalinks_nb.data_models.JsonDataModel` it returns: the JSON found in the text
(a Markdown fence or prose around it is tolerated) validated against the schema, or a
chat message when no schema was asked for. An invalid answer is sent back once with
the error (:func:`validated_answer`). These steps are kept apart from the class because
they only read answers: the model they repair with is a callable they are given.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.errors import SchemaValidationError, StructuredOutputError
from synalinks_nb.language_models.streaming import StreamTiming

__all__ = [
    "Completion",
    "Tally",
    "as_completion",
    "chat_message",
    "chat_message_schema",
    "data_model",
    "parse_json",
    "raw_text",
    "short",
    "shown_text",
    "validated_answer",
]

_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?```$", re.DOTALL)


@dataclass
class Completion:
    """One raw answer from a backend, with what it cost.

    Attributes:
        text: the answer's text (JSON text when a schema was asked for).
        json: the answer already parsed (tool-call arguments, scripted dicts);
            when set, ``text`` is only informative.
        prompt_tokens: tokens sent, when the backend knows.
        completion_tokens: tokens received, when the backend knows.
        cost: dollars, when known.
        model: the id of the model that answered, when it differs (fallback).
        cached_tokens, cache_creation_tokens, reasoning_tokens: the provider's prompt-cache
            and reasoning token counts, when it reports them.
    """

    text: str = ""
    json: Any = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    model: str | None = None
    cached_tokens: int = 0
    cache_creation_tokens: int = 0
    reasoning_tokens: int = 0


@dataclass
class Tally:
    """What one request consumed, over every attempt."""

    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    model: str = ""
    cached_tokens: int = 0
    cache_creation_tokens: int = 0
    reasoning_tokens: int = 0
    # Kept for the call's trace: every raw answer, and why the rejected ones were rejected.
    answers: list[Completion] = dataclasses.field(default_factory=list)
    rejections: list[str] = dataclasses.field(default_factory=list)
    # Set for a streamed call: shows the pieces and times them, over every attempt.
    stream: StreamTiming | None = None

    def add(self, completion: Completion) -> None:
        self.answers.append(completion)
        self.prompt_tokens += completion.prompt_tokens
        self.completion_tokens += completion.completion_tokens
        self.cost += completion.cost
        self.cached_tokens += completion.cached_tokens
        self.cache_creation_tokens += completion.cache_creation_tokens
        self.reasoning_tokens += completion.reasoning_tokens
        if completion.model:
            self.model = completion.model


def as_completion(raw: Any) -> Completion:
    """A backend's answer (``str``, ``dict`` or :class:`Completion`) as a Completion."""
    if isinstance(raw, Completion):
        return raw
    if isinstance(raw, str):
        return Completion(text=raw)
    if isinstance(raw, dict):
        return Completion(json=raw)
    raise TypeError(
        f"Expected a backend to answer with a str, a dict or a Completion. "
        f"Received: {type(raw).__name__}"
    )


def raw_text(completion: Completion) -> str:
    """The answer as the model wrote it (parsed JSON written back as text)."""
    if completion.json is not None:
        return json.dumps(completion.json, ensure_ascii=False)
    return completion.text


def parse_json(completion: Completion) -> Any:
    """The answer as JSON; ``ValueError`` saying why when it is not JSON."""
    if completion.json is not None:
        return completion.json
    text = completion.text.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except ValueError:
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except ValueError:
                pass
    raise ValueError(f"Expected the answer to be a JSON object. Received: {short(text)!r}")


def chat_message(completion: Completion) -> dict[str, Any]:
    """The answer as an assistant chat message (for a call without a schema)."""
    value = completion.json
    if value is None:
        content = completion.text
    elif isinstance(value, dict) and isinstance(value.get("content"), str):
        content = value["content"]
    else:
        content = json.dumps(value, ensure_ascii=False)
    return {"role": "assistant", "content": content}


def shown_text(value: Any, schema: dict[str, Any] | None) -> str:
    """What a streamed call shows of a whole answer: a message's text, or the JSON."""
    completion = Completion(json=value)
    return raw_text(completion) if schema is not None else str(
        chat_message(completion)["content"])


@functools.cache
def chat_message_schema() -> dict[str, Any]:
    """The schema of a ChatMessage, computed once."""
    from synalinks_nb.data_models import ChatMessage

    return ChatMessage.get_schema()


def data_model(value: Any, schema: dict[str, Any] | None) -> JsonDataModel:
    """``value`` validated against ``schema``, or against ChatMessage's when it is None."""
    return JsonDataModel(schema=schema if schema is not None else chat_message_schema(),
                         json=value)


def short(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters for an error message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


async def validated_answer(
    complete: Callable[[list[dict[str, Any]]], Awaitable[Completion]],
    messages: list[dict[str, Any]],
    schema: dict[str, Any] | None,
    tally: Tally,
    *,
    repair_prompt: str,
    model: str,
) -> JsonDataModel:
    """``complete(messages)``'s answer, validated against ``schema`` after one repair.

    Without a schema the answer is a chat message. An answer that is not JSON valid for
    the schema is sent back with ``repair_prompt`` (formatted with ``error``); a second
    invalid answer raises :class:`~synalinks_nb.errors.StructuredOutputError`. Every
    rejection is noted in ``tally``.
    """
    completion = await complete(messages)
    if schema is None:
        return data_model(chat_message(completion), None)
    try:
        return data_model(parse_json(completion), schema)
    except (ValueError, SchemaValidationError) as first:
        tally.rejections.append(str(first))
        raw = raw_text(completion)
        repair = [
            *messages,
            {"role": "assistant", "content": raw},
            {"role": "user", "content": repair_prompt.format(error=first)},
        ]
    completion = await complete(repair)
    try:
        return data_model(parse_json(completion), schema)
    except (ValueError, SchemaValidationError) as second:
        tally.rejections.append(str(second))
        raise StructuredOutputError(
            f"Expected an answer from {tally.model or model} matching the schema "
            f"{schema.get('title', '')!r}, after one repair attempt. Received an invalid "
            f"answer twice; last error: {second}. Last answer: {short(raw_text(completion))}",
            model=tally.model or model,
            raw=raw_text(completion),
        ) from second
