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
makes the one repair attempt.

Errors are translated into the package's tree: a refused structured-output request
(:func:`~synalinks_nb.language_models.structured_output.is_refusal`) a
:class:`~synalinks_nb.errors.ProviderError`, never retried; 429 becomes a retryable
:class:`~synalinks_nb.errors.RateLimitError` carrying ``Retry-After``; 5xx and
connection failures a retryable :class:`~synalinks_nb.errors.ProviderUnavailableError`;
401/403 an :class:`~synalinks_nb.errors.AuthenticationError` (never retried);
other statuses a :class:`~synalinks_nb.errors.ProviderError`.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import time
import weakref
from collections.abc import AsyncGenerator
from typing import Any

from synalinks_nb.errors import (
    AuthenticationError,
    LanguageModelError,
    LanguageModelTimeoutError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
)
from synalinks_nb.language_models.base import Completion, TransientError
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.language_models.structured_output import (
    StructuredOutput,
    StructuredOutputChoice,
    StructuredOutputMode,
    is_refusal,
    structured_output_mode,
)

__all__ = [
    "LitellmBackend",
    "StructuredOutputMode",
    "import_litellm",
    "structured_output_mode",
    "translate_error",
]

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


class LitellmBackend:
    """Sends requests for one model id through litellm.

    Args:
        model: the litellm model id.
        api_base: the endpoint (any OpenAI-compatible server: vLLM, Ollama...).
        api_key: the key; kept on this object only, never serialised or shown.
        structured_output: how a schema is asked for: ``"auto"`` or a fixed mode
            (:mod:`~synalinks_nb.language_models.structured_output`).
    """

    def __init__(self, model: str, api_base: str | None = None, api_key: str | None = None,
                 structured_output: StructuredOutputChoice = "auto"):
        provider, _, rest = model.partition("/")
        self.model = model
        self.litellm_model = f"{_ALIASES[provider]}/{rest}" if provider in _ALIASES and rest else (
            model
        )
        self.api_base = api_base
        self._api_key = api_key
        self.structured_output = StructuredOutput(structured_output, self.litellm_model,
                                                  api_base)

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
    ) -> Completion:
        """One request, no retry; failures raised as the package's errors.

        A structured-output request the server refuses is sent again at once in the
        next mode when the mode is ``"auto"`` (that is not a retry).
        """
        litellm = import_litellm()
        await _close_clients_when_the_loop_ends()

        async def send(mode: StructuredOutputMode | None) -> Any:
            request = self._request(messages, schema, settings, request_timeout, mode)
            return await litellm.acompletion(**request)

        try:
            if schema is None:
                response = await send(None)
            else:
                response = await self.structured_output.send(send)
        except Exception as exc:
            translated = translate_error(litellm, exc, self.model)
            if translated is None:
                raise
            raise translated from exc
        return self._completion(response, schema)

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
        if self.api_base:
            request["api_base"] = self.api_base
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

    def _completion(self, response: Any, schema: dict[str, Any] | None) -> Completion:
        message = response.choices[0].message
        text = message.content or ""
        tool_calls = getattr(message, "tool_calls", None)
        if schema is not None and tool_calls:
            text = tool_calls[0].function.arguments or ""
        usage = getattr(response, "usage", None)
        hidden = getattr(response, "_hidden_params", None) or {}
        return Completion(
            text=text,
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            cost=float(hidden.get("response_cost") or 0.0),
            model=self.model,
        )

    def __repr__(self) -> str:
        base = f", api_base={self.api_base!r}" if self.api_base else ""
        return f"LitellmBackend(model={self.model!r}{base})"


def translate_error(litellm: Any, exc: Exception, model: str) -> Exception | None:
    """The package's error for a litellm error, or ``None`` for anything else."""
    status = getattr(exc, "status_code", None)
    message = f"Expected an answer from {model}. Received: {_summary(exc)}"
    if is_refusal(exc):  # retrying the same request cannot help
        return ProviderError(
            f"{message}. The server refused the structured-output request; choose another "
            "way with LanguageModel(..., structured_output='json_object'|'tool'|'prompt').",
            model=model, status_code=getattr(exc, "status_code", None))
    if isinstance(exc, litellm.Timeout):
        return LanguageModelTimeoutError(message, model=model)
    if isinstance(exc, litellm.RateLimitError) or status == 429:
        return TransientError(RateLimitError(message, model=model, status_code=429),
                              retry_after=_retry_after(exc))
    if isinstance(exc, litellm.AuthenticationError | litellm.PermissionDeniedError) or (
        status in (401, 403)
    ):
        return AuthenticationError(message, model=model, status_code=status)
    if isinstance(exc, litellm.APIConnectionError) or (isinstance(status, int) and status >= 500):
        error: LanguageModelError = ProviderUnavailableError(message, model=model,
                                                              status_code=status)
        return TransientError(error, retry_after=_retry_after(exc))
    if isinstance(status, int) or isinstance(exc, litellm.exceptions.OpenAIError):
        return ProviderError(message, model=model, status_code=status)
    return None


def _summary(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    text = str(exc).replace("\n", " ")
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{'HTTP ' + str(status) + ' ' if status else ''}{type(exc).__name__}: {text}"


def _retry_after(exc: Exception) -> float | None:
    headers = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
