"""The state of one ``fit`` / ``evaluate`` / ``predict`` call: ids, events, errors, approval.

A :class:`TrainingRun` numbers the events it sends to the callbacks, counts every failure
(and stops the run on errors that retrying cannot fix, or past ``max_errors``), and keeps
the confirmation data and best state of a ``fit`` (see
:mod:`~synalinks_nb.trainers.acceptance`).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from typing import Any

from synalinks_nb import events as ev
from synalinks_nb.callbacks.callback import CallbackList
from synalinks_nb.errors import TooManyErrorsError, is_fatal
from synalinks_nb.trainers.acceptance import Confirmation
from synalinks_nb.trainers.approval import ApprovalPolicy
from synalinks_nb.trainers.steps import PredictionFailure

__all__ = ["TrainingRun", "emit_failure"]

_log = logging.getLogger(__name__)


class TrainingRun:
    """Per-call state: ids, event numbering, errors, approval, confirmation data."""

    def __init__(self, callbacks: CallbackList, policy: ApprovalPolicy | None = None,
                 max_errors: int | None = None,
                 confirmation: Confirmation | None = None) -> None:
        self.run_id = uuid.uuid4().hex[:12]
        self.callbacks = callbacks
        self.policy = policy
        self.max_errors = max_errors
        self.confirmation = confirmation
        self.errors: list[str] = []
        self.step_errors = 0
        self.human_since_best = False
        self._seq = itertools.count()
        self._proposals = itertools.count(1)

    async def emit(self, event: ev.Event) -> None:
        event.run_id, event.seq = self.run_id, next(self._seq)
        await self.callbacks.emit(event)

    def proposal_id(self) -> str:
        return f"{self.run_id}-{next(self._proposals)}"

    def add_failures(self, failures: list[PredictionFailure], where: str = "") -> None:
        """Count failed samples (or optimizer calls); stop at once on errors that retrying
        cannot fix, and when more than ``max_errors`` failed."""
        for failure in failures:
            if is_fatal(failure.error):
                raise failure.error
        prefix = f"{where}: " if where else ""
        self.errors.extend(prefix + f.message for f in failures)
        self.step_errors += len(failures)
        if self.max_errors is not None and len(self.errors) > self.max_errors:
            raise TooManyErrorsError(
                f"Expected at most max_errors={self.max_errors} failed samples. Received: "
                f"{len(self.errors)} (last: {self.errors[-1]}). The program keeps its last "
                "accepted variables.", errors=list(self.errors))

    def changed(self, program: Any, decision: Any, score: float | None) -> None:
        """A variable changed: keep the confirmation score and best state up to date."""
        if decision.decided_by == "human":
            self.human_since_best = True
        if self.confirmation is None:
            return
        if score is None:
            self.confirmation.score = None  # an edit: measured again when needed
        elif self.confirmation.remember(score, program.trainable_variables):
            self.human_since_best = decision.decided_by == "human"


async def emit_failure(run: TrainingRun, exc: BaseException) -> None:
    """Tell the callbacks why fit is ending; never hide ``exc`` behind a callback's error."""
    interrupted = isinstance(exc, KeyboardInterrupt | asyncio.CancelledError)
    try:
        await run.emit(ev.TrainFailed(error_type=type(exc).__name__, error=str(exc),
                                      interrupted=interrupted))
    except Exception:  # the original exception is what the user must see
        _log.exception("A callback failed while fit was failing")
