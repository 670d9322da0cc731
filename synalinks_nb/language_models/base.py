"""The language-model protocol, and the base class every backend derives from.

A language model is anything with ``async __call__(messages, schema=None,
**kwargs)`` returning a :class:`~synalinks_nb.data_models.JsonDataModel`:
the validated answer when a JSON schema is given, a ChatMessage-shaped JSON
``{"role": "assistant", "content": "..."}`` otherwise. Messages are OpenAI
chat dicts (``{"role": "user", "content": "..."}``).

:class:`BaseLanguageModel` owns everything that must behave the same whatever
answers the request — the scripted fake, the embedded llama.cpp model or a
litellm provider:

1. per-call keyword arguments are checked against :class:`SamplingSettings`
   (an unknown one is a ``TypeError``, for every backend);
2. the on-disk :class:`~synalinks_nb.language_models.cache.Cache` is read
   (a hit is counted as a free call) and written after a valid answer;
3. a per-model semaphore (``max_concurrency``) bounds requests in flight,
   shared by every module holding the same model object;
4. each attempt is bounded by ``timeout``; transient failures are retried by
   the :class:`RetryPolicy` (``Retry-After`` honoured). A request waiting to
   retry keeps its concurrency slot, so a rate-limited provider is not
   hammered by the queue behind it;
5. the answer is parsed and validated against the schema; on failure, one
   repair attempt is made with the error fed back to the model, then a
   :class:`~synalinks_nb.errors.StructuredOutputError` is raised;
6. usage (calls, tokens, latency, cost, failures, cache hits) is counted in
   the current :func:`~synalinks_nb.language_models.usage.usage_phase`;
   with ``streaming=True`` the answer's pieces are shown as they arrive and its
   time to first / last token counted (:mod:`~synalinks_nb.language_models.streaming`);
7. when a trace is recording (:mod:`synalinks_nb.traces`), the messages, raw
   answers, rejections, parsed answer and usage join the current module's span.

A backend implements one method, :meth:`BaseLanguageModel._generate`, which
sends one request and returns the raw answer; it may also implement
:meth:`BaseLanguageModel._stream`, the same request answered piece by piece
(by default the whole answer is one piece). It signals a failure worth
retrying by raising :class:`TransientError` wrapping the typed error to raise
once retries are exhausted; any other exception propagates at once.

This module holds the pipeline's order; its steps live beside it:
:mod:`~synalinks_nb.language_models.completion` (raw answers to validated JSON),
:mod:`~synalinks_nb.language_models.retries` (the retry loop),
:mod:`~synalinks_nb.language_models.request` (checking and describing a request) and
:mod:`~synalinks_nb.language_models.metering` (usage, history and traces, mixed in).
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from synalinks_nb.config import config
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.media import resolve_content_media
from synalinks_nb.hooks.dispatch import begin as hooks_begin
from synalinks_nb.hooks.dispatch import end as hooks_end
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.hook_list import HookList
from synalinks_nb.language_models.completion import (
    Completion,
    Tally,
    as_completion,
    chat_message_schema,
    data_model,
    raw_text,
    shown_text,
    validated_answer,
)
from synalinks_nb.language_models.metering import UsageMeter
from synalinks_nb.language_models.request import as_messages, describe_request, request_record
from synalinks_nb.language_models.retries import TransientError, with_retries
from synalinks_nb.language_models.settings import RetryPolicy, SamplingSettings, decode_settings
from synalinks_nb.language_models.streaming import StreamTiming, display_sink
from synalinks_nb.language_models.tool_calls import declarations, to_chat_message, tool_calls_schema
from synalinks_nb.language_models.usage import current_phase
from synalinks_nb.traces.records import LMCall

if TYPE_CHECKING:
    from synalinks_nb.language_models.cache import Cache

__all__ = [
    "BaseLanguageModel",
    "Completion",
    "TransientError",
    "with_retries",
]
# Imported from here before the pipeline's steps moved to their own modules.
__all__ += ["decode_settings"]
_Tally = Tally


class BaseLanguageModel(UsageMeter):
    """Base class of language models: validation, retries, cache, usage, concurrency.

    Subclass contract: implement ``async _generate(messages, schema, settings)``
    returning the answer as a ``str`` (text, or JSON text when ``schema`` is
    given), a ``dict`` (already-parsed JSON) or a :class:`Completion` (to report
    tokens and cost). Raise :class:`TransientError` for failures worth retrying.
    Override ``get_config`` / ``from_config`` when the constructor differs.

    Args:
        model: the model id (``"local/smollm2"``, ``"openai/gpt-4o-mini"``...).
        name: a display name; defaults to the model id.
        sampling: default sampling settings; per-call keyword arguments override them.
        retry: the retry policy; ``None`` means no retry.
        timeout: seconds allowed per attempt; ``None`` means no limit.
        max_concurrency: requests in flight at once on this model object;
            ``None`` means no limit.
        cache: an on-disk cache of answers; ``None`` means no cache.

    Example:
        A complete custom backend that always answers in upper case:

        >>> import asyncio
        >>> from synalinks_nb.language_models import BaseLanguageModel
        >>> class Shouting(BaseLanguageModel):
        ...     def __init__(self, name=None):
        ...         super().__init__("shouting", name=name)
        ...     async def _generate(self, messages, schema, settings):
        ...         text = messages[-1]["content"].upper()
        ...         return {"answer": text} if schema else text
        >>> lm = Shouting()
        >>> asyncio.run(lm([{"role": "user", "content": "hello"}])).get_json()
        {'role': 'assistant', 'content': 'HELLO'}
        >>> schema = {"type": "object", "properties": {"answer": {"type": "string"}},
        ...           "required": ["answer"]}
        >>> asyncio.run(lm([{"role": "user", "content": "hi"}], schema=schema)).get_json()
        {'answer': 'HI'}
        >>> lm.usage.total.calls
        2
    """

    #: Sent after an invalid structured answer, formatted with ``error``.
    repair_prompt: ClassVar[str] = (
        "Your previous answer was rejected: {error}\n"
        "Answer again with only a JSON object that matches the requested schema."
    )

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        sampling: SamplingSettings | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        max_concurrency: int | None = None,
        cache: Cache | None = None,
    ) -> None:
        if not isinstance(model, str) or not model:
            raise TypeError(f"Expected model to be a non-empty string. Received: model={model!r}")
        if max_concurrency is not None and (
            isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int)
            or max_concurrency < 1
        ):
            raise ValueError(
                "Expected max_concurrency to be a positive int or None. "
                f"Received: max_concurrency={max_concurrency!r}"
            )
        if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
            raise ValueError(
                "Expected timeout to be a positive number of seconds. "
                f"Received: timeout={timeout!r}"
            )
        self.model = model
        self.name = name or model
        self.sampling = sampling or SamplingSettings()
        self.retry = retry or RetryPolicy(max_retries=0)
        self.timeout = timeout
        self.max_concurrency = max_concurrency
        self.cache = cache
        self._hooks: HookList | None = None
        self._init_usage()
        self._semaphores: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()

    def add_hook(self, hook: Hook) -> None:
        """Tell ``hook`` about every call of this model (see :mod:`synalinks_nb.hooks`)."""
        if self._hooks is None:
            self._hooks = HookList(add_logger=False, module=self)
        self._hooks.add_hook(hook)

    # -- the protocol ------------------------------------------------------------------

    async def __call__(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None = None,
        tools: Any = None,
        tool_schemas: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> JsonDataModel:
        """Answer ``messages``, as JSON valid for ``schema`` when one is given.

        Args:
            messages: OpenAI chat messages (or a ``ChatMessages`` data model).
            schema: the JSON schema of the answer, or ``None`` for a chat message.
            tools: ``Tool`` s (or a ``{name: Tool}`` dict) the model may call instead;
                the answer is then an assistant chat message whose ``tool_calls`` name
                them (see :mod:`~synalinks_nb.language_models.tool_calls`).
            tool_schemas: OpenAI tool declarations, offered like ``tools``.
            **kwargs: sampling settings for this call (``temperature``, ``seed``...), and
                ``streaming=True`` to show the answer as it arrives and time its tokens
                (the return value is the same; tool choices are never streamed).

        Returns:
            A ``JsonDataModel`` holding the validated answer.

        Raises:
            StructuredOutputError: the answer stayed invalid after the repair attempt.
            ProviderError: the provider failed (after retries).
            LanguageModelTimeoutError: an attempt exceeded ``timeout``.
            CacheMissError: a replay-only cache has no answer for the request.
            TypeError: an unknown keyword argument.
            ValueError: both ``schema`` and tools were given.
        """
        records: list[LMCall] = []
        hooked = hooks_begin(self, messages, kwargs)
        try:
            value = await self._respond(messages, schema, tools, tool_schemas, kwargs, records)
        except BaseException as exc:
            hooks_end(hooked, error=exc, lm_call=records[-1] if records else None)
            raise
        hooks_end(hooked, value, lm_call=records[-1] if records else None)
        return value

    async def _respond(self, messages: Any, schema: dict[str, Any] | None, tools: Any,
                       tool_schemas: list[dict[str, Any]] | None, kwargs: dict[str, Any],
                       records: list[LMCall]) -> JsonDataModel:
        streaming = bool(kwargs.pop("streaming", False))
        if tools or tool_schemas:  # a machine-facing choice of tools: never streamed
            offered = list(tools.values()) if isinstance(tools, dict) else list(tools or [])
            return await self._call_tools(messages, schema, [*offered, *(tool_schemas or [])],
                                          kwargs, records)
        # Media given by reference (a dataset's file:// paths) is read for this request only.
        messages = await resolve_content_media(as_messages(messages))
        settings = self.sampling.merged(kwargs)
        started = time.perf_counter()
        tally = Tally(model=self.model)
        if streaming:
            tally.stream = StreamTiming(display_sink(config.get_token_sink(), current_phase()),
                                        self.name)
        self._start_busy()
        try:
            value, cached = await self._answer(messages, schema, settings, tally)
        except Exception as exc:  # a cancelled call is not a failure of the model
            call = self._record(tally, started, cached=False, error=type(exc).__name__)
            records.append(self._trace(call, tally, messages, schema, None,
                                       f"{type(exc).__name__}: {exc}"))
            raise
        except BaseException:  # cancelled: not counted as a call, but no longer in flight
            self._stop_busy()
            raise
        call = self._record(tally, started, cached=cached, error=None)
        records.append(self._trace(call, tally, messages, schema, value.get_json(), None))
        return value

    async def _call_tools(self, messages: Any, schema: dict[str, Any] | None,
                          tools: list[Any], kwargs: dict[str, Any], records: list[LMCall]
                          ) -> JsonDataModel:
        if schema is not None:
            raise ValueError(
                "Expected either a schema or tools for one language-model call, not both: a "
                "schema forces the answer's shape, tools let the model choose. Received both."
            )
        answer = await self._respond(messages, tool_calls_schema(declarations(tools)), None,
                                     None, kwargs, records)
        return JsonDataModel(schema=chat_message_schema(),
                             json=to_chat_message(answer.get_json()))

    async def _answer(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        tally: Tally,
    ) -> tuple[JsonDataModel, bool]:
        key = None
        if self.cache is not None and self.cache.enabled:
            key = self.cache.key(self.model, messages, schema, settings.to_dict())
            hit = self.cache.get(key, describe=lambda: describe_request(self.model, messages))
            if hit is not None:
                if tally.stream is not None:  # shown whole: nothing arrives piece by piece
                    tally.stream.show_whole(shown_text(hit, schema))
                return data_model(hit, schema), True
        semaphore = self._semaphore()
        if semaphore is None:
            result = await self._structured(messages, schema, settings, tally)
        else:
            async with semaphore:
                result = await self._structured(messages, schema, settings, tally)
        if key is not None and self.cache is not None:
            self.cache.put(key, result.get_json(),
                           request=request_record(self.model, messages, schema, settings))
        return result, False

    async def _structured(self, messages: list[dict[str, Any]], schema: dict[str, Any] | None,
                          settings: SamplingSettings, tally: Tally) -> JsonDataModel:
        return await validated_answer(
            lambda request: self._complete(request, schema, settings, tally),
            messages, schema, tally, repair_prompt=self.repair_prompt, model=self.model)

    async def _complete(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        tally: Tally,
    ) -> Completion:
        """One answer from the backend: timeout per attempt, retries per policy."""

        async def attempt() -> Completion:
            tally.attempts += 1
            if tally.stream is None:
                return as_completion(await self._generate(messages, schema, settings))
            stream = tally.stream
            return as_completion(await stream.attempt(
                lambda: self._stream(messages, schema, settings, stream.emit)))

        completion = await with_retries(
            attempt, policy=self.retry, attempt_timeout=self.timeout, model=self.model
        )
        tally.add(completion)
        return completion

    async def _generate(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
    ) -> str | dict[str, Any] | Completion:
        """Send one request to the backend and return its raw answer. Subclasses implement."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `async _generate(messages, schema, settings)`."
        )

    async def _stream(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        emit: Callable[[str], None],
    ) -> str | dict[str, Any] | Completion:
        """Send one request, call ``emit(text)`` for each piece as it arrives, and return
        the whole raw answer as :meth:`_generate` does.

        The default answers through :meth:`_generate` and emits the answer as one piece;
        backends that can stream override it.
        """
        raw = await self._generate(messages, schema, settings)
        emit(raw_text(as_completion(raw)))
        return raw

    # -- concurrency -------------------------------------------------------------------

    def _semaphore(self) -> asyncio.Semaphore | None:
        # asyncio primitives bind to one loop; keep one per loop (tests, threads).
        if self.max_concurrency is None:
            return None
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = asyncio.Semaphore(self.max_concurrency)
            self._semaphores[loop] = semaphore
        return semaphore

    # -- configuration -----------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as JSON. Never includes API keys or other secrets."""
        return {
            "model": self.model,
            "name": self.name,
            "sampling": self.sampling.get_config(),
            "retry": self.retry.get_config(),
            "timeout": self.timeout,
            "max_concurrency": self.max_concurrency,
            "cache": self.cache.get_config() if self.cache is not None else None,
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> BaseLanguageModel:
        """Rebuild a model from :meth:`get_config`'s output."""
        return cls(**decode_settings(config))

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name != self.model else ""
        return f"{type(self).__name__}(model={self.model!r}{name})"
