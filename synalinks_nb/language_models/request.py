"""What one request is made of: its chat messages checked, and how it is described.

:class:`~synalinks_nb.language_models.base.BaseLanguageModel` checks the messages it
is given before anything is sent (a Synalinks ``ChatMessages`` data model is accepted),
and describes the request to the on-disk cache: whole, as stored next to the answer,
and in one line, for the error a replay-only cache raises on a miss.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.language_models.completion import short
from synalinks_nb.language_models.settings import SamplingSettings

__all__ = ["as_messages", "describe_request", "request_record"]


def as_messages(messages: Any) -> list[dict[str, Any]]:
    """The chat dicts of ``messages``; a ChatMessages data model is accepted (Synalinks)."""
    if hasattr(messages, "get_json") and not isinstance(messages, list):
        # A ChatMessage's unset optional keys (tool_calls, name...) are not sent.
        messages = [{k: v for k, v in m.items() if v is not None}
                    for m in messages.get_json().get("messages") or []]
    if not isinstance(messages, list) or not messages:
        raise TypeError(
            "Expected messages to be a non-empty list of chat dicts "
            f"({{'role': ..., 'content': ...}}). Received: {short(repr(messages))}"
        )
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or "role" not in message:
            raise TypeError(
                f"Expected messages[{i}] to be a dict with a 'role' key. "
                f"Received: {short(repr(message))}"
            )
    return messages


def request_record(
    model: str,
    messages: list[dict[str, Any]],
    schema: dict[str, Any] | None,
    settings: SamplingSettings,
) -> dict[str, Any]:
    """The request as the cache stores it beside the answer."""
    return {"model": model, "messages": messages, "schema": schema,
            "settings": settings.to_dict()}


def describe_request(model: str, messages: list[dict[str, Any]]) -> str:
    """The request in one line, for a cache miss's error message."""
    last = messages[-1].get("content", "") if messages else ""
    return f"model={model!r}, {len(messages)} message(s), last: {short(str(last))!r}"
