"""Which samples a proposal fixes and which it breaks, on its batch and on validation.

A proposal is scored twice on the same samples: once with the current value, once
with the candidate (see :mod:`~synalinks_nb.trainers.optimize_step`). Each side is
kept as :class:`Outcomes` (the raw inputs, labels, outputs, rewards and, when
traces are on, the trace of each sample's call), and :func:`flips` lines the two up:
a sample is *fixed* when it went from wrong to right, *broken* when it went from
right to wrong, a sample being right when its reward reaches ``threshold`` (1.0, as
in :meth:`~synalinks_nb.trainers.EvaluationResult.compare`).

Only flipped samples are turned into JSON, and at most :data:`MAX_FLIPS` per
direction are kept (the counts say how many there were), so a proposal stays small
whatever the size of the validation data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.traces.records import CallTrace, as_json

__all__ = ["MAX_FLIPS", "FlippedSample", "Flips", "Outcomes", "flips"]

MAX_FLIPS = 20
"""Flipped samples kept per direction (fixed, broken) and per check (batch, validation)."""


@dataclass
class Outcomes:
    """One program state's outcome on a list of samples, in the samples' order.

    Attributes:
        inputs, expected, outputs: as given (outputs may be ``PredictionFailure``).
        rewards: the per-sample rewards.
        traces: each sample's trace when one was recorded, else ``None``.
    """

    inputs: list[Any]
    expected: list[Any]
    outputs: list[Any]
    rewards: list[float]
    traces: list[CallTrace | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.traces:
            self.traces = [None] * len(self.rewards)
        sizes = {len(self.inputs), len(self.expected), len(self.outputs), len(self.rewards),
                 len(self.traces)}
        if len(sizes) != 1:
            raise ValueError("Expected as many inputs, labels, outputs, rewards and traces. "
                             f"Received sizes {sorted(sizes)}")

    @property
    def mean(self) -> float:
        """The mean reward (0 when there are no samples)."""
        return float(sum(self.rewards) / len(self.rewards)) if self.rewards else 0.0


@dataclass(frozen=True)
class FlippedSample:
    """One sample whose verdict changed, with both outputs side by side.

    Attributes:
        index: its position in the batch or the validation data.
        inputs, expected, output_before, output_after: as JSON.
        reward_before, reward_after: its rewards with the current value and the candidate.
        trace_before, trace_after: the traces of both calls, when traces were on.
    """

    index: int
    inputs: Any
    expected: Any
    output_before: Any
    output_after: Any
    reward_before: float
    reward_after: float
    trace_before: CallTrace | None = field(default=None, repr=False, compare=False)
    trace_after: CallTrace | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The sample as plain JSON (its traces by id)."""
        return {"index": self.index, "inputs": self.inputs, "expected": self.expected,
                "output_before": self.output_before, "output_after": self.output_after,
                "reward_before": self.reward_before, "reward_after": self.reward_after,
                "trace_before": _trace_id(self.trace_before),
                "trace_after": _trace_id(self.trace_after)}


def _trace_id(trace: CallTrace | None) -> int | None:
    return None if trace is None else trace.id


@dataclass(frozen=True)
class Flips:
    """The samples a candidate fixed and broke on one set of samples.

    ``fixed`` and ``broken`` hold the first :data:`MAX_FLIPS` of each, in sample order;
    ``fixed_count`` and ``broken_count`` count them all.
    """

    fixed: tuple[FlippedSample, ...] = ()
    broken: tuple[FlippedSample, ...] = ()
    fixed_count: int = 0
    broken_count: int = 0

    @property
    def traces(self) -> list[CallTrace]:
        """Every trace the kept samples refer to."""
        return [t for s in (*self.fixed, *self.broken)
                for t in (s.trace_before, s.trace_after) if t is not None]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON: the kept samples and both counts."""
        return {"fixed": [s.to_dict() for s in self.fixed],
                "broken": [s.to_dict() for s in self.broken],
                "fixed_count": self.fixed_count, "broken_count": self.broken_count}

    def __str__(self) -> str:
        return f"fixes {self.fixed_count} · breaks {self.broken_count}"


def flips(before: Outcomes, after: Outcomes, threshold: float = 1.0,
          limit: int = MAX_FLIPS) -> Flips:
    """Line up two outcomes on the same samples and keep the ones that flipped.

    Example:
        >>> before = Outcomes(["a", "b", "c"], ["A", "B", "C"], ["A", "x", "x"], [1.0, 0.0, 0.0])
        >>> after = Outcomes(["a", "b", "c"], ["A", "B", "C"], ["x", "B", "C"], [0.0, 1.0, 1.0])
        >>> result = flips(before, after)
        >>> str(result), [s.index for s in result.fixed], result.broken[0].output_after
        ('fixes 2 · breaks 1', [1, 2], 'x')
    """
    if len(before.rewards) != len(after.rewards):
        raise ValueError("Expected both outcomes on the same samples. Received "
                         f"{len(before.rewards)} and {len(after.rewards)} sample(s)")
    fixed: list[FlippedSample] = []
    broken: list[FlippedSample] = []
    counts = {"fixed": 0, "broken": 0}
    for i, (r0, r1) in enumerate(zip(before.rewards, after.rewards, strict=True)):
        right_before, right_after = r0 >= threshold, r1 >= threshold
        if right_before == right_after:
            continue
        which = "fixed" if right_after else "broken"
        counts[which] += 1
        kept = fixed if right_after else broken
        if len(kept) < limit:
            kept.append(_flipped(i, before, after))
    return Flips(tuple(fixed), tuple(broken), counts["fixed"], counts["broken"])


def _flipped(i: int, before: Outcomes, after: Outcomes) -> FlippedSample:
    return FlippedSample(index=i, inputs=as_json(before.inputs[i]),
                         expected=as_json(before.expected[i]),
                         output_before=as_json(before.outputs[i]),
                         output_after=as_json(after.outputs[i]),
                         reward_before=float(before.rewards[i]),
                         reward_after=float(after.rewards[i]),
                         trace_before=before.traces[i], trace_after=after.traces[i])
