"""How a JSON schema is asked of a provider, and what happens when a server refuses.

A provider model (:class:`~synalinks_nb.language_models.LanguageModel` through litellm)
asks for structured output one of four ways, chosen with
``LanguageModel(..., structured_output=...)``:

- ``"json_schema"``: ``response_format={"type": "json_schema", ...}``; ``strict`` is set
  only when the schema satisfies OpenAI's strict-mode rules (every property required,
  no extra properties). OpenAI, vLLM, llama.cpp's own server, Ollama... accept it.
- ``"json_object"``: JSON mode plus the schema in a system message. When ``api_base``
  is set (a self-hosted OpenAI-compatible server) the schema is also given as
  ``response_format``'s ``schema`` key, which llama-cpp-python's server turns into
  constrained decoding.
- ``"tool"``: a forced call of one tool whose parameters are the schema (Anthropic,
  Bedrock, Groq; llama-cpp-python's server constrains that too).
- ``"prompt"``: the schema in a system message only, for servers with no JSON mode.

``"auto"`` (the default) starts with the mode the provider family is known to accept
(:func:`structured_output_mode`). When the server *refuses* that mode, the request is
sent again at once in the next one, in the order json_schema → json_object → tool →
prompt, and the mode that works is remembered by the model object, so the refusal
costs one request per model, not one per call. llama-cpp-python's server, for one,
answers ``response_format`` of type ``json_schema`` with HTTP 500 ("Input should be
'text' or 'json_object'"): a model pointed at it settles on ``json_object``.

A refusal (:func:`is_refusal`) is an HTTP 400, 422, 500 or 501 whose message names a
structured-output parameter (``response_format``, ``json_schema``, ``tool_choice``...).
It is not an outage: it is never retried with backoff. With a fixed mode, or once
``"prompt"`` is refused too, it is raised at once as a
:class:`~synalinks_nb.errors.ProviderError`. Note that the remembered mode is per model
object, whatever the schema: a server that fails to compile one schema into a grammar
moves that model to the next mode for every schema.

Whatever the mode, the answer is parsed and validated against the schema by
:class:`~synalinks_nb.language_models.base.BaseLanguageModel`, which makes one repair
attempt when it is not valid.

Example:
    >>> from synalinks_nb.language_models.structured_output import StructuredOutput
    >>> choice = StructuredOutput("auto", "openai/smollm2")
    >>> choice.mode
    'json_schema'
    >>> choice.next_mode("json_schema")
    'json_object'
    >>> schema = {"type": "object", "properties": {"city": {"type": "string"}},
    ...           "required": ["city"]}
    >>> request = choice.request("prompt", schema, [{"role": "user", "content": "Paris?"}])
    >>> [m["role"] for m in request["messages"]], "response_format" in request
    (['system', 'user'], False)
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar, cast, get_args

from synalinks_nb.errors import ConfigError

__all__ = [
    "MODES",
    "StructuredOutput",
    "StructuredOutputChoice",
    "StructuredOutputMode",
    "is_refusal",
    "structured_output_mode",
]

StructuredOutputMode = Literal["json_schema", "json_object", "tool", "prompt"]
StructuredOutputChoice = Literal["auto", "json_schema", "json_object", "tool", "prompt"]
#: The modes, in the order ``"auto"`` falls back through them.
MODES: tuple[StructuredOutputMode, ...] = get_args(StructuredOutputMode)

_JSON_SCHEMA_PROVIDERS = frozenset({
    "openai", "azure", "azure_ai", "gemini", "vertex_ai", "xai", "mistral", "ollama",
    "ollama_chat", "hosted_vllm", "vllm", "lm_studio", "openrouter", "fireworks_ai",
    "together_ai", "deepinfra", "cerebras", "databricks", "litellm_proxy", "llamafile",
})
_TOOL_PROVIDERS = frozenset({"anthropic", "bedrock", "groq"})
TOOL_NAME = "structured_output"
_REFUSAL_STATUSES = frozenset({400, 422, 500, 501})
# Names a server uses when it rejects the way the schema was asked for.
_REFUSAL_WORDS = re.compile(
    r"response[_ ]format|json[_ ]schema|json[_ ]object|json mode|tool[_ ]choice|\btools?\b"
    r"|function[_ ]call|structured[_ ]output|guided[_ ]json|grammar",
    re.IGNORECASE,
)
_log = logging.getLogger(__name__)
T = TypeVar("T")


def structured_output_mode(model: str) -> StructuredOutputMode:
    """How a schema is first sent to ``model`` (a litellm id) in ``"auto"`` mode.

    Example:
        >>> structured_output_mode("openai/gpt-4o-mini")
        'json_schema'
        >>> structured_output_mode("anthropic/claude-3-5-haiku-latest")
        'tool'
    """
    provider = model.split("/", 1)[0] if "/" in model else ""
    if provider in _TOOL_PROVIDERS:
        return "tool"
    if provider in _JSON_SCHEMA_PROVIDERS:
        return "json_schema"
    from synalinks_nb.language_models.litellm_backend import import_litellm

    try:
        supported = bool(import_litellm().supports_response_schema(model=model))
    except Exception:  # litellm does not know the model: plain JSON mode is the safe bet
        supported = False
    return "json_schema" if supported else "json_object"


def is_refusal(exc: BaseException) -> bool:
    """Whether a provider error says the server refused the structured-output request.

    Example:
        >>> class Refused(Exception):
        ...     status_code = 500
        >>> is_refusal(Refused("response_format.type: Input should be 'text' or 'json_object'"))
        True
        >>> is_refusal(Refused("CUDA out of memory"))
        False
    """
    status = getattr(exc, "status_code", None)
    return status in _REFUSAL_STATUSES and bool(_REFUSAL_WORDS.search(str(exc)))


class StructuredOutput:
    """The structured-output mode of one provider model, and its fallback on refusals.

    Args:
        choice: ``"auto"`` or one of :data:`MODES` (see the module docstring).
        model: the litellm model id (picks the first mode in ``"auto"``).
        api_base: the endpoint, when the model is served by the user's own server.

    Attributes:
        refusals: one line per refusal that moved the mode on, oldest first.
    """

    def __init__(self, choice: str, model: str, api_base: str | None = None) -> None:
        if choice != "auto" and choice not in MODES:
            raise ConfigError(
                f"Expected structured_output to be 'auto' or one of {', '.join(MODES)}. "
                f"Received: structured_output={choice!r}"
            )
        self.choice = cast(StructuredOutputChoice, choice)
        self.model = model
        self.api_base = api_base
        self.refusals: list[str] = []
        self._mode: StructuredOutputMode | None = None if choice == "auto" else cast(
            StructuredOutputMode, choice)

    @property
    def mode(self) -> StructuredOutputMode:
        """The mode requests use now (in ``"auto"``, after any fallback)."""
        if self._mode is None:
            self._mode = structured_output_mode(self.model)
        return self._mode

    def next_mode(self, mode: StructuredOutputMode) -> StructuredOutputMode | None:
        """The mode ``"auto"`` tries after ``mode`` is refused; ``None`` after the last."""
        index = MODES.index(mode) + 1
        return MODES[index] if index < len(MODES) else None

    async def send(self, call: Callable[[StructuredOutputMode], Awaitable[T]]) -> T:
        """``await call(mode)``; in ``"auto"``, again in the next mode after each refusal.

        Any other failure, and a refusal with nowhere left to go, propagates unchanged.
        """
        while True:
            mode = self.mode
            try:
                return await call(mode)
            except Exception as exc:
                if self.choice != "auto" or not is_refusal(exc) or not self._move_on(mode, exc):
                    raise

    def _move_on(self, refused: StructuredOutputMode, exc: Exception) -> bool:
        if self._mode != refused:  # a concurrent request already moved on: use its mode
            return True
        following = self.next_mode(refused)
        if following is None:
            return False
        status = getattr(exc, "status_code", None)
        self.refusals.append(f"{refused}: HTTP {status} {_first_line(exc)}")
        self._mode = following
        _log.warning("%s%s refused structured output as %r (HTTP %s); using %r from now on.",
                     self.model, f" at {self.api_base}" if self.api_base else "", refused,
                     status, following)
        return True

    def request(
        self, mode: StructuredOutputMode, schema: dict[str, Any], messages: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """The request keys that ask for ``schema`` in ``mode`` (may replace ``messages``)."""
        name = re.sub(r"[^a-zA-Z0-9_-]", "_", str(schema.get("title") or TOOL_NAME))[:64]
        if mode == "json_schema":
            strict = _is_strict(schema)
            body = _without_ref_siblings(schema) if strict else schema
            return {"response_format": {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": body, "strict": strict},
            }}
        if mode == "tool":
            return {
                "tools": [{"type": "function", "function": {
                    "name": TOOL_NAME,
                    "description": "Give the answer as arguments matching the schema.",
                    "parameters": schema,
                }}],
                "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}},
            }
        instruction = (
            "Answer with one JSON object, and nothing else, that matches this JSON schema:\n"
            + json.dumps(schema)
        )
        request: dict[str, Any] = {
            "messages": [{"role": "system", "content": instruction}, *messages]}
        if mode == "json_object":
            json_mode: dict[str, Any] = {"type": "json_object"}
            if self.api_base:
                json_mode["schema"] = schema
            request["response_format"] = json_mode
        return request

    def __repr__(self) -> str:
        current = f", mode={self._mode!r}" if self._mode and self.choice == "auto" else ""
        return f"StructuredOutput({self.choice!r}{current})"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _is_strict(schema: Any) -> bool:
    """True when OpenAI's strict mode accepts the schema as is."""
    if isinstance(schema, list):
        return all(_is_strict(item) for item in schema)
    if not isinstance(schema, dict):
        return True
    properties = schema.get("properties")
    if isinstance(properties, dict) and (
        schema.get("additionalProperties") is not False
        or set(schema.get("required", [])) != set(properties)
    ):
        return False
    return all(_is_strict(value) for key, value in schema.items() if key not in ("enum", "const"))


def _without_ref_siblings(schema: Any) -> Any:
    # Strict mode rejects keywords (description, title...) next to a $ref.
    if isinstance(schema, list):
        return [_without_ref_siblings(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}
    return {k: _without_ref_siblings(v) for k, v in schema.items()}
