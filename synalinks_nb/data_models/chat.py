"""Chat messages and tool calls, shaped like OpenAI chat-completion messages (Synalinks' names).

A :class:`ChatMessage` carries a role (:class:`ChatRole`), a content (text, a list of
content parts, or a JSON object such as a tool's result), and, for an assistant turn that
calls tools, :class:`ToolCall` s whose ``arguments`` are a parsed JSON object (the wire
form, a JSON string, is accepted too). A tool's answer is a ``tool`` message naming the
call it answers (``tool_call_id``). :class:`ChatMessages` is a conversation: the input of
a chatbot program and the trajectory of a
:class:`~synalinks_nb.modules.FunctionCallingAgent`.

The predicates look at the schema, as Synalinks' do: ``is_chat_messages(x)`` holds for
any data model with a ``messages`` field of chat messages (an agent's inputs concatenated
with its trajectory), ``is_strictly_chat_messages(x)`` only when ``messages`` is the one
field.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

import pydantic

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.media import normalize_content

__all__ = [
    "ChatMessage",
    "ChatMessages",
    "ChatRole",
    "ToolCall",
    "ToolCallFunction",
    "ToolCalling",
    "is_chat_message",
    "is_chat_messages",
    "is_strictly_chat_message",
    "is_strictly_chat_messages",
    "is_tool_call",
]


class ChatRole(StrEnum):
    """Who wrote a chat message.

    Example:
        >>> ChatRole.TOOL == "tool", ChatRole("assistant").name
        (True, 'ASSISTANT')
    """

    SYSTEM = "system"
    DEVELOPER = "developer"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    FUNCTION = "function"


class ToolCallFunction(DataModel):
    """The function a tool call names, and its arguments."""

    name: str = Field(description="The name of the function called")
    arguments: dict[str, Any] | str = Field(
        description="The arguments, as a JSON object (or the JSON-encoded string of the wire)"
    )


class ToolCall(DataModel):
    """One tool call of an assistant message (``{id, type, function: {name, arguments}}``).

    Example:
        >>> call = ToolCall(id="call_1", function={"name": "add", "arguments": {"a": 1}})
        >>> call.get_json()["function"]
        {'name': 'add', 'arguments': {'a': 1}}
    """

    id: str = Field(description="The id of the tool call")
    type: Literal["function"] = Field(default="function", description="Always `function`")
    function: ToolCallFunction = Field(description="The function called and its arguments")


ToolCalling = ToolCall
"""Synalinks' other name for :class:`ToolCall`."""


class ChatMessage(DataModel):
    """One chat message, with the keys of a chat-completion message.

    Example:
        >>> message = ChatMessage(role="user", content="Hello!")
        >>> message.role is ChatRole.USER, message.get_json()["content"]
        (True, 'Hello!')
    """

    role: ChatRole = Field(description="The chat message role")
    reasoning_content: str | None = Field(
        default=None, description="The model's reasoning, when the provider returns it")
    thinking_blocks: list[dict[str, Any]] | None = Field(
        default=None, description="Provider-native thinking blocks, kept verbatim")
    content: str | list[dict[str, Any]] | dict[str, Any] | None = Field(
        default=None, description="The content of the message")
    tool_call_id: str | None = Field(
        default=None, description="The id of the tool call a `tool` message answers")
    tool_calls: list[ToolCall] | None = Field(
        default=None, description="The tool calls of an assistant message")
    name: str | None = Field(default=None, description="Optional author name")
    refusal: str | None = Field(default=None, description="Why the model declined to answer")
    audio: dict[str, Any] | None = Field(default=None, description="An audio answer's payload")

    @pydantic.field_validator("content", mode="before")
    @classmethod
    def _content_parts(cls, value: Any) -> Any:
        # Synalinks' multimodal messages: `content=["What is this?", sn.Image(path=...)]`.
        return normalize_content(value)


class ChatMessages(DataModel):
    """A conversation: a list of chat messages (dicts are turned into :class:`ChatMessage`).

    Example:
        >>> chat = ChatMessages(messages=[{"role": "user", "content": "Hi"}])
        >>> chat.messages[0].role.value
        'user'
    """

    messages: list[ChatMessage] = Field(default_factory=list,
                                        description="The list of chat messages")

    @pydantic.field_validator("messages", mode="before")
    @classmethod
    def _messages_from_dicts(cls, value: Any) -> Any:
        # Dicts come from JSON trajectories; ChatMessage instances from user code.
        if isinstance(value, list):
            return [ChatMessage(**m) if isinstance(m, dict) else m for m in value]
        return value

    @pydantic.model_serializer(mode="wrap")
    def _serialize(self, handler: pydantic.SerializerFunctionWrapHandler) -> Any:
        # Synalinks' interactive loop appends a returned message, a dict, to `messages`
        # (`chat.messages.append(response.get("messages")[-1])`): validate it on the way out.
        self.messages[:] = [ChatMessage(**m) if isinstance(m, dict) else m
                            for m in self.messages]
        return handler(self)


def _properties(x: Any) -> dict[str, Any] | None:
    get_schema = getattr(x, "get_schema", None)
    if get_schema is None:
        return None
    properties = get_schema().get("properties")
    return properties if isinstance(properties, dict) else {}


def _has_all(x: Any, model: type[DataModel], strictly: bool = False) -> bool:
    properties = _properties(x)
    if properties is None:
        return False
    expected = set(model.get_schema()["properties"])
    return set(properties) == expected if strictly else expected <= set(properties)


def is_chat_message(x: Any) -> bool:
    """Whether ``x`` (a data model, its class, a symbolic or JSON one) has a chat message's fields.

    Example:
        >>> is_chat_message(ChatMessage(role="user", content="hi")), is_chat_message("hi")
        (True, False)
    """
    return _has_all(x, ChatMessage)


def is_strictly_chat_message(x: Any) -> bool:
    """Whether ``x`` has exactly the fields of a chat message, nothing more."""
    return _has_all(x, ChatMessage, strictly=True)


def is_chat_messages(x: Any) -> bool:
    """Whether ``x`` has a ``messages`` field (a conversation, possibly with other fields).

    Example:
        >>> is_chat_messages(ChatMessages()), is_chat_message(ChatMessages())
        (True, False)
    """
    return _has_all(x, ChatMessages)


def is_strictly_chat_messages(x: Any) -> bool:
    """Whether ``x`` is a conversation and nothing else (``messages`` is its only field).

    Example:
        >>> class Query(DataModel):
        ...     query: str
        >>> is_strictly_chat_messages(ChatMessages()), is_strictly_chat_messages(
        ...     Query.to_symbolic_data_model() + ChatMessages.to_symbolic_data_model())
        (True, False)
    """
    return _has_all(x, ChatMessages, strictly=True)


def is_tool_call(x: Any) -> bool:
    """Whether ``x`` has the fields of a :class:`ToolCall` (id, type, function)."""
    return _has_all(x, ToolCall)
