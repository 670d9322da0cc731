"""The state of one ``fit`` / ``evaluate`` / ``predict`` call: ids, events, errors, approval;
and the loops over its test and prediction batches.

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
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any, Literal

from synalinks_nb import events as ev
from synalinks_nb.callbacks.callback import Callback, CallbackList
from synalinks_nb.config import config
from synalinks_nb.errors import TooManyErrorsError, TrainingError, is_fatal
from synalinks_nb.trainers.acceptance import Confirmation
from synalinks_nb.trainers.approval import ApprovalPolicy
from synalinks_nb.trainers.data_adapter import batch_indices
from synalinks_nb.trainers.fit_options import FitOptions
from synalinks_nb.trainers.step_methods import StepMethods, mean
from synalinks_nb.trainers.steps import Batch, PredictionFailure, run_windowed

__all__ = ["OptimizerHooks", "TrainingRun", "count_failures", "emit_failure", "evaluate_batches",
           "keep_rewards", "labels_of", "run_batches"]

_log = logging.getLogger(__name__)


class TrainingRun:
    """Per-call state: ids, event numbering, errors, approval, confirmation data."""

    def __init__(self, callbacks: CallbackList, policy: ApprovalPolicy | None = None,
                 max_errors: int | None = None,
                 confirmation: Confirmation | None = None,
                 options: FitOptions | None = None) -> None:
        self.run_id = uuid.uuid4().hex[:12]
        self.callbacks = callbacks
        self.policy = policy
        self.max_errors = max_errors
        self.confirmation = confirmation
        self.options = options or FitOptions()
        # Proposals confirmed on a draw of the confirmation data (minibatch_size): their
        # score is not the program's score on all of it.
        self.partial: set[str] = set()
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


class OptimizerHooks(Callback):
    """Hands the optimizer its hooks from the event stream the callbacks see: the run's
    start, each decision on a proposal (with the variable it concerns), each epoch's end.

    ``fit`` (and ``train_on_batch``) put it first in the callback list, so the optimizer
    has learnt of a decision before any callback sees it, and of an epoch's end before
    any callback saves its state (``BackupAndRestore``).
    """

    def __init__(self, optimizer: Any) -> None:
        super().__init__()
        self.optimizer = optimizer

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.optimizer.on_train_begin(self.program)

    def on_decision(self, event: ev.DecisionTaken) -> None:
        path = event.proposal.variable_path
        variable = next((v for v in self.program.trainable_variables if v.path == path), None)
        if variable is None:
            raise TrainingError(f"Expected the decided proposal's variable {path!r} among the "
                                "program's trainable variables. Received: no such variable.")
        self.optimizer.on_decision(variable, event.proposal, event.decision)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.optimizer.on_epoch_end(epoch)


async def emit_failure(run: TrainingRun, exc: BaseException) -> None:
    """Tell the callbacks why fit is ending; never hide ``exc`` behind a callback's error."""
    interrupted = isinstance(exc, KeyboardInterrupt | asyncio.CancelledError)
    try:
        await run.emit(ev.TrainFailed(error_type=type(exc).__name__, error=str(exc),
                                      interrupted=interrupted))
    except Exception:  # the original exception is what the user must see
        _log.exception("A callback failed while fit was failing")


def labels_of(ys: list[Any] | None, idx: list[int]) -> list[Any]:
    """The labels of samples ``idx`` (``None`` for each when there are none)."""
    return [ys[i] for i in idx] if ys is not None else [None] * len(idx)


def _windowed(program: Any, mode: str) -> bool:
    """Whether the sliding window may run the samples: only for the default steps, whose
    outputs it computes ahead (an override must see every call it makes)."""
    cls = type(program)
    if getattr(cls, "predict_step", None) is not StepMethods.predict_step:
        return False
    return mode == "predict" or getattr(cls, "test_step", None) is StepMethods.test_step


async def run_batches(program: Any, run: TrainingRun, xs: list[Any], ys: list[Any] | None,
                      batch_size: int, mode: Literal["test", "predict"],
                      step: Callable[[Batch], Awaitable[dict[str, Any]]]) -> None:
    """Per batch, in order: ``batch_begin``, ``step(data)`` (its result is the
    ``batch_end`` logs), ``batch_end``; until the batches run out or a callback sets
    ``program.stop_evaluating`` (``stop_predicting``). With the default steps,
    ``batch_size`` samples stay in flight across batches (:func:`run_windowed`), so the
    next batch's samples may already be running when its ``batch_begin`` is emitted."""
    batches = batch_indices(len(xs), batch_size, False, config.rng)
    flag = "stop_evaluating" if mode == "test" else "stop_predicting"

    def batch(b: int, outputs: list[Any] | None) -> Batch:
        idx = batches[b]
        return Batch(x=[xs[i] for i in idx], y=labels_of(ys, idx), sample_ids=idx, index=b,
                     mode=mode, outputs=outputs)

    if not _windowed(program, mode):
        for b, idx in enumerate(batches):
            await run.emit(ev.BatchBegin(batch=b, mode=mode, size=len(idx)))
            logs = await step(batch(b, None))
            await run.emit(ev.BatchEnd(batch=b, mode=mode, size=len(idx), logs=logs))
            if getattr(program, flag, False):
                return
        return
    async with aclosing(run_windowed(program, xs, batches, batch_size)) as outputs:
        if batches:
            await run.emit(ev.BatchBegin(batch=0, mode=mode, size=len(batches[0])))
        async for b, preds in outputs:
            logs = await step(batch(b, preds))
            await run.emit(ev.BatchEnd(batch=b, mode=mode, size=len(preds), logs=logs))
            if getattr(program, flag, False):
                return  # leaving the block cancels the samples still running
            if b + 1 < len(batches):
                await run.emit(ev.BatchBegin(batch=b + 1, mode=mode, size=len(batches[b + 1])))


def count_failures(outputs: list[Any] | None) -> int:
    """How many of ``outputs`` are failures."""
    return sum(isinstance(p, PredictionFailure) for p in outputs or [])


def keep_rewards(scores: list[float], data: Batch, logs: dict[str, Any]) -> None:
    """Collect the batch's per-sample rewards for the mean over the epoch or evaluation (a
    custom step that leaves ``data.rewards`` unset counts with its logged batch mean)."""
    if data.rewards is not None:
        scores.extend(data.rewards)
    elif "reward" in logs:
        scores.extend([float(logs["reward"])] * len(data))


async def evaluate_batches(program: Any, run: TrainingRun, xs: list[Any], ys: list[Any] | None,
                           batch_size: int,
                           outcomes: dict[int, tuple[Any, float]] | None = None
                           ) -> dict[str, Any]:
    """Mean logs over ``xs``, batch by batch through ``program.test_step``; ``outcomes``
    (when given) receives ``{index: (output, reward)}`` for every sample."""
    program.stop_evaluating = False
    await run.emit(ev.TestBegin())
    program.reset_metrics()
    scores: list[float] = []
    errors = 0
    last: dict[str, Any] = {}

    async def step(data: Batch) -> dict[str, Any]:
        nonlocal errors, last
        logs = last = {**await program.test_step(data), "errors": count_failures(data.outputs)}
        keep_rewards(scores, data, logs)
        errors += logs["errors"]
        if outcomes is not None:
            if data.outputs is None or data.rewards is None:
                raise TrainingError(
                    "Expected test_step to record the batch's outputs and per-sample "
                    "rewards (data.outputs, data.rewards) for return_results=True. "
                    "Received: an override that left them unset; call "
                    "self.predict_step(data) and set data.rewards, or super().test_step.")
            outcomes.update(zip(data.sample_ids, zip(data.outputs, data.rewards,
                                                     strict=True), strict=True))
        return logs

    await run_batches(program, run, xs, ys, batch_size, "test", step)
    # As for an epoch: the last batch's logs, with the mean reward over every sample.
    logs = {**last, "reward": mean(scores), **program.get_metrics_result(), "errors": errors}
    await run.emit(ev.TestEnd(logs=dict(logs)))
    return logs

