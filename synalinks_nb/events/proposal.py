"""The proposal record and the decision: one shape each, from the optimizer to the screen.

A :class:`Proposal` is made by the trainer when the optimizer offers a candidate
(:mod:`~synalinks_nb.trainers.optimize_step`), filled in as it is scored on its batch and
confirmed on validation, and closed by a :class:`Decision` (:meth:`Proposal.decide`). The
same record travels, unchanged in shape, in the events (``ProposalMade``,
``ProposalScored``, ``DecisionTaken`` carry a copy), to the approval policy, into
``History.proposals`` (:meth:`Proposal.to_dict`) and to the dashboard, whose wire model is
derived from it (``notebook.protocol.Proposal.from_record``).

Epochs and batches are recorded 0-based, as Keras' callbacks count them; people read
them 1-based, and :func:`one_based` is the one place that converts.

Edits are validated once, by :meth:`Decision.edit` against the proposal's variable: the
dashboard calls it when a person edits (an invalid edit is answered at once and the
proposal stays pending), the approval policy when a rule returns an edited value.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeAlias, cast

from synalinks_nb.events.flips import Flips

__all__ = ["Decider", "Decision", "Proposal", "ProposalStatus", "one_based"]

ProposalStatus: TypeAlias = Literal["pending", "accepted", "rejected", "edited", "timeout"]
Decider: TypeAlias = Literal["human", "policy", "timeout"]


def one_based(index: int | None) -> int | None:
    """An epoch or batch as people count it (``None`` stays ``None``).

    Example:
        >>> one_based(0), one_based(None)
        (1, None)
    """
    return None if index is None else index + 1


@dataclass(frozen=True)
class Decision:
    """The outcome for a proposal.

    Attributes:
        accepted: apply the value.
        value: the value to apply when it differs from the proposal (an edit).
        decided_by: ``"human"``, ``"policy"`` or ``"timeout"``.
        reason: why; always filled for rejections.

    Example:
        >>> Decision(False, decided_by="human", reason="too long").status
        'rejected'
    """

    accepted: bool
    value: Any = None
    decided_by: str = "policy"
    reason: str = ""
    checked: bool = field(default=False, repr=False, compare=False)
    """Whether ``value`` was validated against the variable (by :meth:`edit`)."""

    @property
    def edited(self) -> bool:
        """Whether the applied value is an edit of the proposal."""
        return self.accepted and self.value is not None

    @property
    def status(self) -> ProposalStatus:
        """What becomes of the proposal: accepted, edited, rejected or timeout."""
        if self.decided_by == "timeout":
            return "timeout"
        return "edited" if self.edited else "accepted" if self.accepted else "rejected"

    @classmethod
    def edit(cls, proposal: Proposal, value: Any, decided_by: str = "human",
             reason: str = "edited") -> Decision:
        """Accept ``proposal`` with ``value`` instead, validated against its variable.

        Raises:
            InvalidVariableValueError: the value does not match the variable's schema.
        """
        if proposal.variable is not None:
            value = proposal.variable.validate(value)
        return cls(True, value, decided_by, reason, checked=proposal.variable is not None)


@dataclass
class Proposal:
    """A candidate value for one variable, and everything known about it so far.

    Attributes:
        id: unique within the process (``<run id>-<n>``).
        variable_path: the variable's path; ``module`` the module owning it.
        before, after: the current value and the proposed one (the applied one once
            edited).
        reward_before, reward_after: mean rewards on its batch, current value and candidate.
        epoch, batch: where it was made (0-based; see :func:`one_based`).
        optimizer, note, rationale: which optimizer, how it made it, why it proposes it.
        val_reward_before, val_reward_after: the same on the confirmation (validation) data,
            when confirmed; ``val_scores`` / ``val_scores_before`` per sample.
        parent_version: the variable version it was derived from.
        batch_flips, val_flips: the samples it fixed and broke on its batch and on
            validation (:class:`~synalinks_nb.events.Flips`).
        status, decided_by, reason: what became of it (``"pending"`` until decided).
        variable: the variable object (not part of the record's data).
    """

    id: str
    variable_path: str
    before: Any
    after: Any
    reward_before: float | None = None
    reward_after: float | None = None
    epoch: int | None = None
    batch: int | None = None
    optimizer: str = ""
    note: str = ""
    val_reward_before: float | None = None
    val_reward_after: float | None = None
    rationale: str = ""
    parent_version: int | None = None
    val_scores: list[float] | None = None
    val_scores_before: list[float] | None = None
    batch_flips: Flips | None = None
    val_flips: Flips | None = None
    module: str = ""
    status: ProposalStatus = "pending"
    decided_by: Decider | None = None
    reason: str = ""
    variable: Any = field(default=None, repr=False, compare=False)

    def decide(self, decision: Decision) -> None:
        """Record ``decision``: status, who decided, why, and the edited value if any."""
        self.status = decision.status
        known = decision.decided_by in ("human", "policy", "timeout")
        self.decided_by = cast(Decider, decision.decided_by) if known else None
        self.reason = decision.reason
        if decision.edited:
            self.after = decision.value

    def copy(self) -> Proposal:
        """A copy to hand out (an event keeps the state it was emitted with)."""
        return copy.copy(self)

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-friendly data (flipped samples' traces by id, no variable)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "variable":
                continue
            value = getattr(self, f.name)
            out[f.name] = value.to_dict() if isinstance(value, Flips) else value
        return out
