"""Training: the ``Trainer`` mixin and its step methods, typed events, the approval policy,
data handling."""

from __future__ import annotations

from synalinks_nb.trainers.acceptance import Acceptance
from synalinks_nb.trainers.approval import ApprovalPolicy, ApprovalTransport, Decision, Proposal
from synalinks_nb.trainers.evaluation import (
    Comparison,
    EvaluationResult,
    SampleResult,
    compare_versions,
)
from synalinks_nb.trainers.steps import Batch, BatchRewards, PredictionFailure
from synalinks_nb.trainers.trainer import Trainer

__all__ = [
    "Acceptance",
    "ApprovalPolicy",
    "ApprovalTransport",
    "Batch",
    "BatchRewards",
    "Comparison",
    "Decision",
    "EvaluationResult",
    "PredictionFailure",
    "Proposal",
    "SampleResult",
    "Trainer",
    "compare_versions",
]
