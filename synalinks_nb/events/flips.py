"""The samples a proposal fixed and broke: the records proposals and their events carry.

:func:`synalinks_nb.trainers.flips.flips` makes them when a proposal is scored; the
dashboard and ``History`` read them. A sample is *fixed* when it went from wrong to
right, *broken* when it went from right to wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.traces.records import CallTrace

__all__ = ["MAX_FLIPS", "FlippedSample", "Flips", "flips_text"]

MAX_FLIPS = 20
"""Flipped samples kept per direction (fixed, broken) and per check (batch, validation)."""


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


def flips_text(proposal: Mapping[str, Any]) -> str:
    """``"fixes 3 · breaks 1 on its batch; fixes 2 · breaks 0 on validation"`` (what is known).

    Example:
        >>> flips_text({"batch_flips": {"fixed_count": 3, "broken_count": 1}, "val_flips": None})
        'fixes 3 · breaks 1 on its batch'
    """
    parts = []
    for key, where in (("batch_flips", "on its batch"), ("val_flips", "on validation")):
        flips = proposal.get(key)
        if flips:
            parts.append(f"fixes {flips['fixed_count']} · breaks {flips['broken_count']} {where}")
    return "; ".join(parts)
