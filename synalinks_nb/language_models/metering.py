"""What each language-model call cost and did: usage per phase, recent calls, traces.

:class:`UsageMeter` is mixed into
:class:`~synalinks_nb.language_models.base.BaseLanguageModel`, which asks it to
mark a request in flight, then to record the finished request: a
:class:`~synalinks_nb.language_models.usage.CallUsage` counted in the current
phase's :class:`~synalinks_nb.language_models.usage.Usage` and kept in
``lm.history``, a debug log line, and an
:class:`~synalinks_nb.traces.records.LMCall` joined to the trace being recorded.
It is kept apart from the request pipeline because it only observes: nothing here
changes an answer. Its base, :class:`UsageCounter` (usage per phase and the time
requests were in flight, no history), also counts
:class:`~synalinks_nb.language_models.embedding_model.EmbeddingModel` calls.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from typing import Any

from synalinks_nb.language_models.completion import Tally
from synalinks_nb.language_models.usage import (
    BusyClock,
    CallUsage,
    Usage,
    UsageReport,
    current_phase,
)
from synalinks_nb.traces.recorder import record_lm_call
from synalinks_nb.traces.records import LMCall

__all__ = ["UsageCounter", "UsageMeter"]

# The logger's name predates this module: ``sn.enable_logging("debug")`` users filter on it.
_log = logging.getLogger("synalinks_nb.language_models.base")

_HISTORY_SIZE = 1000


class UsageCounter:
    """Counts a model's calls per phase, and the time its requests were in flight.

    The class mixing it in calls :meth:`_init_usage` in its constructor,
    :meth:`_start_busy` when a request starts, then :meth:`_count` with the
    finished request's :class:`~synalinks_nb.language_models.usage.CallUsage`, or
    :meth:`_stop_busy` when it was cancelled.
    """

    def _init_usage(self) -> None:
        self._usage: dict[str, Usage] = {}
        self._usage_lock = threading.Lock()
        self._busy = BusyClock()

    def _start_busy(self) -> None:
        with self._usage_lock:
            self._busy.start(current_phase())

    def _stop_busy(self) -> None:
        """A cancelled request: not counted as a call, but no longer in flight."""
        with self._usage_lock:
            phase = current_phase()
            self._usage.setdefault(phase, Usage()).busy_s += self._busy.stop(phase)

    def _count(self, call: CallUsage) -> None:
        with self._usage_lock:
            usage = self._usage.setdefault(call.phase, Usage())
            usage.count(call)
            usage.busy_s += self._busy.stop(call.phase)
            self._keep(call)

    def _keep(self, call: CallUsage) -> None:
        """Keep ``call`` beyond its count; called under the lock. Nothing by default."""

    @property
    def usage(self) -> UsageReport:
        """Usage per phase (``lm.usage["inference"]``) and in total (``lm.usage.total``)."""
        with self._usage_lock:
            return UsageReport(self._usage)


class UsageMeter(UsageCounter):
    """Counts a language model's calls per phase and keeps the last ones in ``history``.

    The class mixing it in sets ``model`` and calls :meth:`_init_usage` in its
    constructor.
    """

    model: str
    history: collections.deque[CallUsage]

    def _init_usage(self) -> None:
        super()._init_usage()
        self.history = collections.deque(maxlen=_HISTORY_SIZE)

    def _keep(self, call: CallUsage) -> None:
        self.history.append(call)

    def _record(self, tally: Tally, started: float, *, cached: bool, error: str | None
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
        self._count(call)
        if _log.isEnabledFor(logging.DEBUG):
            _log.debug("%s call to %s: %d prompt + %d completion tokens, %.3f s, cached=%s%s",
                       call.phase, call.model, call.prompt_tokens, call.completion_tokens,
                       call.latency_s, cached, f", error={error}" if error else "")
        return call

    def _trace(self, call: CallUsage, tally: Tally, messages: list[dict[str, Any]],
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

    def reset_usage(self) -> None:
        """Forget the usage counted so far."""
        with self._usage_lock:
            self._usage.clear()
            self.history.clear()
