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
whatever the size of the validation data. The records themselves
(:class:`~synalinks_nb.events.Flips`) live with the events that carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.events.flips import MAX_FLIPS, FlippedSample, Flips
from synalinks_nb.traces.records import CallTrace, as_json

__all__ = ["MAX_FLIPS", "FlippedSample", "Flips", "Outcomes", "flips"]


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
