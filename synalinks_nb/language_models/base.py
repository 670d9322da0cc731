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
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import functools
import json
import logging
import re
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from synalinks_nb.config import config
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.media import resolve_content_media
from synalinks_nb.errors import (
    LanguageModelError,
    LanguageModelTimeoutError,
    SchemaValidationError,
    StructuredOutputError,
)
from synalinks_nb.hooks.dispatch import begin as hooks_begin
from synalinks_nb.hooks.dispatch import end as hooks_end
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.hook_list import HookList
from synalinks_nb.language_models.settings import RetryPolicy, SamplingSettings
from synalinks_nb.language_models.streaming import StreamTiming, display_sink
from synalinks_nb.language_models.tool_calls import declarations, to_chat_message, tool_calls_schema
from synalinks_nb.language_models.usage import (
    BusyClock,
    CallUsage,
    Usage,
    UsageReport,
    current_phase,
)
from synalinks_nb.traces.recorder import record_lm_call
from synalinks_nb.traces.records import LMCall

# ``sn.enable_logging("debug")`` shows one line per request (Synalinks logs its calls too).
_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from synalinks_nb.language_models.cache import Cache

__all__ = [
    "BaseLanguageModel",
    "Completion",
    "TransientError",
    "with_retries",
]



_HISTORY_SIZE = 1000
T = TypeVar("T")
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


class TransientError(Exception):
    """Raised by a backend's ``_generate`` for a failure worth retrying.

    Args:
        error: the typed error to raise when retries are exhausted
            (a ``RateLimitError``, ``ProviderUnavailableError``...).
        retry_after: seconds the provider asked to wait (``Retry-After``).
    """

    def __init__(self, error: LanguageModelError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass
class _Tally:
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


class BaseLanguageModel:
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
        self.history: collections.deque[CallUsage] = collections.deque(maxlen=_HISTORY_SIZE)
        self._usage: dict[str, Usage] = {}
        self._usage_lock = threading.Lock()
        self._busy = BusyClock()
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
        messages = await resolve_content_media(_as_messages(messages))
        settings = self.sampling.merged(kwargs)
        started = time.perf_counter()
        tally = _Tally(model=self.model)
        if streaming:
            tally.stream = StreamTiming(display_sink(config.get_token_sink(), current_phase()),
                                        self.name)
        with self._usage_lock:
            self._busy.start(current_phase())
        try:
            value, cached = await self._answer(messages, schema, settings, tally)
        except Exception as exc:  # a cancelled call is not a failure of the model
            call = self._record(tally, started, cached=False, error=type(exc).__name__)
            records.append(self._trace(call, tally, messages, schema, None,
                                       f"{type(exc).__name__}: {exc}"))
            raise
        except BaseException:  # cancelled: not counted as a call, but no longer in flight
            with self._usage_lock:
                phase = current_phase()
                self._usage.setdefault(phase, Usage()).busy_s += self._busy.stop(phase)
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
        return JsonDataModel(schema=_chat_message_schema(),
                             json=to_chat_message(answer.get_json()))

    def _trace(self, call: CallUsage, tally: _Tally, messages: list[dict[str, Any]],
               schema: dict[str, Any] | None, output: Any, error: str | None) -> LMCall:
        record = LMCall(
            model=call.model, messages=messages, schema=schema,
            raw=[a.json if a.json is not None else a.text for a in tally.answers],
            rejections=list(tally.rejections), output=output, latency_s=call.latency_s,
            prompt_tokens=call.prompt_tokens, completion_tokens=call.completion_tokens,
            cost=call.cost, cached=call.cached, error=error, phase=call.phase,
        )
        record_lm_call(self, record)
        return record

    async def _answer(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        tally: _Tally,
    ) -> tuple[JsonDataModel, bool]:
        key = None
        if self.cache is not None and self.cache.enabled:
            key = self.cache.key(self.model, messages, schema, settings.to_dict())
            hit = self.cache.get(key, describe=lambda: _describe(self.model, messages))
            if hit is not None:
                if tally.stream is not None:  # shown whole: nothing arrives piece by piece
                    tally.stream.show_whole(_shown_text(hit, schema))
                return _data_model(hit, schema), True
        semaphore = self._semaphore()
        if semaphore is None:
            result = await self._structured(messages, schema, settings, tally)
        else:
            async with semaphore:
                result = await self._structured(messages, schema, settings, tally)
        if key is not None and self.cache is not None:
            self.cache.put(key, result.get_json(), request=_request(self.model, messages, schema,
                                                                   settings))
        return result, False

    async def _structured(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        tally: _Tally,
    ) -> JsonDataModel:
        completion = await self._complete(messages, schema, settings, tally)
        if schema is None:
            return _data_model(_chat_message(completion), None)
        try:
            return _data_model(_parse(completion), schema)
        except (ValueError, SchemaValidationError) as first:
            tally.rejections.append(str(first))
            raw = _raw_text(completion)
            repair = [
                *messages,
                {"role": "assistant", "content": raw},
                {"role": "user", "content": self.repair_prompt.format(error=first)},
            ]
        completion = await self._complete(repair, schema, settings, tally)
        try:
            return _data_model(_parse(completion), schema)
        except (ValueError, SchemaValidationError) as second:
            tally.rejections.append(str(second))
            raise StructuredOutputError(
                f"Expected an answer from {tally.model or self.model} matching the schema "
                f"{schema.get('title', '')!r}, after one repair attempt. Received an invalid "
                f"answer twice; last error: {second}. Last answer: {_short(_raw_text(completion))}",
                model=tally.model or self.model,
                raw=_raw_text(completion),
            ) from second

    async def _complete(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        tally: _Tally,
    ) -> Completion:
        """One answer from the backend: timeout per attempt, retries per policy."""

        async def attempt() -> Completion:
            tally.attempts += 1
            if tally.stream is None:
                return _as_completion(await self._generate(messages, schema, settings))
            stream = tally.stream
            return _as_completion(await stream.attempt(
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
        emit(_raw_text(_as_completion(raw)))
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

    # -- usage -------------------------------------------------------------------------

    def _record(self, tally: _Tally, started: float, *, cached: bool, error: str | None
                ) -> CallUsage:
        ttft = ttlt = trajectory_ttft = None
        if tally.stream is not None and error is None and not cached:
            ttft, ttlt, trajectory_ttft = tally.stream.latencies()
        call = CallUsage(
            phase=current_phase(),
            model=tally.model or self.model,
            prompt_tokens=tally.prompt_tokens,
            completion_tokens=tally.completion_tokens,
            latency_s=0.0 if cached else time.perf_counter() - started,
            cost=tally.cost,
            cached=cached,
            attempts=tally.attempts,
            error=error,
            cached_tokens=tally.cached_tokens,
            cache_creation_tokens=tally.cache_creation_tokens,
            reasoning_tokens=tally.reasoning_tokens,
            # The answer came from another model than this one: a fallback answered.
            fallback=error is None and bool(tally.model) and tally.model != self.model,
            ttft_s=ttft, ttlt_s=ttlt, trajectory_ttft_s=trajectory_ttft,
        )
        with self._usage_lock:
            usage = self._usage.setdefault(call.phase, Usage())
            usage.count(call)
            usage.busy_s += self._busy.stop(call.phase)
            self.history.append(call)
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("%s call to %s: %d prompt + %d completion tokens, %.3f s, cached=%s%s",
                       call.phase, call.model, call.prompt_tokens, call.completion_tokens,
                       call.latency_s, cached, f", error={error}" if error else "")
        return call

    @property
    def usage(self) -> UsageReport:
        """Usage per phase (``lm.usage["inference"]``) and in total (``lm.usage.total``)."""
        with self._usage_lock:
            return UsageReport(self._usage)

    def reset_usage(self) -> None:
        """Forget the usage counted so far."""
        with self._usage_lock:
            self._usage.clear()
            self.history.clear()

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


# -- helpers ---------------------------------------------------------------------------


def decode_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Constructor kwargs from a config: sampling, retry and cache back to their objects."""
    from synalinks_nb.language_models.cache import Cache

    kwargs = dict(config)
    if kwargs.get("sampling") is not None:
        kwargs["sampling"] = SamplingSettings.from_config(kwargs["sampling"])
    if kwargs.get("retry") is not None:
        kwargs["retry"] = RetryPolicy.from_config(kwargs["retry"])
    if kwargs.get("cache") is not None:
        kwargs["cache"] = Cache.from_config(kwargs["cache"])
    return kwargs


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    attempt_timeout: float | None,
    model: str,
) -> T:
    """Await ``attempt()`` until it succeeds, each attempt bounded by ``attempt_timeout``.

    :class:`TransientError` is retried per ``policy`` (its ``retry_after``
    replaces the computed delay), timeouts only when
    ``policy.retry_on_timeout``; the typed error is raised when retrying stops,
    with a note saying how many attempts were made. Other exceptions propagate.
    """
    waited = 0.0
    retries = 0
    while True:
        try:
            if attempt_timeout is None:  # most calls: skip the timeout's bookkeeping
                return await attempt()
            async with asyncio.timeout(attempt_timeout):
                return await attempt()
        except TransientError as exc:
            error, retry_after, retryable = exc.error, exc.retry_after, True
        except TimeoutError as exc:
            error = exc if isinstance(exc, LanguageModelTimeoutError) else (
                LanguageModelTimeoutError(
                    f"Expected an answer from {model} within {attempt_timeout} s. "
                    "Received none in time.",
                    model=model,
                )
            )
            retry_after, retryable = None, policy.retry_on_timeout
        delay = policy.delay(retries, retry_after)
        if not retryable or retries >= policy.max_retries or waited + delay > policy.budget_s:
            error.add_note(f"Gave up after {retries + 1} attempt(s).")
            raise error from None
        await asyncio.sleep(delay)
        waited += delay
        retries += 1


def _as_messages(messages: Any) -> list[dict[str, Any]]:
    """The chat dicts of ``messages``; a ChatMessages data model is accepted (Synalinks)."""
    if hasattr(messages, "get_json") and not isinstance(messages, list):
        # A ChatMessage's unset optional keys (tool_calls, name...) are not sent.
        messages = [{k: v for k, v in m.items() if v is not None}
                    for m in messages.get_json().get("messages") or []]
    if not isinstance(messages, list) or not messages:
        raise TypeError(
            "Expected messages to be a non-empty list of chat dicts "
            f"({{'role': ..., 'content': ...}}). Received: {_short(repr(messages))}"
        )
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or "role" not in message:
            raise TypeError(
                f"Expected messages[{i}] to be a dict with a 'role' key. "
                f"Received: {_short(repr(message))}"
            )
    return messages


def _as_completion(raw: Any) -> Completion:
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


def _raw_text(completion: Completion) -> str:
    if completion.json is not None:
        return json.dumps(completion.json, ensure_ascii=False)
    return completion.text


def _parse(completion: Completion) -> Any:
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
    raise ValueError(f"Expected the answer to be a JSON object. Received: {_short(text)!r}")


def _chat_message(completion: Completion) -> dict[str, Any]:
    value = completion.json
    if value is None:
        content = completion.text
    elif isinstance(value, dict) and isinstance(value.get("content"), str):
        content = value["content"]
    else:
        content = json.dumps(value, ensure_ascii=False)
    return {"role": "assistant", "content": content}


def _shown_text(value: Any, schema: dict[str, Any] | None) -> str:
    """What a streamed call shows of a whole answer: a message's text, or the JSON."""
    completion = Completion(json=value)
    return _raw_text(completion) if schema is not None else str(
        _chat_message(completion)["content"])


@functools.cache
def _chat_message_schema() -> dict[str, Any]:
    from synalinks_nb.data_models import ChatMessage

    return ChatMessage.get_schema()


def _data_model(value: Any, schema: dict[str, Any] | None) -> JsonDataModel:
    return JsonDataModel(schema=schema if schema is not None else _chat_message_schema(),
                         json=value)


def _request(
    model: str,
    messages: list[dict[str, Any]],
    schema: dict[str, Any] | None,
    settings: SamplingSettings,
) -> dict[str, Any]:
    return {"model": model, "messages": messages, "schema": schema,
            "settings": settings.to_dict()}


def _describe(model: str, messages: list[dict[str, Any]]) -> str:
    last = messages[-1].get("content", "") if messages else ""
    return f"model={model!r}, {len(messages)} message(s), last: {_short(str(last))!r}"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
