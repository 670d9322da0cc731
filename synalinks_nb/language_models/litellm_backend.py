"""The provider backend: one request through ``litellm.acompletion``.

litellm is imported on the first request, never when the package is
imported (it costs ~2.5 s of CPU). Before importing it we set
``LITELLM_LOCAL_MODEL_COST_MAP=True`` unless the user set it, so litellm reads
its bundled price table instead of downloading one, and we silence its
"Give Feedback / Get Help" banner. No other litellm global is changed:
per-request options (``drop_params``, ``max_retries=0``) are passed per call,
because retries are ours (:class:`~synalinks_nb.language_models.settings.RetryPolicy`)
and two retry layers would multiply waits.

Structured output is asked for as :mod:`~synalinks_nb.language_models.structured_output`
decides (``LanguageModel(..., structured_output="auto")``: json_schema, JSON mode, a forced
tool call or the prompt alone, falling back once per model when a server refuses a mode).
Whatever the mode, the answer is validated against the schema by the base class, which
makes the one repair attempt. A refused structured-output request is a
:class:`~synalinks_nb.errors.ProviderError`, never retried as an outage.

Tool choices (``lm(messages, tools=[...])``) use the provider's function calling when
litellm says the model supports it (``function_calling="auto"``), else the constrained-JSON
request of :mod:`~synalinks_nb.language_models.tool_calls`.

A streamed request (``emit`` given) asks for ``stream=True`` with the usage in the last
chunk (``stream_options``), hands each piece of content (or of a structured-output tool
call's arguments) to ``emit`` as it arrives, and returns the joined answer; a patched
``litellm.acompletion`` may answer with a plain list of dict chunks.

Errors are translated into the package's tree, secrets redacted, by
:mod:`~synalinks_nb.language_models.provider_errors` (``translate_error`` is
re-exported here).
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, Literal

from synalinks_nb.errors import ConfigError, ProviderError
from synalinks_nb.language_models.completion import Completion
from synalinks_nb.language_models.provider_errors import check_api_base, translate_error
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.language_models.structured_output import (
    StructuredOutput,
    StructuredOutputChoice,
    StructuredOutputMode,
    structured_output_mode,
)
from synalinks_nb.language_models.tool_calls import (
    declarations_of,
    from_native,
    plain_messages,
    wire_messages,
)
from synalinks_nb.utils.secrets import Credentials

__all__ = [
    "FunctionCalling",
    "LitellmBackend",
    "StructuredOutputMode",
    "check_api_base",
    "import_litellm",
    "response_field",
    "structured_output_mode",
    "translate_error",
]

FunctionCalling = Literal["auto", "native", "json"]
"""How tool choices are asked for: ``tools=`` (native), constrained JSON, or as litellm
says the model supports (auto)."""

# Synalinks' aliases: the chat endpoints behave better for these servers.
_ALIASES = {"ollama": "ollama_chat", "vllm": "hosted_vllm"}


def import_litellm() -> Any:
    """Import litellm, offline-safe and quiet; the first call costs ~2.5 s."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    return litellm


_loop_hooks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncGenerator[None, None]] = (
    weakref.WeakKeyDictionary()
)


async def _close_clients_at_shutdown() -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        litellm = import_litellm()
        await litellm.close_litellm_async_clients()
        litellm.in_memory_llm_clients_cache.flush_cache()


async def _close_clients_when_the_loop_ends() -> None:
    """Close litellm's cached HTTP clients before this event loop closes.

    litellm caches one aiohttp/httpx client per provider and keeps it after the loop it
    was made on is gone, so every ``asyncio.run(...)`` that called a provider leaked
    open sockets (ResourceWarnings at some later garbage collection). An async
    generator, started once per loop and kept alive here, is finalised by the loop's
    ``shutdown_asyncgens()`` — which ``asyncio.run`` calls while the loop still runs — and
    its ``finally`` closes the clients there. A notebook's loop never closes: nothing
    happens.
    """
    loop = asyncio.get_running_loop()
    if loop in _loop_hooks:
        return
    hook = _close_clients_at_shutdown()
    await hook.__anext__()
    _loop_hooks[loop] = hook


class LitellmBackend(Credentials):
    """Sends requests for one model id through litellm.

    Args:
        model: the litellm model id.
        api_base: the endpoint (any OpenAI-compatible server: vLLM, Ollama...).
        api_key: the key; kept on this object only, never serialised or shown.
    """

    def __init__(self, model: str, api_base: str | None = None, api_key: str | None = None,
                 structured_output: StructuredOutputChoice = "auto",
                 function_calling: FunctionCalling = "auto"):
        provider, _, rest = model.partition("/")
        self.model = model
        self.litellm_model = f"{_ALIASES[provider]}/{rest}" if provider in _ALIASES and rest else (
            model
        )
        self._api_base = api_base
        self._api_key = api_key
        self.structured_output = StructuredOutput(structured_output, self.litellm_model,
                                                  api_base)
        if function_calling not in ("auto", "native", "json"):
            raise ConfigError("Expected function_calling to be 'auto', 'native' or 'json'. "
                              f"Received: function_calling={function_calling!r}")
        self.function_calling = function_calling

    @property
    def mode(self) -> StructuredOutputMode:
        """The structured-output mode used for this model now."""
        return self.structured_output.mode

    async def generate(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        request_timeout: float | None,
        emit: Callable[[str], None] | None = None,
    ) -> Completion:
        """One request, no retry; failures raised as the package's errors.

        A structured-output request the server refuses is sent again at once in the
        next mode when the mode is ``"auto"`` (that is not a retry). With ``emit``, the
        answer is streamed: each piece goes to ``emit`` as it arrives.
        """
        check_api_base(self._api_base, self.model)
        litellm = import_litellm()
        await _close_clients_when_the_loop_ends()

        async def send(mode: StructuredOutputMode | None) -> Any:
            request = self._request(messages, schema, settings, request_timeout, mode)
            if emit is None:
                return await litellm.acompletion(**request)
            request.update(stream=True, stream_options={"include_usage": True})
            # Read inside the request's error handling: a stream can fail midway.
            return await self._read_stream(litellm, await litellm.acompletion(**request),
                                           schema, emit)

        tools = declarations_of(schema)
        native = tools is not None and self.native_tools(litellm)
        if not native:
            messages = plain_messages(messages)

        async def send_tools() -> Any:
            request = self._request(wire_messages(messages), None, settings, request_timeout)
            request.update(tools=tools, tool_choice="auto", _skip_mcp_handler=True)
            return await litellm.acompletion(**request)

        try:
            if native:
                response = await send_tools()
            elif schema is None:
                response = await send(None)
            else:
                response = await self.structured_output.send(send)
        except Exception as exc:
            translated = translate_error(litellm, exc, self.model, self.secrets)
            if translated is None:
                raise
        else:
            if isinstance(response, Completion):  # read from a stream
                return response
            return self._completion(response, schema, native)
        # Raised outside the except block: the provider's exception, which may quote
        # a key, is neither the cause nor the context of ours.
        raise translated

    def _request(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        timeout: float | None,
        mode: StructuredOutputMode | None = None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.litellm_model,
            "messages": list(messages),
            "max_retries": 0,
            "drop_params": True,
            **settings.to_dict(),
        }
        if timeout is not None:
            request["timeout"] = timeout
        if self._api_base:
            request["api_base"] = self._api_base
        if self._api_key:
            request["api_key"] = self._api_key
        if schema is not None:
            request.update(self.structured_output.request(mode or self.mode, schema,
                                                          request["messages"]))
        if "tools" in request:
            # litellm (1.106) routes every request with tools through its MCP handler,
            # which imports the optional `mcp` package and fails without it; our one tool
            # is never an MCP tool.
            request["_skip_mcp_handler"] = True
        return request

    def native_tools(self, litellm: Any) -> bool:
        """Whether tool choices are asked for with ``tools=`` (else as constrained JSON)."""
        if self.function_calling != "auto":
            return self.function_calling == "native"
        try:
            return bool(litellm.supports_function_calling(model=self.litellm_model))
        except Exception:  # litellm raises for ids missing from its table: not native then
            return False

    def _completion(self, response: Any, schema: dict[str, Any] | None,
                    native: bool = False) -> Completion:
        # litellm returns objects; a patched ``litellm.acompletion`` (Synalinks' tests do
        # this) may return the same response as plain dicts: read both the same way.
        choices = _field(response, "choices")
        if not choices:
            raise ProviderError(
                f"Expected an answer from {self.model} with at least one choice. "
                f"Received: choices={choices!r}",
                model=self.model, status_code=200,
            )
        message = _field(choices[0], "message")
        usage = _field(response, "usage")
        hidden = _field(response, "_hidden_params") or {}
        if native:
            return Completion(
                json=from_native(message),
                prompt_tokens=int(_field(usage, "prompt_tokens") or 0),
                completion_tokens=int(_field(usage, "completion_tokens") or 0),
                cost=float(hidden.get("response_cost") or 0.0), model=self.model,
            )
        text = _field(message, "content") or ""
        tool_calls = _field(message, "tool_calls")
        if schema is not None and tool_calls:
            text = _field(_field(tool_calls[0], "function"), "arguments") or ""
        return Completion(
            text=text,
            prompt_tokens=int(_field(usage, "prompt_tokens") or 0),
            completion_tokens=int(_field(usage, "completion_tokens") or 0),
            cost=float(hidden.get("response_cost") or 0.0),
            model=self.model,
            # OpenAI's details objects; Anthropic's cache writes (litellm passes them on).
            cached_tokens=int(_field(_field(usage, "prompt_tokens_details"), "cached_tokens")
                              or 0),
            cache_creation_tokens=int(_field(usage, "cache_creation_input_tokens") or 0),
            reasoning_tokens=int(_field(_field(usage, "completion_tokens_details"),
                                        "reasoning_tokens") or 0),
        )

    async def _read_stream(self, litellm: Any, stream: Any, schema: dict[str, Any] | None,
                           emit: Callable[[str], None]) -> Completion:
        """The answer of a streamed response, each piece given to ``emit`` on arrival."""
        content: list[str] = []
        arguments: list[str] = []  # a structured answer asked for as a forced tool call
        usage = None
        async for chunk in _chunks(stream):
            usage = _field(chunk, "usage") or usage
            choices = _field(chunk, "choices") or []
            delta = _field(choices[0], "delta") if choices else None
            piece = _field(delta, "content")
            if piece:
                content.append(piece)
                emit(piece)
            for call in _field(delta, "tool_calls") or []:
                piece = _field(_field(call, "function"), "arguments")
                if piece:
                    arguments.append(piece)
                    emit(piece)
        text = "".join(content)
        if schema is not None and arguments and not text.strip():
            text = "".join(arguments)
        prompt = int(_field(usage, "prompt_tokens") or 0)
        completion = int(_field(usage, "completion_tokens") or 0)
        return Completion(
            text=text, prompt_tokens=prompt, completion_tokens=completion,
            cost=self._cost(litellm, prompt, completion), model=self.model,
            cached_tokens=int(_field(_field(usage, "prompt_tokens_details"), "cached_tokens")
                              or 0),
            reasoning_tokens=int(_field(_field(usage, "completion_tokens_details"),
                                        "reasoning_tokens") or 0),
        )

    def _cost(self, litellm: Any, prompt_tokens: int, completion_tokens: int) -> float:
        """Dollars for these tokens from litellm's price table (0 for unknown models)."""
        if not prompt_tokens and not completion_tokens:
            return 0.0
        try:
            prices = litellm.cost_per_token(model=self.litellm_model,
                                            prompt_tokens=prompt_tokens,
                                            completion_tokens=completion_tokens)
        except Exception:  # litellm raises for models missing from its table
            return 0.0
        return float(sum(prices))

    def __repr__(self) -> str:
        base = f", api_base={self.api_base!r}" if self.api_base else ""
        return f"LitellmBackend(model={self.model!r}{base})"


async def _chunks(stream: Any) -> AsyncIterator[Any]:
    """The chunks of litellm's async stream, or of a plain iterable (a patched acompletion)."""
    if hasattr(stream, "__aiter__"):
        async for chunk in stream:
            yield chunk
    else:
        for chunk in stream:
            yield chunk


def _field(obj: Any, name: str) -> Any:
    """``obj.name`` or ``obj[name]`` (``None`` when missing): responses as objects or dicts."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


response_field = _field
"""Read a field of a litellm response given as an object or as a plain dict."""
