"""Typed training events and the records they carry, below ``callbacks`` and ``trainers``.

The trainer emits the events (:mod:`~synalinks_nb.events.training_events`), the
callbacks receive them; both packages import this one and neither imports the other's
internals for it. The proposal record and the decision
(:mod:`~synalinks_nb.events.proposal`) travel in them unchanged; ``Flips``
(:mod:`~synalinks_nb.events.flips`) are the samples a proposal fixed and broke.
"""

from __future__ import annotations

from synalinks_nb.events.flips import MAX_FLIPS, FlippedSample, Flips, flips_text
from synalinks_nb.events.proposal import (
    Decider,
    Decision,
    Proposal,
    ProposalStatus,
    one_based,
)
from synalinks_nb.events.training_events import (
    ApprovalResolved,
    BatchBegin,
    BatchEnd,
    DecisionTaken,
    EpochBegin,
    EpochEnd,
    Event,
    PredictBegin,
    PredictEnd,
    ProposalMade,
    ProposalScored,
    TestBegin,
    TestEnd,
    TrainBegin,
    TrainEnd,
    TrainFailed,
    VariableChanged,
)

__all__ = [
    "MAX_FLIPS",
    "ApprovalResolved",
    "BatchBegin",
    "BatchEnd",
    "Decider",
    "Decision",
    "DecisionTaken",
    "EpochBegin",
    "EpochEnd",
    "Event",
    "FlippedSample",
    "Flips",
    "PredictBegin",
    "PredictEnd",
    "Proposal",
    "ProposalMade",
    "ProposalScored",
    "ProposalStatus",
    "TestBegin",
    "TestEnd",
    "TrainBegin",
    "TrainEnd",
    "TrainFailed",
    "VariableChanged",
    "flips_text",
    "one_based",
]
