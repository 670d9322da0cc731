"""Typed training events, in the order the trainer emits them.

Every event carries ``run_id`` (one per ``fit``/``evaluate``/``predict`` call),
a sequence number ``seq`` (strictly increasing within a run), ``epoch`` and
``batch`` where they apply, and ``logs``. Optimizer events also carry the
proposal id, the variable path, the values before and after, the rewards, and
the samples the proposal fixed and broke (``batch_flips``, ``val_flips``).

Callbacks receive each event twice over, by design: ``on_event(event)`` (what
the dashboard and loggers use) and the Keras-named method the event maps to
(``on_epoch_end(epoch, logs)``, ``on_proposal_scored(event)``...). See
:mod:`synalinks_nb.callbacks.callback`.

They sit below both ``callbacks`` (which deliver them) and ``trainers`` (which emit them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from synalinks_nb.events.flips import Flips

__all__ = [
    "ApprovalResolved",
    "BatchBegin",
    "BatchEnd",
    "DecisionTaken",
    "EpochBegin",
    "EpochEnd",
    "Event",
    "PredictBegin",
    "PredictEnd",
    "ProposalMade",
    "ProposalScored",
    "TestBegin",
    "TestEnd",
    "TrainBegin",
    "TrainEnd",
    "TrainFailed",
    "VariableChanged",
]


@dataclass
class Event:
    """Base of every event. ``kind`` names it (``"epoch_end"``...)."""

    kind: ClassVar[str] = "event"
    run_id: str = ""
    seq: int = 0
    epoch: int | None = None
    batch: int | None = None
    logs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-friendly data (with its ``kind``; flipped samples' traces by id)."""
        return {"kind": self.kind, **{f.name: _plain(getattr(self, f.name))
                                      for f in fields(self)}}


def _plain(value: Any) -> Any:
    if isinstance(value, Flips):
        return value.to_dict()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass
class TrainBegin(Event):
    """``fit`` started. ``logs`` holds the run parameters."""

    kind: ClassVar[str] = "train_begin"


@dataclass
class ApprovalResolved(Event):
    """The approval mode in effect for this run, and why (fallbacks are explained)."""

    kind: ClassVar[str] = "approval_resolved"
    mode: str = ""
    reason: str = ""


@dataclass
class TrainEnd(Event):
    """``fit`` finished (or stopped early: ``logs["stopped_early"]``)."""

    kind: ClassVar[str] = "train_end"


@dataclass
class TrainFailed(Event):
    """``fit`` is ending with an exception (an error, ``KeyboardInterrupt``, a cancelled
    task); it is raised again after this event. ``train_end`` does not follow, so
    callbacks that clean up only after a successful run (``BackupAndRestore``) keep
    their state for the next attempt.

    ``error_type`` is the exception's class name, ``error`` its message, and
    ``interrupted`` says whether the user stopped it (``KeyboardInterrupt`` or
    cancellation) rather than a failure.
    """

    kind: ClassVar[str] = "train_failed"
    error_type: str = ""
    error: str = ""
    interrupted: bool = False


@dataclass
class EpochBegin(Event):
    """An epoch starts."""

    kind: ClassVar[str] = "epoch_begin"


@dataclass
class EpochEnd(Event):
    """An epoch ended; ``logs`` has training means and ``val_`` values."""

    kind: ClassVar[str] = "epoch_end"


@dataclass
class BatchBegin(Event):
    """A batch starts. ``mode`` is ``"train"``, ``"test"`` or ``"predict"``."""

    kind: ClassVar[str] = "batch_begin"
    mode: str = "train"
    size: int = 0


@dataclass
class BatchEnd(Event):
    """A batch ended; ``logs`` has its reward, metrics and error count."""

    kind: ClassVar[str] = "batch_end"
    mode: str = "train"
    size: int = 0


@dataclass
class TestBegin(Event):
    """Evaluation (validation or ``evaluate``) starts."""

    kind: ClassVar[str] = "test_begin"


@dataclass
class TestEnd(Event):
    """Evaluation ended; ``logs`` has reward and metrics."""

    kind: ClassVar[str] = "test_end"


@dataclass
class PredictBegin(Event):
    """``predict`` starts."""

    kind: ClassVar[str] = "predict_begin"


@dataclass
class PredictEnd(Event):
    """``predict`` ended; ``logs["failures"]`` counts failed samples."""

    kind: ClassVar[str] = "predict_end"


@dataclass
class _ProposalEvent(Event):
    proposal_id: str = ""
    variable_path: str = ""
    optimizer: str = ""
    before: Any = None
    after: Any = None
    reward_before: float | None = None
    reward_after: float | None = None
    note: str = ""
    val_reward_before: float | None = None
    val_reward_after: float | None = None
    rationale: str = ""
    parent_version: int | None = None
    val_scores: list[float] | None = None
    val_scores_before: list[float] | None = None
    batch_flips: Flips | None = None
    val_flips: Flips | None = None


@dataclass
class ProposalMade(_ProposalEvent):
    """The optimizer proposed ``after`` for the variable (not scored yet)."""

    kind: ClassVar[str] = "proposal_made"


@dataclass
class ProposalScored(_ProposalEvent):
    """Both values were scored on the same minibatch; the decision comes next."""

    kind: ClassVar[str] = "proposal_scored"


@dataclass
class DecisionTaken(_ProposalEvent):
    """The proposal was accepted (``accepted``), edited (``edited``) or rejected.

    ``decided_by`` is ``"human"``, ``"policy"`` or ``"timeout"``; ``reason``
    says why (always set for rejections). ``after`` is the value applied
    (the edited one when edited).
    """

    kind: ClassVar[str] = "decision_taken"
    accepted: bool = False
    edited: bool = False
    decided_by: str = "policy"
    reason: str = ""


@dataclass
class VariableChanged(Event):
    """A variable got a new version through training."""

    kind: ClassVar[str] = "variable_changed"
    proposal_id: str = ""
    variable_path: str = ""
    before: Any = None
    after: Any = None
    version: int = 0
    source: str = ""
    decided_by: str | None = None
    reward_before: float | None = None
    reward_after: float | None = None
    val_reward_before: float | None = None
    val_reward_after: float | None = None
