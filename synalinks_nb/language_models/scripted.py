"""A deterministic fake language model for tests, docs and notebooks.

:class:`ScriptedLanguageModel` plays the part httpx's ``MockTransport`` plays
for HTTP: a real language model in every respect but where the answer comes
from. Its answers go through :class:`~synalinks_nb.language_models.base.BaseLanguageModel`
like any backend's — the same keyword checks, schema validation, one repair
attempt, usage counting and cache — so a program tested against it behaves the
same against a provider.

Where answers come from, first match wins:

1. ``handler(messages, schema)``, sync or async, returning a dict or a JSON
   string, or raising to simulate a failure (raise
   :class:`~synalinks_nb.language_models.retries.TransientError` to simulate a
   retryable one);
2. ``responses``, returned in order and cycling;
3. otherwise, the smallest JSON valid for the schema (``""`` for strings, the
   first enum member, ``0``, ``False``, ``[]``...), or an empty chat message.

A streamed request (``streaming=True``) receives its answer in pieces: a handler may
return them itself, as a list of strings or an async iterator of strings (to decide in
a test when each piece arrives); any other answer is cut before each word (a dict
answer is its JSON text, cut the same way). A non-streamed request gets the pieces
joined.

A str answer to a request with a schema is parsed as JSON, so an invalid
answer triggers the repair attempt, which consumes the next response. Every
request that reaches the model, repair attempts included, is appended to
``calls``; cache hits are not.

Example:
    >>> import asyncio
    >>> from synalinks_nb.language_models import ScriptedLanguageModel
    >>> schema = {"type": "object", "properties": {"answer": {"type": "string"}},
    ...           "required": ["answer"]}
    >>> lm = ScriptedLanguageModel(responses=[{"answer": "Paris"}, '{"answer": "Rome"}'])
    >>> ask = [{"role": "user", "content": "Capital?"}]
    >>> asyncio.run(lm(ask, schema=schema)).get_json()
    {'answer': 'Paris'}
    >>> asyncio.run(lm(ask, schema=schema, temperature=0.0)).get_json()
    {'answer': 'Rome'}
    >>> lm.calls[1].kwargs
    {'temperature': 0.0}
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.errors import MissingObjectError
from synalinks_nb.language_models.base import BaseLanguageModel
from synalinks_nb.language_models.settings import SamplingSettings

__all__ = [
    "ScriptedCall",
    "ScriptedLanguageModel",
    "example_from_schema",
    "missing_handler_message",
    "pieces_of",
]

Answer = str | dict[str, Any]
Pieces = list[str] | AsyncIterator[str]
Handler = Callable[[list[dict[str, Any]], dict[str, Any] | None],
                   Answer | Pieces | Awaitable[Answer | Pieces]]
_WORD = re.compile(r"\s*\S+|\s+$")


@dataclass(frozen=True)
class ScriptedCall:
    """One request received by a :class:`ScriptedLanguageModel`.

    Also readable as a dict: ``call["messages"]``.

    Attributes:
        messages: the chat messages sent.
        schema: the JSON schema asked for, or ``None``.
        kwargs: the sampling settings in effect (the model's defaults merged
            with the call's keyword arguments), unset ones left out.
    """

    messages: list[dict[str, Any]]
    schema: dict[str, Any] | None
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        if key not in ("messages", "schema", "kwargs"):
            raise KeyError(f"Expected one of 'messages', 'schema', 'kwargs'. Received: {key!r}")
        return getattr(self, key)


class ScriptedLanguageModel(BaseLanguageModel):
    """A language model whose answers are written in advance.

    Args:
        responses: answers returned in order, cycling (dicts, or strings: JSON
            text when a schema is asked for, the message content otherwise).
        handler: ``handler(messages, schema)``, sync or async, returning an
            answer or raising; takes precedence over ``responses``.
        latency: seconds awaited per request (concurrency tests, benchmarks).
        name: a display name; defaults to ``"scripted"``.

    Example:
        >>> import asyncio
        >>> def handler(messages, schema):
        ...     return {"answer": messages[-1]["content"][::-1]}
        >>> lm = ScriptedLanguageModel(handler=handler)
        >>> schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
        >>> asyncio.run(lm([{"role": "user", "content": "abc"}], schema=schema)).get_json()
        {'answer': 'cba'}
        >>> len(lm.calls), lm.calls[0].messages[-1]["content"]
        (1, 'abc')
    """

    def __init__(
        self,
        responses: Sequence[Answer] | None = None,
        handler: Handler | None = None,
        latency: float = 0.0,
        name: str | None = None,
    ) -> None:
        super().__init__("scripted", name=name)
        if responses is not None and (
            isinstance(responses, str | dict) or not isinstance(responses, Sequence)
            or not all(isinstance(r, str | dict) for r in responses)
        ):
            raise TypeError(
                "Expected responses to be a list of dicts or strings. "
                f"Received: responses={responses!r}"
            )
        if handler is not None and not callable(handler):
            raise TypeError(f"Expected handler to be callable. Received: handler={handler!r}")
        if isinstance(latency, bool) or not isinstance(latency, int | float) or latency < 0:
            raise ValueError(
                f"Expected latency to be a non-negative number. Received: latency={latency!r}"
            )
        self.responses: list[Answer] = list(responses) if responses is not None else []
        self.handler = handler
        self.latency = float(latency)
        self.calls: list[ScriptedCall] = []
        self._next = 0
        # Set by from_config when the saved model had a handler: code is never saved.
        self.missing_handler: str | None = None

    async def _generate(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
    ) -> str | dict[str, Any]:
        answer = await self._next_answer(messages, schema, settings)
        if isinstance(answer, list):
            return "".join(answer)
        if not isinstance(answer, str | dict):  # pieces meant for a stream: joined
            return "".join([piece async for piece in answer])
        return answer

    async def _stream(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        emit: Callable[[str], None],
    ) -> str | dict[str, Any]:
        answer = await self._next_answer(messages, schema, settings)
        if isinstance(answer, dict):
            answer = json.dumps(answer, ensure_ascii=False)
        if isinstance(answer, str):
            answer = pieces_of(answer)
        if isinstance(answer, list):
            answer = _aiter(answer)
        received = []
        async for piece in answer:
            received.append(piece)
            emit(piece)
        return "".join(received)

    async def _next_answer(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
    ) -> Answer | Pieces:
        if self.missing_handler is not None:
            raise MissingObjectError(missing_handler_message(self.name, self.missing_handler))
        self.calls.append(ScriptedCall(messages=list(messages), schema=schema,
                                       kwargs=settings.to_dict()))
        # Pick the response before awaiting, so concurrent calls get them in call order.
        answer: Answer | Pieces | None = None
        if self.handler is None and self.responses:
            answer = self.responses[self._next % len(self.responses)]
            self._next += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.handler is not None:
            result = self.handler(messages, schema)
            if inspect.isawaitable(result):
                result = await result
            if result is None:
                raise TypeError("Expected the handler to return a dict or a JSON string. "
                                "Received: None (did it forget a return?)")
            answer = result
        if answer is None:
            return example_from_schema(schema) if schema is not None else ""
        if isinstance(answer, list) and all(isinstance(piece, str) for piece in answer):
            return answer
        if not isinstance(answer, str | dict) and not hasattr(answer, "__anext__"):
            raise TypeError(
                "Expected the handler to return a dict, a JSON string, or the pieces of a "
                f"streamed answer (a list or an async iterator of str). "
                f"Received: {type(answer).__name__}"
            )
        return answer

    def reset(self) -> None:
        """Forget recorded calls and usage, and start the responses over."""
        self.calls.clear()
        self._next = 0
        self.reset_usage()

    def get_config(self) -> dict[str, Any]:
        """``responses``, ``latency``, ``name``, and the handler's *name* (code is not saved)."""
        handler = self.missing_handler
        if self.handler is not None:
            handler = str(getattr(self.handler, "__name__", "handler"))
        return {"responses": json.loads(json.dumps(self.responses)), "latency": self.latency,
                "name": self.name, "handler": handler}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ScriptedLanguageModel:
        """Rebuild from :meth:`get_config`'s output.

        A model saved with a handler comes back without it (code is never
        loaded from a file) and refuses to answer with a
        :class:`~synalinks_nb.errors.MissingObjectError` saying how to give it back,
        rather than answering something else.
        """
        kwargs = dict(config)
        handler = kwargs.pop("handler", None)
        if handler is not None and not isinstance(handler, str):
            raise TypeError(f"Expected 'handler' to be a function name or None. "
                            f"Received: {handler!r}")
        model = cls(**kwargs)
        model.missing_handler = handler
        return model

    def __repr__(self) -> str:
        parts = [f"responses={len(self.responses)}"]
        if self.handler is not None:
            parts.append(f"handler={getattr(self.handler, '__name__', 'handler')}")
        elif self.missing_handler is not None:
            parts.append(f"handler={self.missing_handler} (missing)")
        if self.latency:
            parts.append(f"latency={self.latency}")
        if self.name != "scripted":
            parts.append(f"name={self.name!r}")
        return f"ScriptedLanguageModel({', '.join(parts)})"


def pieces_of(text: str) -> list[str]:
    """``text`` cut before each word, as a scripted model streams it.

    Example:
        >>> pieces_of('{"answer": "Paris"}')
        ['{"answer":', ' "Paris"}']
    """
    return _WORD.findall(text) or ([text] if text else [])


async def _aiter(pieces: list[str]) -> AsyncIterator[str]:
    for piece in pieces:
        # Let the event loop run between pieces, as a real stream does.
        await asyncio.sleep(0)
        yield piece


def missing_handler_message(name: str, handler: str) -> str:
    """What to say when a loaded scripted model has lost its handler function."""
    return (
        f"Expected the ScriptedLanguageModel {name!r} with its handler {handler!r}. Received: "
        "a model loaded from a file, which never holds code. Give the model back when "
        f"loading: Program.load(path, language_model={{{name!r}: model}}) or "
        f"custom_objects={{{name!r}: model}}."
    )


def example_from_schema(schema: Mapping[str, Any], root: Mapping[str, Any] | None = None) -> Any:
    """The smallest JSON value valid for simple schemas (pydantic's output included).

    Example:
        >>> example_from_schema({"type": "object", "properties": {
        ...     "label": {"enum": ["yes", "no"]}, "n": {"type": "integer", "minimum": 1},
        ...     "tags": {"type": "array", "items": {"type": "string"}}}})
        {'label': 'yes', 'n': 1, 'tags': []}
    """
    root = root if root is not None else schema
    if "$ref" in schema:
        return example_from_schema(_resolve(root, schema["$ref"]), root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if schema.get(combinator):
            return example_from_schema(schema[combinator][0], root)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        return {k: example_from_schema(v, root) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        item = schema.get("items") or {}
        return [example_from_schema(item, root) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        return int(low) if kind == "integer" else float(low)
    return {"boolean": False, "null": None}.get(kind, "" if not schema.get("minLength") else
                                                "x" * int(schema["minLength"]))


def _resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    if not isinstance(node, Mapping):
        raise ValueError(f"Expected $ref {ref!r} to point to a schema. Received: {node!r}")
    return node
