"""Tool calls: asking a model to choose tools, natively or as schema-constrained JSON.

``await lm(messages, tools=[...])`` answers an assistant chat message whose
``tool_calls`` name the tools to run and their arguments (an empty list: no tool
needed). Two ways to get there, one result:

- **native function calling** (a litellm provider that supports it): the request
  carries ``tools=`` and the provider's ``tool_calls`` are read back;
- **schema-constrained JSON** (the embedded model, the scripted model, providers without
  function calling): the model answers :func:`tool_calls_schema`, an object with
  ``thinking`` and ``tool_calls``, each call being ``{"name", "arguments"}`` where
  ``name`` is one of the tools and ``arguments`` that tool's argument schema. The
  embedded model's decoding is constrained to it, so a small model still names a real
  tool with well-typed arguments.

Either way the request is an ordinary structured request for :func:`tool_calls_schema`
(its ``$comment`` marks it), so validation against the tools' schemas, the repair
attempt, the cache, usage and traces are those of every call. A backend that can call
tools natively recognises the mark (:func:`declarations_of`) and answers in the same
JSON shape (:func:`from_native`).

The chat messages of a trajectory (assistant turns with ``tool_calls``, ``tool`` turns
with results) are sent in the provider's shape when calling natively
(:func:`wire_messages`) and as plain text turns otherwise (:func:`plain_messages`):
chat templates and JSON-mode endpoints know only text.

Example:
    >>> import asyncio
    >>> from synalinks_nb.language_models import ScriptedLanguageModel
    >>> add = {"type": "function", "function": {"name": "add", "description": "Add.",
    ...        "parameters": {"type": "object", "properties": {"a": {"type": "integer"}},
    ...                       "required": ["a"]}}}
    >>> lm = ScriptedLanguageModel(responses=[
    ...     {"thinking": "add it", "tool_calls": [{"name": "add", "arguments": {"a": 1}}]}])
    >>> message = asyncio.run(lm([{"role": "user", "content": "1?"}], tools=[add])).get_json()
    >>> message["role"], message["tool_calls"][0]["function"]
    ('assistant', {'name': 'add', 'arguments': {'a': 1}})
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterable
from typing import Any

__all__ = [
    "TOOL_CALLS_MARK",
    "declarations",
    "declarations_of",
    "from_chat_message",
    "from_native",
    "plain_messages",
    "to_chat_message",
    "tool_calls_schema",
    "wire_messages",
]

TOOL_CALLS_MARK = "synalinks_nb tool calls"
"""The ``$comment`` of a :func:`tool_calls_schema` (JSON Schema ignores ``$comment``)."""


def _declaration(tool: Any) -> dict[str, Any]:
    if isinstance(tool, dict):
        function = tool.get("function", tool)
        name, parameters = function.get("name"), function.get("parameters")
        description = function.get("description") or ""
    else:
        name = getattr(tool, "name", None)
        parameters = getattr(tool, "schema", None)
        description = getattr(tool, "description", "") or ""
    if not isinstance(name, str) or not name or not isinstance(parameters, dict):
        raise TypeError(
            "Expected each tool to be a Tool or an OpenAI tool declaration "
            "({'type': 'function', 'function': {'name', 'parameters'}}). "
            f"Received: {str(tool)[:200]}"
        )
    return {"type": "function",
            "function": {"name": name, "description": description, "parameters": parameters}}


def declarations(tools: Iterable[Any]) -> list[dict[str, Any]]:
    """OpenAI tool declarations for ``tools`` (Tools, or declarations already).

    Raises:
        TypeError: a tool is neither, or two tools share a name.
    """
    found = [_declaration(t) for t in (tools.values() if isinstance(tools, dict) else tools)]
    names = [d["function"]["name"] for d in found]
    if len(set(names)) != len(names):
        raise TypeError(f"Expected tools with distinct names. Received: {names}")
    return found


def _rename_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        out = {k: _rename_refs(v, prefix) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = f"#/$defs/{prefix}{ref.removeprefix('#/$defs/')}"
        return out
    if isinstance(node, list):
        return [_rename_refs(v, prefix) for v in node]
    return node


def tool_calls_schema(tools: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON schema of a choice of tool calls among ``tools`` (declarations).

    Each tool's ``$defs`` move to the root under ``<tool>__<name>`` so its ``$ref`` s
    still resolve.
    """
    defs: dict[str, Any] = {}
    items = []
    for declaration in tools:
        function = declaration["function"]
        prefix = f"{function['name']}__"
        parameters = _rename_refs(copy.deepcopy(function["parameters"]), prefix)
        for key, value in (parameters.pop("$defs", None) or {}).items():
            defs[prefix + key] = value
        parameters.pop("title", None)
        items.append({
            "type": "object",
            "description": function.get("description") or "",
            "properties": {
                "name": {"const": function["name"]},
                "arguments": parameters,
                "id": {"type": "string"},
            },
            "required": ["name", "arguments"],
            "additionalProperties": False,
        })
    schema: dict[str, Any] = {
        "$comment": TOOL_CALLS_MARK,
        "title": "ToolCalls",
        "type": "object",
        "properties": {
            "thinking": {"type": "string", "description": "What you observe and what to do next"},
            "tool_calls": {"type": "array", "items": {"anyOf": items},
                           "description": "The tools to call now; empty when no tool is needed"},
        },
        "required": ["thinking", "tool_calls"],
        "additionalProperties": False,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def declarations_of(schema: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """The tool declarations a :func:`tool_calls_schema` was made from, else ``None``."""
    if not schema or schema.get("$comment") != TOOL_CALLS_MARK:
        return None
    defs = schema.get("$defs") or {}
    found = []
    for item in schema["properties"]["tool_calls"]["items"]["anyOf"]:
        name = item["properties"]["name"]["const"]
        parameters = dict(item["properties"]["arguments"])
        prefix = f"{name}__"
        own = {k.removeprefix(prefix): v for k, v in defs.items() if k.startswith(prefix)}
        if own:
            parameters = _unprefix(parameters, prefix)
            parameters["$defs"] = _unprefix(own, prefix)
        found.append({"type": "function", "function": {
            "name": name, "description": item.get("description", ""), "parameters": parameters}})
    return found


def _unprefix(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        out = {k: _unprefix(v, prefix) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(f"#/$defs/{prefix}"):
            out["$ref"] = "#/$defs/" + ref.removeprefix(f"#/$defs/{prefix}")
        return out
    if isinstance(node, list):
        return [_unprefix(v, prefix) for v in node]
    return node


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def from_native(message: Any) -> dict[str, Any]:
    """A provider's assistant message (object or dict) in :func:`tool_calls_schema`'s shape.

    Arguments that are not a JSON object are kept as given (as ``{"_raw": text}``), so
    validation rejects them with the text in the message and the repair attempt follows.
    """
    calls = []
    for call in _field(message, "tool_calls") or []:
        function = _field(call, "function")
        arguments = _field(function, "arguments")
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except ValueError:
                arguments = {"_raw": arguments}
        entry = {"name": _field(function, "name"), "arguments": arguments}
        if _field(call, "id"):
            entry["id"] = str(_field(call, "id"))
        calls.append(entry)
    return {"thinking": _field(message, "content") or "", "tool_calls": calls}


def to_chat_message(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer in :func:`tool_calls_schema`'s shape as an assistant :class:`ChatMessage` JSON.

    Example:
        >>> to_chat_message({"thinking": "done", "tool_calls": []})
        {'role': 'assistant', 'content': 'done'}
    """
    message: dict[str, Any] = {"role": "assistant", "content": answer.get("thinking") or ""}
    calls = [
        {"id": call.get("id") or f"call_{uuid.uuid4().hex[:12]}", "type": "function",
         "function": {"name": call["name"], "arguments": call["arguments"]}}
        for call in answer.get("tool_calls") or []
    ]
    if calls:
        message["tool_calls"] = calls
    return message


def from_chat_message(message: dict[str, Any]) -> dict[str, Any]:
    """An assistant :class:`ChatMessage` JSON in :func:`tool_calls_schema`'s shape (no ids).

    The inverse of :func:`to_chat_message`: a recorded step shown to the model as the
    answer it is asked for (few-shot examples of an agent's step).

    Example:
        >>> from_chat_message({"role": "assistant", "content": "add", "tool_calls": [
        ...     {"id": "c1", "function": {"name": "add", "arguments": {"a": 1}}}]})
        {'thinking': 'add', 'tool_calls': [{'name': 'add', 'arguments': {'a': 1}}]}
    """
    calls = [{"name": c["function"]["name"], "arguments": c["function"]["arguments"]}
             for c in message.get("tool_calls") or []]
    return {"thinking": _text(message.get("content")), "tool_calls": calls}


def _text(content: Any) -> str:
    if content is None:
        return ""
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


def wire_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages in the chat-completion wire shape (JSON-string arguments and tool results)."""
    out = []
    for message in messages:
        wire = {k: v for k, v in message.items() if v is not None}
        if wire.get("tool_calls"):
            wire["tool_calls"] = [
                {**call, "function": {**call["function"],
                                      "arguments": _text(call["function"]["arguments"])}}
                for call in wire["tool_calls"]
            ]
            wire.setdefault("content", None)
        elif "content" in wire and not isinstance(wire["content"], str | list):
            wire["content"] = _text(wire["content"])
        out.append(wire)
    return out


def plain_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as text turns: tool calls as the JSON the model answered, results as user turns.

    Example:
        >>> plain_messages([{"role": "tool", "tool_call_id": "c1", "content": {"r": 2}}])
        [{'role': 'user', 'content': 'Result of tool call c1: {"r": 2}'}]
    """
    out = []
    for message in messages:
        role, content = message.get("role"), message.get("content")
        if message.get("tool_calls"):
            text = json.dumps(from_chat_message(message), ensure_ascii=False)
            out.append({"role": "assistant", "content": text})
        elif role in ("tool", "function"):
            who = message.get("tool_call_id") or message.get("name") or "?"
            out.append({"role": "user", "content": f"Result of tool call {who}: {_text(content)}"})
        elif role == "developer":
            out.append({"role": "system", "content": _text(content)})
        else:
            kept = {k: v for k, v in message.items() if v is not None}
            kept["content"] = content if isinstance(content, str | list) else _text(content)
            out.append(kept)
    return out
