"""OpenAI chat-completion wire models, and converters to and from ChatMessage (Synalinks' names).

Code that talks to an OpenAI-compatible endpoint itself (a FastAPI app serving a program,
a test double of a provider) can build and validate the request and response bodies with
these models. They differ from :class:`~synalinks_nb.data_models.ChatMessage` where the wire
does: a tool call's ``arguments`` and a tool result are JSON *strings* on the wire, parsed
JSON in a ChatMessage. The converters do that change and nothing else:

- :func:`to_chat_completion_message` (s): ChatMessage → wire (dicts JSON-encoded, an empty
  assistant content sent as ``null``, the legacy ``function`` role's name kept);
- :func:`from_chat_completion_message` (s): wire → ChatMessage (arguments parsed, the
  ``function`` role read as ``tool``);
- :func:`to_chat_completion_request`: a whole request, tools declared from :class:`Tool` s.

Example:
    >>> from synalinks_nb.data_models import ChatMessage
    >>> wire = to_chat_completion_message(ChatMessage(role="assistant", tool_calls=[
    ...     {"id": "c1", "function": {"name": "add", "arguments": {"a": 1}}}]))
    >>> wire.content, wire.tool_calls[0].function.arguments
    (None, '{"a": 1}')
    >>> from_chat_completion_message(wire).tool_calls[0].function.arguments
    {'a': 1}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar, Literal

import pydantic

from synalinks_nb.data_models.chat import ChatMessage, ChatMessages, ToolCall, ToolCallFunction
from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = [
    "ChatCompletionChoice",
    "ChatCompletionCompletionTokensDetails",
    "ChatCompletionFunctionCall",
    "ChatCompletionJsonSchema",
    "ChatCompletionMessage",
    "ChatCompletionPromptTokensDetails",
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "ChatCompletionResponseFormat",
    "ChatCompletionTool",
    "ChatCompletionToolCall",
    "ChatCompletionToolFunction",
    "ChatCompletionUsage",
    "from_chat_completion_message",
    "from_chat_completion_messages",
    "to_chat_completion_message",
    "to_chat_completion_messages",
    "to_chat_completion_request",
]

_Role = Literal["system", "developer", "user", "assistant", "tool", "function"]


class ChatCompletionFunctionCall(DataModel):
    """The function of a wire tool call: ``arguments`` is JSON text (a dict is accepted)."""

    name: str = Field(description="The function's name")
    arguments: str | dict[str, Any] = Field(description="The arguments, JSON-encoded")


class ChatCompletionToolCall(DataModel):
    """A tool call on the wire."""

    id: str = Field(description="The tool call's id")
    type: Literal["function"] = Field(default="function", description="Always `function`")
    function: ChatCompletionFunctionCall = Field(description="The function called")


class ChatCompletionMessage(DataModel):
    """A chat-completion message (with litellm's ``reasoning_content``/``thinking_blocks``)."""

    role: _Role = Field(description="Who wrote the message")
    content: str | list[dict[str, Any]] | None = Field(
        default=None, description="Text, or content parts")
    name: str | None = Field(default=None, description="The author's or function's name")
    tool_calls: list[ChatCompletionToolCall] | None = Field(
        default=None, description="An assistant message's tool calls")
    tool_call_id: str | None = Field(default=None, description="The call a `tool` message answers")
    refusal: str | None = Field(default=None, description="Why the model declined")
    audio: dict[str, Any] | None = Field(default=None, description="An audio answer's payload")
    reasoning_content: str | None = Field(default=None, description="The model's reasoning")
    thinking_blocks: list[dict[str, Any]] | None = Field(
        default=None, description="Provider-native thinking blocks")


class ChatCompletionToolFunction(DataModel):
    """A function offered as a tool: name, description, parameters' JSON schema."""

    name: str = Field(description="The function's name")
    description: str | None = Field(default=None, description="What it does")
    parameters: dict[str, Any] | None = Field(default=None,
                                              description="The arguments' JSON schema")
    strict: bool | None = Field(default=None, description="Enforce the schema strictly")


class ChatCompletionTool(DataModel):
    """A tool declaration of a request."""

    type: Literal["function"] = Field(default="function", description="Always `function`")
    function: ChatCompletionToolFunction = Field(description="The function offered")


class ChatCompletionJsonSchema(DataModel):
    """The ``json_schema`` of a ``response_format`` (the schema under the key ``schema``)."""

    model_config: ClassVar[pydantic.ConfigDict] = pydantic.ConfigDict(
        extra="forbid", populate_by_name=True, serialize_by_alias=True)

    name: str = Field(description="The schema's name")
    description: str | None = Field(default=None, description="What the schema represents")
    schema_: dict[str, Any] | None = Field(default=None, alias="schema",
                                           description="The JSON schema of the answer")
    strict: bool | None = Field(default=None, description="Enforce the schema strictly")


class ChatCompletionResponseFormat(DataModel):
    """How the answer must be formatted."""

    type: Literal["text", "json_object", "json_schema"] = Field(description="The format")
    json_schema: ChatCompletionJsonSchema | None = Field(
        default=None, description="The schema, for `json_schema`")


class ChatCompletionRequest(DataModel):
    """A chat-completion request body (OpenAI's parameters)."""

    model: str = Field(description="The model id")
    messages: list[ChatCompletionMessage] = Field(description="The conversation")
    tools: list[ChatCompletionTool] | None = None
    tool_choice: str | dict[str, Any] | None = None
    response_format: ChatCompletionResponseFormat | None = None
    temperature: float | None = None
    top_p: float | None = None
    n: int | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: dict[str, float] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    seed: int | None = None
    stream: bool | None = None
    user: str | None = None
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None
    parallel_tool_calls: bool | None = None
    stream_options: dict[str, Any] | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None
    service_tier: str | None = None
    modalities: list[str] | None = None
    audio: dict[str, Any] | None = None
    prediction: dict[str, Any] | None = None
    web_search_options: dict[str, Any] | None = None
    prompt_cache_key: str | None = None
    safety_identifier: str | None = None


class ChatCompletionPromptTokensDetails(DataModel):
    """Details of the prompt's tokens."""

    cached_tokens: int | None = None
    audio_tokens: int | None = None


class ChatCompletionCompletionTokensDetails(DataModel):
    """Details of the answer's tokens."""

    reasoning_tokens: int | None = None
    audio_tokens: int | None = None
    accepted_prediction_tokens: int | None = None
    rejected_prediction_tokens: int | None = None


class ChatCompletionUsage(DataModel):
    """Tokens a request used."""

    prompt_tokens: int = Field(description="Tokens sent")
    completion_tokens: int = Field(description="Tokens answered")
    total_tokens: int = Field(description="Both")
    prompt_tokens_details: ChatCompletionPromptTokensDetails | None = None
    completion_tokens_details: ChatCompletionCompletionTokensDetails | None = None


class ChatCompletionChoice(DataModel):
    """One answer of a response."""

    index: int = Field(description="Its position")
    message: ChatCompletionMessage = Field(description="The assistant message")
    finish_reason: Literal["stop", "length", "tool_calls", "content_filter", "function_call",
                           "safety"] | None = None
    logprobs: dict[str, Any] | None = None


class ChatCompletionResponse(DataModel):
    """A chat-completion response body."""

    id: str = Field(description="The response's id")
    object: Literal["chat.completion"] = Field(default="chat.completion")
    created: int = Field(description="Unix time of creation")
    model: str = Field(description="The model that answered")
    choices: list[ChatCompletionChoice] = Field(description="The answers")
    usage: ChatCompletionUsage | None = None
    system_fingerprint: str | None = None
    service_tier: str | None = None


def _text(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def to_chat_completion_message(message: ChatMessage) -> ChatCompletionMessage:
    """A :class:`ChatMessage` in the wire shape (JSON-encoded arguments and tool results)."""
    role = str(message.role.value)
    content = _text(message.content)
    calls = [ChatCompletionToolCall(id=c.id, function=ChatCompletionFunctionCall(
        name=c.function.name, arguments=_text(c.function.arguments)))
        for c in message.tool_calls or []] or None
    if role == "assistant":
        return ChatCompletionMessage(
            role="assistant", content=content or None, name=message.name, tool_calls=calls,
            refusal=message.refusal, audio=message.audio,
            reasoning_content=message.reasoning_content,
            thinking_blocks=message.thinking_blocks)
    if role == "tool":
        return ChatCompletionMessage(role="tool", content=content,
                                     tool_call_id=message.tool_call_id)
    if role == "function":
        return ChatCompletionMessage(role="function", content=content,
                                     name=message.name or message.tool_call_id or "")
    return ChatCompletionMessage(role=role, content=content,
                                 name=message.name)


def to_chat_completion_messages(messages: ChatMessages) -> list[ChatCompletionMessage]:
    """Every message of a conversation in the wire shape."""
    return [to_chat_completion_message(m) for m in messages.messages]


def from_chat_completion_message(message: ChatCompletionMessage) -> ChatMessage:
    """A wire message as a :class:`ChatMessage` (arguments parsed; ``function`` read as ``tool``).

    Raises:
        json.JSONDecodeError: a tool call's ``arguments`` is text that is not JSON.
    """
    role, call_id = message.role, message.tool_call_id
    if role == "function":
        role, call_id = "tool", call_id or message.name
    calls = None
    if message.tool_calls:
        calls = [ToolCall(id=c.id, function=ToolCallFunction(
            name=c.function.name,
            arguments=(json.loads(c.function.arguments) if c.function.arguments else {})
            if isinstance(c.function.arguments, str) else c.function.arguments))
            for c in message.tool_calls]
    return ChatMessage(role=role, content=message.content, name=message.name,
                       tool_call_id=call_id, tool_calls=calls, refusal=message.refusal,
                       audio=message.audio, reasoning_content=message.reasoning_content,
                       thinking_blocks=message.thinking_blocks)


def from_chat_completion_messages(messages: Iterable[ChatCompletionMessage]) -> ChatMessages:
    """Wire messages as a :class:`ChatMessages` conversation."""
    return ChatMessages(messages=[from_chat_completion_message(m) for m in messages])


def to_chat_completion_request(messages: ChatMessages, model: str, *, tools: Any = None,
                               **kwargs: Any) -> ChatCompletionRequest:
    """A whole request: the conversation, tools declared from their schemas, other parameters.

    Example:
        >>> import synalinks_nb as sn
        >>> def add(a: int, b: int) -> int:
        ...     '''Add two integers.'''
        ...     return a + b
        >>> request = to_chat_completion_request(
        ...     sn.ChatMessages(messages=[{"role": "user", "content": "1 + 2?"}]),
        ...     "gpt-4o-mini", tools=[sn.Tool(add)], temperature=0.0)
        >>> request.tools[0].function.name, request.tools[0].function.parameters["required"]
        ('add', ['a', 'b'])
    """
    items = list(tools.values()) if isinstance(tools, dict) else list(tools or [])
    declared = [ChatCompletionTool(function=ChatCompletionToolFunction(
        name=t.name, description=t.description or None,
        parameters={k: v for k, v in t.schema.items() if k not in ("title", "description")}))
        for t in items] or None
    return ChatCompletionRequest(model=model, messages=to_chat_completion_messages(messages),
                                 tools=declared, **kwargs)
