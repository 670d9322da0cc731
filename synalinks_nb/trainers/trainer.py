"""``Trainer``: compile / fit / evaluate / predict, mixed into ``Program``.

The trainer owns the training loop and nothing else: it sees the program only
through the Module API (``await program(x, training=...)``,
``trainable_variables``, ``inputs``) and never imports ``programs``. Rewards,
metrics and the optimizer are resolved by their registries in ``compile``;
callbacks receive typed events; the approval policy decides on every change.

Per training batch (samples run concurrently, each in ``sample_scope(index)``,
the whole batch inside one ``trace_scope``):

1. forward pass in training mode → predictions (failed samples become
   :class:`PredictionFailure`, score 0 and count towards ``max_errors``; an
   error that retrying cannot fix, such as a refused key, ends ``fit`` at once);
2. rewards per sample (``"reward"`` usage phase), metrics updated;
3. for each trainable variable, at most one update: the optimizer proposes one
   or more candidates (``"optimizer"`` phase), each is scored on the same
   minibatch where only the scoring task sees it, the batch winners are
   confirmed on the confirmation data (see
   :mod:`~synalinks_nb.trainers.acceptance`), the approval policy decides on
   the best, and the value is applied as a new version or the rejection is
   recorded. Failures while scoring count like any other.

Before the first batch the labels are checked against the program's output
schema, and at the end the best state seen on the confirmation data is
restored unless a person decided a change since.

Event order for ``fit`` (each optimizer step only when there is a proposal;
``variable_changed`` only when accepted)::

    train_begin
    approval_resolved
    per epoch:
        epoch_begin
        per batch:
            batch_begin(mode="train")
            per variable and candidate: proposal_made → proposal_scored
                          → decision_taken → variable_changed (the one accepted)
            batch_end(mode="train")
        [validation] test_begin → (batch_begin/batch_end, mode="test")… → test_end
        epoch_end
    [variable_changed: the best validation state restored]
    train_end

If an exception escapes (an error, ``KeyboardInterrupt``, cancellation), ``train_failed``
replaces ``train_end`` and the exception is raised again: the program keeps its last
accepted variables, and a dashboard shows the run as ended with the error.

``evaluate``: test_begin → test batches → test_end (``return_results=True``: one row per
sample with its trace, :mod:`~synalinks_nb.trainers.evaluation`). ``predict``:
predict_begin → predict batches → predict_end. Unlike training (where the optimizer
acts between batches), evaluation and prediction keep ``batch_size`` samples in flight
as a sliding window: a sample starts as soon as any earlier one finishes, so one slow
answer holds one slot instead of stalling its whole batch. Batches stay the unit of
reporting: their events come in order, rewards and metrics are updated batch by batch,
and a batch's ``batch_begin`` may come after some of its samples have started.

Resuming: a callback may set ``program._resume_epoch`` in ``on_train_begin``
(``BackupAndRestore`` does) to skip epochs already done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any, Literal, cast, overload

from synalinks_nb import metrics as metrics_module
from synalinks_nb import optimizers as optimizers_module
from synalinks_nb import rewards as rewards_module
from synalinks_nb.callbacks.callback import Callback, CallbackList
from synalinks_nb.callbacks.history import History
from synalinks_nb.config import config
from synalinks_nb.errors import TrainingError
from synalinks_nb.modules.tracing import Trace, trace_scope
from synalinks_nb.traces.recorder import collecting
from synalinks_nb.trainers import events as ev
from synalinks_nb.trainers.acceptance import Acceptance, Confirmation, restore_best
from synalinks_nb.trainers.approval import ApprovalPolicy
from synalinks_nb.trainers.data_adapter import (
    batch_indices,
    check_callbacks,
    check_max_errors,
    check_non_negative_int,
    check_positive_int,
    program_input,
    split_validation,
    to_list,
    validation_pair,
)
from synalinks_nb.trainers.evaluation import EvaluationResult, sample_rows
from synalinks_nb.trainers.labels import check_labels
from synalinks_nb.trainers.optimize_step import optimize_variables
from synalinks_nb.trainers.run import TrainingRun, emit_failure
from synalinks_nb.trainers.steps import (
    CompiledReward,
    PredictionFailure,
    run_samples,
    run_windowed,
)
from synalinks_nb.utils.tree import flatten

_log = logging.getLogger(__name__)

__all__ = ["Trainer"]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


class Trainer:
    """Training methods of a program (Keras' ``Trainer``). See the module docstring."""

    # -- compile ------------------------------------------------------------------------

    def compile(self, reward: Any = None, optimizer: Any = None, metrics: Any = None,
                reward_weights: list[float] | None = None) -> None:
        """Configure training.

        Args:
            reward: a reward, a string id (``"exact_match"``), a function, or a list of those.
            optimizer: an optimizer or a string id (``"random_few_shot"``, ``"omega"``).
            metrics: a list of metrics or string ids.
            reward_weights: one weight per reward when several are given.
        """
        rewards = reward if isinstance(reward, list | tuple) else [reward]
        if reward is None:
            rewards = ["exact_match"]
        self._compiled_reward = CompiledReward([rewards_module.get(r) for r in rewards],
                                               reward_weights)
        self.reward = self._compiled_reward.rewards[0]
        self.optimizer = optimizers_module.get(optimizer) if optimizer is not None else None
        self._metrics = [metrics_module.get(m) for m in (metrics or [])]
        self.compiled = True

    @property
    def metrics(self) -> list[Any]:
        """The compiled metrics."""
        return list(getattr(self, "_metrics", []))

    def _require_compiled(self, what: str, optimizer: bool = False) -> None:
        if not getattr(self, "compiled", False):
            raise TrainingError(f"Expected the program to be compiled before {what}(). "
                                "Call program.compile(reward=..., optimizer=...) first.")
        if optimizer and self.optimizer is None:
            raise TrainingError(f"Expected an optimizer for {what}(). Received: optimizer=None "
                                "in compile().")

    # -- fit -------------------------------------------------------------------------------

    async def fit(self, x: Any = None, y: Any = None, batch_size: int = 32, epochs: int = 1,
                  verbose: Any = "auto", callbacks: list[Callback] | None = None,
                  validation_split: float = 0.0, validation_data: Any = None,
                  shuffle: bool = True, approval: Any = "auto", max_errors: int | None = None,
                  initial_epoch: int = 0, acceptance: Any = None) -> History:
        """Train on ``x``/``y`` and return the :class:`History`. See the module docstring.

        ``approval`` is a mode string, a callable or an :class:`ApprovalPolicy`.
        ``max_errors`` bounds the failed samples over the run (``None``: no bound).
        ``acceptance`` is ``"validation"`` (default), ``"batch"`` or an
        :class:`~synalinks_nb.trainers.acceptance.Acceptance`: with ``"validation"``
        a proposal that wins on its batch must also win on the validation data (or,
        without any, on a held-out slice of ``x``), and ``fit`` ends on the best state
        seen there.

        Raises:
            TooManyErrorsError: more than ``max_errors`` samples failed; the
                program keeps its last accepted variables.
            AuthenticationError: (and other errors retrying cannot fix) at the first one.
            RewardError: a reward raised.
            ValueError: no training samples, or labels that do not fit the output.
        """
        self._require_compiled("fit", optimizer=True)
        check_positive_int(epochs=epochs, batch_size=batch_size)
        check_max_errors(max_errors)
        check_non_negative_int(initial_epoch=initial_epoch)
        rule = Acceptance.get(acceptance)
        xs, ys = self._dataset(x, y)
        xs, ys, xv, yv = split_validation(xs, ys, validation_split)
        if not xs:
            raise ValueError("Expected at least one training sample. Received: "
                             f"{len(xs) + len(xv)} sample(s) in x, {len(xv)} of them held out "
                             f"by validation_split={validation_split}")
        if validation_data is not None:
            xv, yv = self._dataset(*validation_pair(validation_data), name="validation_data")
        confirmation = None
        if rule.mode == "validation":
            if not xv:
                xs, ys, xc, yc = rule.split(xs, ys)
                confirmation = Confirmation(xc, yc, held_out=xc is not xs)
            else:
                confirmation = Confirmation(xv, yv, held_out=False)
        policy = approval if isinstance(approval, ApprovalPolicy) else ApprovalPolicy(approval)
        params = {"epochs": epochs, "batch_size": batch_size, "samples": len(xs),
                  "steps": -(-len(xs) // batch_size), "validation_samples": len(xv),
                  "acceptance": rule.mode,
                  "confirmation_samples": len(confirmation.x) if confirmation else 0,
                  "held_out": len(confirmation.x) if confirmation and confirmation.held_out
                  else 0}
        history, cbs = self._callback_list(callbacks, verbose, params)
        run = TrainingRun(cbs, policy, max_errors, confirmation)
        self.stop_training = False
        self._resume_epoch: int | None = None
        await run.emit(ev.TrainBegin(logs=dict(params)))
        try:
            mode, reason = await policy.start(cbs.callbacks)
            await run.emit(ev.ApprovalResolved(mode=mode, reason=reason))
            if self.optimizer is not None:
                self.optimizer.on_train_begin(self)
            logs = await self._run_epochs(run, initial_epoch, epochs, xs, ys, xv, yv,
                                          batch_size, shuffle)
            logs.update(await restore_best(run, self._trained_variables(), rule))
        except BaseException as exc:
            await emit_failure(run, exc)
            raise
        await run.emit(ev.TrainEnd(logs={**logs, "errors": len(run.errors),
                                         "stopped_early": bool(self.stop_training)}))
        return history

    async def _run_epochs(self, run: TrainingRun, initial_epoch: int, epochs: int, xs: list[Any],
                          ys: list[Any] | None, xv: list[Any], yv: list[Any] | None,
                          batch_size: int, shuffle: bool) -> dict[str, Any]:
        start = self._resume_epoch if self._resume_epoch is not None else initial_epoch
        logs: dict[str, Any] = {}
        for epoch in range(start, epochs):
            logs = await self._run_epoch(run, epoch, xs, ys, batch_size, shuffle)
            if xv:
                val = await self._evaluate_data(run, xv, yv, batch_size)
                logs.update({f"val_{k}": v for k, v in val.items()})
                confirmation = run.confirmation
                if confirmation is not None and not confirmation.held_out:
                    confirmation.remember(val["reward"], self._trained_variables())
            if self.optimizer is not None:
                self.optimizer.on_epoch_end(epoch)
            await run.emit(ev.EpochEnd(epoch=epoch, logs=dict(logs)))
            if self.stop_training:
                break
        return logs

    def _dataset(self, x: Any, y: Any = None, name: str = "x", labelled: bool = True
                 ) -> tuple[list[Any], list[Any] | None]:
        """Samples as a list; with ``labelled``, the labels are checked against the output
        schema and the rewards' needs first (a wrong label must not score 0 silently)."""
        xs = to_list(x, name) or []
        ys = to_list(y, "y")
        if ys is not None and len(ys) != len(xs):
            raise ValueError(f"Expected as many y as x. Received: {len(xs)} x and {len(ys)} y")
        if labelled:
            check_labels(ys, self._output_schema(), self.compiled_reward.rewards)
        return [program_input(v, self) for v in xs], ys

    def _output_schema(self) -> dict[str, Any] | None:
        outputs = getattr(self, "outputs", None)
        leaves = flatten(outputs) if outputs is not None else []
        if len(leaves) != 1 or not hasattr(leaves[0], "get_schema"):
            return None
        schema = leaves[0].get_schema()
        return schema if isinstance(schema, dict) else None

    def _trained_variables(self) -> list[Any]:
        return list(cast(Any, self).trainable_variables)

    @property
    def compiled_reward(self) -> CompiledReward:
        """The reward(s) given to ``compile``, combined (per-sample scores by weighted mean)."""
        self._require_compiled("scoring")
        return self._compiled_reward

    def _callback_list(self, callbacks: list[Callback] | None, verbose: Any,
                       params: dict[str, Any]) -> tuple[History, CallbackList]:
        cbs = check_callbacks(callbacks)
        history = next((c for c in cbs if type(c) is History), None)
        if history is None:
            history = History()
            cbs.insert(0, history)
        if verbose in ("auto", 1, True) and not any(type(c).__name__ == "ProgressBar"
                                                     for c in cbs):
            from synalinks_nb.callbacks.progress_bar import ProgressBar

            cbs.append(ProgressBar())
        return history, CallbackList(cbs, program=self, params=params)

    async def _run_epoch(self, run: TrainingRun, epoch: int, xs: list[Any], ys: list[Any] | None,
                         batch_size: int, shuffle: bool) -> dict[str, Any]:
        await run.emit(ev.EpochBegin(epoch=epoch))
        for m in self.metrics:
            m.reset_state()
        rewards: list[float] = []
        errors = 0
        for b, idx in enumerate(batch_indices(len(xs), batch_size, shuffle, config.rng)):
            await run.emit(ev.BatchBegin(epoch=epoch, batch=b, size=len(idx)))
            logs = await self._train_step(run, epoch, b, idx, xs, ys)
            rewards.append(logs["reward"] * len(idx))
            errors += logs["errors"]
            await run.emit(ev.BatchEnd(epoch=epoch, batch=b, size=len(idx), logs=logs))
            if self.stop_training:
                break
        return {"reward": sum(rewards) / max(1, len(xs)), **self._metric_results(),
                "errors": errors}

    async def _train_step(self, run: TrainingRun, epoch: int, batch: int, idx: list[int],
                          xs: list[Any], ys: list[Any] | None) -> dict[str, Any]:
        bx = [xs[i] for i in idx]
        by = [ys[i] for i in idx] if ys is not None else [None] * len(idx)
        trace = Trace()
        run.step_errors = 0
        with trace_scope(trace):
            preds = await run_samples(self, bx, idx, training=True)
        run.add_failures([p for p in preds if isinstance(p, PredictionFailure)])
        scores, feedback = await self._compiled_reward.scored(by, preds)
        await self._update_metrics(by, preds)
        await optimize_variables(self, run, epoch, batch, trace, idx, bx, by, scores, feedback)
        return {"reward": _mean(scores), **self._metric_results(), "errors": run.step_errors}

    async def _update_metrics(self, ys: list[Any], preds: list[Any]) -> None:
        for m in self.metrics:
            for y_true, y_pred in zip(ys, preds, strict=True):
                await m.update_state(y_true, None if isinstance(y_pred, PredictionFailure)
                                     else y_pred)

    def _metric_results(self) -> dict[str, float]:
        return metrics_module.metric_logs(self.metrics)

    # -- evaluate / predict -------------------------------------------------------------

    async def _evaluate_data(self, run: TrainingRun, xs: list[Any], ys: list[Any] | None,
                             batch_size: int,
                             outcomes: dict[int, tuple[Any, float]] | None = None
                             ) -> dict[str, Any]:
        """Mean logs over ``xs``; ``outcomes`` (when given) receives ``{index: (output,
        reward)}`` for every sample."""
        await run.emit(ev.TestBegin())
        for m in self.metrics:
            m.reset_state()
        scores: list[float] = []
        errors = 0

        async def score(idx: list[int], preds: list[Any]) -> dict[str, Any]:
            nonlocal errors
            logs = await self._score_batch([ys[i] for i in idx] if ys is not None else None,
                                           preds)
            batch_scores = logs.pop("_scores")
            scores.extend(batch_scores)
            if outcomes is not None:
                outcomes.update(zip(idx, zip(preds, batch_scores, strict=True), strict=True))
            errors += logs["errors"]
            return logs

        await self._windowed(run, xs, batch_size, "test", score)
        logs = {"reward": _mean(scores), **self._metric_results(), "errors": errors}
        await run.emit(ev.TestEnd(logs=dict(logs)))
        return logs

    async def _windowed(self, run: TrainingRun, xs: list[Any], batch_size: int, mode: str,
                        on_batch: Callable[[list[int], list[Any]],
                                           Awaitable[dict[str, Any]]]) -> None:
        """Run ``xs`` with ``batch_size`` samples in flight (a sliding window, not batch after
        batch); per batch, in order: ``batch_begin``, ``on_batch(indices, outputs)`` (its
        result is the ``batch_end`` logs), ``batch_end``. The next batch's samples may already
        be running when its ``batch_begin`` is emitted."""
        batches = batch_indices(len(xs), batch_size, False, config.rng)
        async with aclosing(run_windowed(self, xs, batches, batch_size)) as outputs:
            if batches:
                await run.emit(ev.BatchBegin(batch=0, mode=mode, size=len(batches[0])))
            async for b, preds in outputs:
                logs = await on_batch(batches[b], preds)
                await run.emit(ev.BatchEnd(batch=b, mode=mode, size=len(preds), logs=logs))
                if b + 1 < len(batches):
                    await run.emit(ev.BatchBegin(batch=b + 1, mode=mode,
                                                 size=len(batches[b + 1])))

    async def _score_batch(self, by: list[Any] | None, preds: list[Any]) -> dict[str, Any]:
        by = by if by is not None else [None] * len(preds)
        scores = await self._compiled_reward.scores(by, preds)
        await self._update_metrics(by, preds)
        return {"reward": _mean(scores), **self._metric_results(), "_scores": scores,
                "errors": sum(isinstance(p, PredictionFailure) for p in preds)}

    @overload
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int = 32,
                       verbose: Any = "auto", callbacks: list[Callback] | None = None,
                       return_results: Literal[False] = False) -> dict[str, float]: ...
    @overload
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int = 32,
                       verbose: Any = "auto", callbacks: list[Callback] | None = None, *,
                       return_results: Literal[True]) -> EvaluationResult: ...
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int = 32,
                       verbose: Any = "auto", callbacks: list[Callback] | None = None,
                       return_results: bool = False) -> dict[str, float] | EvaluationResult:
        """Mean reward and metrics over ``x``/``y`` (``errors`` counts failed samples).

        With ``return_results=True``, an :class:`~synalinks_nb.trainers.EvaluationResult`
        instead: one row per sample in input order (inputs, expected, predicted, reward,
        metrics, error, trace), the dict as its ``logs``; every program call is traced
        meanwhile, whatever the tracing settings.
        """
        self._require_compiled("evaluate")
        check_positive_int(batch_size=batch_size)
        xs, ys = self._dataset(x, y)
        _, cbs = self._callback_list(callbacks, 0 if verbose == "auto" else verbose,
                                     {"batch_size": batch_size, "samples": len(xs)})
        if not return_results:
            return await self._evaluate_data(TrainingRun(cbs), xs, ys, batch_size)
        outcomes: dict[int, tuple[Any, float]] = {}
        with collecting() as traces:
            logs = await self._evaluate_data(TrainingRun(cbs), xs, ys, batch_size, outcomes)
        return EvaluationResult(await sample_rows(self, xs, ys, outcomes, traces), logs)

    async def predict(self, x: Any, batch_size: int = 32, verbose: Any = "auto",
                      callbacks: list[Callback] | None = None) -> list[Any]:
        """Outputs aligned with ``x``; a :class:`PredictionFailure` where a sample failed."""
        check_positive_int(batch_size=batch_size)
        xs, _ = self._dataset(x, labelled=False)
        _, cbs = self._callback_list(callbacks, 0 if verbose == "auto" else verbose,
                                     {"batch_size": batch_size, "samples": len(xs)})
        run = TrainingRun(cbs)
        await run.emit(ev.PredictBegin())
        outputs: list[Any] = []

        async def keep(idx: list[int], preds: list[Any]) -> dict[str, Any]:
            outputs.extend(preds)
            return {}

        await self._windowed(run, xs, batch_size, "predict", keep)
        failures = sum(isinstance(p, PredictionFailure) for p in outputs)
        await run.emit(ev.PredictEnd(logs={"failures": failures}))
        return outputs

    # -- single batches -----------------------------------------------------------------

    async def train_on_batch(self, x: Any, y: Any = None, approval: Any = "auto"
                             ) -> dict[str, float]:
        """One training step on exactly these samples (events go to no callback)."""
        self._require_compiled("train_on_batch", optimizer=True)
        xs, ys = self._dataset(x, y)
        policy = approval if isinstance(approval, ApprovalPolicy) else ApprovalPolicy(approval)
        run = TrainingRun(CallbackList(), policy)
        await policy.start([])
        for m in self.metrics:
            m.reset_state()
        logs = await self._train_step(run, 0, 0, list(range(len(xs))), xs, ys)
        return dict(logs)

    async def test_on_batch(self, x: Any, y: Any = None) -> dict[str, float]:
        """Reward and metrics on exactly these samples."""
        self._require_compiled("test_on_batch")
        xs, ys = self._dataset(x, y)
        for m in self.metrics:
            m.reset_state()
        preds = await run_samples(self, xs, list(range(len(xs))), training=False)
        logs = await self._score_batch(ys, preds)
        logs.pop("_scores")
        return dict(logs)

    async def predict_on_batch(self, x: Any) -> list[Any]:
        """Outputs for exactly these samples, concurrently."""
        xs, _ = self._dataset(x, labelled=False)
        return await run_samples(self, xs, list(range(len(xs))), training=False)


