"""Recording traces: the bounded store, its settings, and the hooks modules and models call.

:class:`TraceStore` keeps the last ``capacity`` top-level calls (a ring buffer,
500 by default) for the whole process; it lives on ``sn.config.traces`` so a
test's clean config also starts with no traces. Whether a call is recorded is
decided once, when the top-level call starts:

* ``enabled`` defaults to on inside a Jupyter kernel and off elsewhere (scripts,
  test runs); ``SYNALINKS_NB_TRACES=on|off|<rate>`` or
  :meth:`TraceStore.configure` override it;
* ``sample_rate`` (0–1) records that fraction of top-level calls, drawn from the
  store's own random generator so tracing never changes a seeded training run;
* inside :func:`collecting` every call is recorded (``evaluate(...,
  return_results=True)`` links each sample to its trace that way).

The current trace and span travel in a context variable, so calls nested in a
program, and concurrent branches or samples, land in the right place.
Modules call :func:`open_span` / :func:`close_span`; language models call
:func:`record_lm_call`. When nothing is recorded, the cost per module call is a
context-variable read.
"""

from __future__ import annotations

import collections
import contextvars
import itertools
import os
import random
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from synalinks_nb.errors import ConfigError
from synalinks_nb.traces.files import TraceFileWriter
from synalinks_nb.traces.records import CallTrace, LMCall, Span, VariableUse

__all__ = [
    "DEFAULT_CAPACITY",
    "MAX_SPANS",
    "OpenSpan",
    "TraceStore",
    "close_span",
    "collecting",
    "current_span",
    "open_span",
    "record_lm_call",
]

DEFAULT_CAPACITY = 500
"""Top-level calls kept by default (the oldest are forgotten first)."""

MAX_SPANS = 256
"""Spans kept per trace; an agent looping longer counts the rest in ``dropped``."""

_SKIP = object()  # "this top-level call is not recorded": nested calls skip at once
_current: contextvars.ContextVar[Any] = contextvars.ContextVar("sn_trace_span", default=None)
_collector: contextvars.ContextVar[dict[Any, CallTrace] | None] = contextvars.ContextVar(
    "sn_trace_collector", default=None)
_ids = itertools.count(1)


def _in_kernel() -> bool:
    # Look IPython up without importing it: the core never imports the notebook stack.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def _from_env(value: str) -> tuple[bool, float]:
    text = value.strip().lower()
    if text in ("on", "1", "true"):
        return True, 1.0
    if text in ("off", "0", "false"):
        return False, 1.0
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ConfigError("Expected SYNALINKS_NB_TRACES to be 'on', 'off' or a sampling rate "
                          f"between 0 and 1. Received: {value!r}")
    return rate > 0.0, rate


class TraceStore:
    """The last calls of the process, bounded; use the shared ``sn.config.traces``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> sn.config.traces.configure(enabled=True)
        >>> lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> gen = sn.Generator(data_model=Answer, language_model=lm, name="qa")
        >>> _ = asyncio.run(gen(Answer(answer="?")))
        >>> trace = sn.config.traces.last()
        >>> trace.root, trace.spans[0].variables[0].path, trace.lm_calls[0].output
        ('qa', 'qa/instructions', {'answer': 'Paris'})
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(0)
        self._configured: tuple[bool, float] | None = None
        self.capacity = DEFAULT_CAPACITY
        self._traces: collections.deque[CallTrace] = collections.deque(maxlen=self.capacity)
        self.writer: TraceFileWriter | None = None
        """Writes every finished trace's model calls to files (``sn.record_traces()``)."""

    def record_to(self, base_dir: str | os.PathLike[str]) -> None:
        """Record every call, and append its model calls to JSON-lines files under ``base_dir``
        (see :mod:`~synalinks_nb.traces.files`)."""
        self.configure(enabled=True, sample_rate=1.0)
        self.writer = TraceFileWriter(base_dir)

    def configure(self, enabled: bool | None = None, sample_rate: float | None = None,
                  capacity: int | None = None) -> None:
        """Turn recording on or off, sample a fraction of calls, or resize the buffer.

        Args:
            enabled: record top-level calls (``None`` keeps the current choice).
            sample_rate: the fraction of top-level calls recorded, in [0, 1].
            capacity: how many top-level calls to keep (the oldest go first).
        """
        on, rate = self.settings
        if sample_rate is not None:
            if isinstance(sample_rate, bool) or not 0.0 <= float(sample_rate) <= 1.0:
                raise ConfigError("Expected sample_rate to be a number in [0, 1]. "
                                  f"Received: sample_rate={sample_rate!r}")
            rate = float(sample_rate)
        self._configured = (on if enabled is None else bool(enabled), rate)
        if capacity is not None:
            if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
                raise ConfigError(f"Expected capacity to be a positive int. "
                                  f"Received: capacity={capacity!r}")
            with self._lock:
                self.capacity = capacity
                self._traces = collections.deque(self._traces, maxlen=capacity)

    @property
    def settings(self) -> tuple[bool, float]:
        """``(enabled, sample_rate)`` in force: setters, then the environment, then defaults."""
        if self._configured is not None:
            return self._configured
        env = os.environ.get("SYNALINKS_NB_TRACES", "")
        if env.strip():
            return _from_env(env)
        return _in_kernel(), 1.0

    def should_record(self) -> bool:
        """Whether the top-level call starting now is recorded."""
        if _collector.get() is not None:
            return True
        on, rate = self.settings
        return on and (rate >= 1.0 or self._rng.random() < rate)

    def add(self, trace: CallTrace) -> None:
        """Keep ``trace``, forgetting the oldest one when full (and write it, when asked)."""
        with self._lock:
            self._traces.append(trace)
        if self.writer is not None:
            self.writer.write(trace)

    def all(self) -> list[CallTrace]:
        """The traces kept, oldest first."""
        with self._lock:
            return list(self._traces)

    def last(self) -> CallTrace | None:
        """The most recent trace, or ``None``."""
        with self._lock:
            return self._traces[-1] if self._traces else None

    def clear(self) -> None:
        """Forget every trace."""
        with self._lock:
            self._traces.clear()

    def __len__(self) -> int:
        return len(self._traces)

    def __repr__(self) -> str:
        on, rate = self.settings
        return (f"TraceStore(traces={len(self)}, capacity={self.capacity}, enabled={on}, "
                f"sample_rate={rate})")


def _store() -> TraceStore:
    from synalinks_nb.config import config  # config imports this package: resolve late

    return config.traces


@dataclass(slots=True)
class OpenSpan:
    """A span being recorded; give it back to :func:`close_span`."""

    trace: CallTrace | None
    span: Span | None
    token: contextvars.Token[Any]
    started: float
    root: bool


def current_span() -> tuple[CallTrace, Span] | None:
    """The trace and span recording calls made here, if any."""
    current = _current.get()
    return None if current is None or current is _SKIP else current


def _start_root(name: str, key: int, sample_id: Any) -> CallTrace | None:
    if not _store().should_record():
        return None
    trace = CallTrace(id=next(_ids), root=name, root_key=key, sample_id=sample_id,
                      timestamp=time.time())
    collector = _collector.get()
    if collector is not None and sample_id is not None and sample_id not in collector:
        collector[sample_id] = trace
    return trace


def open_span(module: Any, inputs: Any, sample_id: Any = None) -> OpenSpan | None:
    """Start recording a call of ``module`` (a new trace when none is open here).

    Returns ``None`` when the enclosing top-level call is not recorded.
    """
    current = _current.get()
    if current is _SKIP:
        return None
    started = time.perf_counter()
    if current is None:
        trace = _start_root(module.name, id(module), sample_id)
        if trace is None:
            return OpenSpan(None, None, _current.set(_SKIP), started, True)
        parent: Span | None = None
    else:
        trace, parent = current
    if len(trace.spans) >= MAX_SPANS:
        # Calls nested in a dropped span are dropped with it, not pinned on its parent.
        trace.dropped += 1
        return OpenSpan(None, None, _current.set(_SKIP), started, False)
    if parent is None:
        trace.started_perf = started
    span = Span(index=len(trace.spans), parent=None if parent is None else parent.index,
                depth=0 if parent is None else parent.depth + 1, module=module.name,
                kind=type(module).__name__, inputs=inputs,
                start_s=started - trace.started_perf, variables=_variable_uses(module))
    trace.spans.append(span)
    return OpenSpan(trace, span, _current.set((trace, span)), started, parent is None)


def close_span(handle: OpenSpan, outputs: Any = None, error: BaseException | None = None
               ) -> None:
    """Finish the span ``handle`` opened; a finished top-level trace joins the store."""
    _current.reset(handle.token)
    span, trace = handle.span, handle.trace
    if span is None or trace is None:
        return
    span.latency_s = time.perf_counter() - handle.started
    span.outputs = outputs
    if error is not None:
        span.error = f"{type(error).__name__}: {error}"
    if handle.root:
        _store().add(trace)


def _variable_uses(module: Any) -> list[VariableUse]:
    return [VariableUse(v.path, v.version_index, v.is_candidate)
            for v in getattr(module, "_own_variables", ())]


def record_lm_call(model: Any, call: LMCall) -> None:
    """Attach a finished language-model call to the current span (or record it alone)."""
    current = _current.get()
    if current is _SKIP:
        return
    if current is not None:
        current[1].lm_calls.append(call)
        return
    trace = _start_root(model.name, id(model), None)
    if trace is None:
        return
    trace.spans.append(Span(index=0, parent=None, depth=0, module=model.name,
                            kind=type(model).__name__,
                            inputs={"messages": call.messages}, outputs=call.output,
                            error=call.error, latency_s=call.latency_s, lm_calls=[call]))
    _store().add(trace)


@contextmanager
def collecting() -> Iterator[dict[Any, CallTrace]]:
    """Record every call made inside the block; yields ``{sample_id: trace}``.

    The first top-level call made for each sample id (the trainer sets it per
    sample) is collected; the traces also join the store as usual.
    """
    found: dict[Any, CallTrace] = {}
    token = _collector.set(found)
    try:
        yield found
    finally:
        _collector.reset(token)
