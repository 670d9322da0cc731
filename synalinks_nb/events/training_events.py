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
from typing import Any, ClassVar, Self

from synalinks_nb.events.flips import Flips
from synalinks_nb.events.proposal import Decision, Proposal

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


def _blank() -> Proposal:
    return Proposal(id="", variable_path="", before=None, after=None)


@dataclass
class _ProposalEvent(Event):
    """An event about one proposal: ``proposal`` is a copy of its record at that point.

    The record's fields can also be read on the event itself (``event.variable_path``,
    ``event.reward_after``, ``event.proposal_id``...).
    """

    proposal: Proposal = field(default_factory=_blank)

    @classmethod
    def of(cls, proposal: Proposal) -> Self:
        """The event for ``proposal`` as it is now (epoch and batch taken from it)."""
        return cls(epoch=proposal.epoch, batch=proposal.batch, proposal=proposal.copy())

    def to_dict(self) -> dict[str, Any]:
        """The event as flat JSON-friendly data: its own fields and the record's."""
        record = self.proposal.to_dict()
        record["proposal_id"] = record.pop("id")
        return {"kind": self.kind, "run_id": self.run_id, "seq": self.seq,
                "logs": dict(self.logs), **record}

    @property
    def proposal_id(self) -> str:
        return self.proposal.id

    @property
    def variable_path(self) -> str:
        return self.proposal.variable_path

    @property
    def optimizer(self) -> str:
        return self.proposal.optimizer

    @property
    def before(self) -> Any:
        return self.proposal.before

    @property
    def after(self) -> Any:
        return self.proposal.after

    @property
    def reward_before(self) -> float | None:
        return self.proposal.reward_before

    @property
    def reward_after(self) -> float | None:
        return self.proposal.reward_after

    @property
    def note(self) -> str:
        return self.proposal.note

    @property
    def val_reward_before(self) -> float | None:
        return self.proposal.val_reward_before

    @property
    def val_reward_after(self) -> float | None:
        return self.proposal.val_reward_after

    @property
    def rationale(self) -> str:
        return self.proposal.rationale

    @property
    def parent_version(self) -> int | None:
        return self.proposal.parent_version

    @property
    def val_scores(self) -> list[float] | None:
        return self.proposal.val_scores

    @property
    def val_scores_before(self) -> list[float] | None:
        return self.proposal.val_scores_before

    @property
    def batch_flips(self) -> Flips | None:
        return self.proposal.batch_flips

    @property
    def val_flips(self) -> Flips | None:
        return self.proposal.val_flips


@dataclass
class ProposalMade(_ProposalEvent):
    """The optimizer proposed ``after`` for the variable (not scored yet)."""

    kind: ClassVar[str] = "proposal_made"


@dataclass
class ProposalScored(_ProposalEvent):
    """Scored on its batch (and, when confirmed, on validation); the decision comes next."""

    kind: ClassVar[str] = "proposal_scored"


@dataclass
class DecisionTaken(_ProposalEvent):
    """The proposal was accepted (``accepted``), edited (``edited``) or rejected.

    ``decision`` is the :class:`~synalinks_nb.events.Decision`; ``decided_by`` is
    ``"human"``, ``"policy"`` or ``"timeout"``; ``reason`` says why (always set for
    rejections). The record's ``after`` is the value applied (the edited one when edited)
    and its ``status`` says what became of it.
    """

    kind: ClassVar[str] = "decision_taken"
    decision: Decision = field(default_factory=lambda: Decision(False))

    @classmethod
    def decided(cls, proposal: Proposal, decision: Decision) -> DecisionTaken:
        """The event for ``proposal`` once ``decision`` was recorded on it."""
        return cls(epoch=proposal.epoch, batch=proposal.batch, proposal=proposal.copy(),
                   decision=decision)

    def to_dict(self) -> dict[str, Any]:
        """Flat data: the record, and ``accepted`` / ``edited`` / ``decided_by`` / ``reason``."""
        return {**super().to_dict(), "accepted": self.accepted, "edited": self.edited,
                "decided_by": self.decision.decided_by, "reason": self.decision.reason}

    @property
    def accepted(self) -> bool:
        return self.decision.accepted

    @property
    def edited(self) -> bool:
        return self.decision.edited

    @property
    def decided_by(self) -> str:
        return self.decision.decided_by

    @property
    def reason(self) -> str:
        return self.decision.reason


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
