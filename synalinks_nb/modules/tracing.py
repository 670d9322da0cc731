"""Run-time context shared by nested module calls: training flag, sample ids, traces.

Context variables (not globals) carry three things down through nested and
concurrent calls, because ``asyncio`` copies the context into each task:

* ``training`` — set by the outermost call that states it, read by nested ones;
* the id of the sample being processed, set by the trainer per sample task,
  so a prediction made deep inside a program is attributed to the right sample
  even when samples finish out of order;
* the :class:`Trace` collecting those predictions during a training batch.
  The trainer owns the trace; modules only append to it. Optimizer
  bookkeeping therefore never lives in a variable.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PredictionRecord",
    "Trace",
    "current_sample_id",
    "current_trace",
    "sample_scope",
    "trace_scope",
    "training_flag",
]

training_flag: contextvars.ContextVar[bool] = contextvars.ContextVar("sn_training", default=False)
current_sample_id: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "sn_sample_id", default=None
)
current_trace: contextvars.ContextVar[Trace | None] = contextvars.ContextVar(
    "sn_trace", default=None
)


@dataclass
class PredictionRecord:
    """What one trainable module saw and answered for one sample."""

    module: str
    variable_path: str
    sample_id: Any
    inputs: dict[str, Any]
    outputs: dict[str, Any] | None


@dataclass
class Trace:
    """The predictions recorded during one batch, in completion order."""

    records: list[PredictionRecord] = field(default_factory=list)

    def record(self, record: PredictionRecord) -> None:
        """Append one prediction."""
        self.records.append(record)

    def for_variable(self, path: str) -> list[PredictionRecord]:
        """The predictions of the module owning variable ``path``."""
        return [r for r in self.records if r.variable_path == path]


@contextmanager
def trace_scope(trace: Trace) -> Iterator[Trace]:
    """Collect training predictions into ``trace`` inside the block."""
    token = current_trace.set(trace)
    try:
        yield trace
    finally:
        current_trace.reset(token)


@contextmanager
def sample_scope(sample_id: Any) -> Iterator[None]:
    """Mark every prediction made inside the block as belonging to ``sample_id``."""
    token = current_sample_id.set(sample_id)
    try:
        yield
    finally:
        current_sample_id.reset(token)
