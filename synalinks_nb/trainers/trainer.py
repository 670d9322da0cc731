"""``Trainer``: compile / fit / evaluate / predict, mixed into ``Program``.

The trainer owns the training loop and nothing else: it sees the program only
through the Module API (``await program(x, training=...)``,
``trainable_variables``, ``inputs``) and never imports ``programs``. Rewards,
metrics and the optimizer are resolved by their registries in ``compile``;
callbacks receive typed events; the approval policy decides on every change.

Per training batch, the default ``train_step`` (samples run concurrently, each in
``sample_scope(index)``, the whole batch inside one ``trace_scope``):

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

What happens to one batch is a step method a program may override (Keras'
``train_step``; see :mod:`~synalinks_nb.trainers.step_methods`). The trainer's state
is declared in ``__init__``: ``compiled``, ``optimizer``, ``reward``, ``history``,
``stop_training``, ``stop_evaluating``, ``stop_predicting`` and ``resume_epoch`` (a
callback sets it in ``on_train_begin`` to
skip epochs already done, as ``BackupAndRestore`` does). The optimizer's run-level
hooks (``on_train_begin``, ``on_epoch_end``) come from the same event stream the
callbacks see.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, cast, overload

from synalinks_nb import events as ev
from synalinks_nb import metrics as metrics_module
from synalinks_nb import optimizers as optimizers_module
from synalinks_nb import rewards as rewards_module
from synalinks_nb.callbacks.callback import Callback, CallbackList
from synalinks_nb.callbacks.history import History
from synalinks_nb.callbacks.monitor import Monitor
from synalinks_nb.callbacks.progbar_logger import ProgbarLogger
from synalinks_nb.config import config
from synalinks_nb.errors import TrainingError
from synalinks_nb.modules.tracing import Trace
from synalinks_nb.saving.compile_config import compile_from, default_compile_config
from synalinks_nb.traces.recorder import collecting
from synalinks_nb.trainers.acceptance import Acceptance, restore_best
from synalinks_nb.trainers.approval import ApprovalPolicy
from synalinks_nb.trainers.batch_methods import BatchMethods, flatten_logs
from synalinks_nb.trainers.data_adapter import (
    batch_indices,
    check_callbacks,
    check_max_errors,
    check_non_negative_int,
    check_positive_int,
    first_steps,
    output_schema,
    program_input,
    split_validation,
    to_list,
    validation_pair,
)
from synalinks_nb.trainers.evaluation import EvaluationResult, sample_rows
from synalinks_nb.trainers.fit_options import FitOptions
from synalinks_nb.trainers.flips import Outcomes
from synalinks_nb.trainers.labels import check_labels
from synalinks_nb.trainers.optimize_step import traced
from synalinks_nb.trainers.run import (
    OptimizerHooks,
    TrainingRun,
    count_failures,
    emit_failure,
    evaluate_batches,
    keep_rewards,
    labels_of,
    run_batches,
)
from synalinks_nb.trainers.step_methods import StepMethods, mean, running
from synalinks_nb.trainers.steps import Batch, CompiledReward

_log = logging.getLogger(__name__)

__all__ = ["Trainer"]

class Trainer(StepMethods, BatchMethods):
    """Training methods of a program (Keras' ``Trainer``). See the module docstring.

    Attributes:
        compiled: whether ``compile`` was called.
        optimizer: the compiled optimizer (``None`` before ``compile``).
        reward: the first compiled reward.
        history: the :class:`History` of the last ``fit``.
        stop_training: set it to ``True`` (from a callback) to end ``fit`` after the
            current batch.
        stop_evaluating, stop_predicting: the same for ``evaluate`` (and ``fit``'s
            validation) and ``predict``: the result covers the batches done.
        resume_epoch: set it in ``on_train_begin`` (from a callback) to start ``fit``
            at this epoch; ``fit`` resets it to ``None`` when it starts.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Mixed programs call __init__ again from `build`: keep what compile set.
        if "compiled" not in self.__dict__:
            self.compiled = False
            self.optimizer: Any = None
            self.reward: Any = None
            self.history: History | None = None
            self.stop_training = False
            self.stop_evaluating = False
            self.stop_predicting = False
            self.resume_epoch: int | None = None
            self._compiled_reward: CompiledReward | None = None
            self._metrics: list[Any] = []
            self.run_eagerly, self.steps_per_execution = False, 1
        super().__init__(*args, **kwargs)

    # -- compile ------------------------------------------------------------------------

    def compile(self, reward: Any = None, optimizer: Any = None, metrics: Any = None,
                reward_weights: list[float] | None = None, run_eagerly: bool = False,
                steps_per_execution: int = 1) -> None:
        """Configure training.

        Args:
            reward: a reward, a string id (``"exact_match"``), a function, or a list of those.
            optimizer: an optimizer or a string id (``"random_few_shot"``, ``"omega"``).
            metrics: a list of metrics or string ids.
            reward_weights: one weight per reward when several are given.
            run_eagerly, steps_per_execution: Synalinks' (from Keras), kept as attributes;
                they change nothing here, as in Synalinks: every step already runs
                eagerly, one batch at a time.
        """
        check_positive_int(steps_per_execution=steps_per_execution)
        self.run_eagerly, self.steps_per_execution = bool(run_eagerly), steps_per_execution
        rewards = reward if isinstance(reward, list | tuple) else [reward]
        if reward is None:
            rewards = ["exact_match"]
        self._compiled_reward = CompiledReward([rewards_module.get(r) for r in rewards],
                                               reward_weights)
        self.reward = self._compiled_reward.rewards[0]
        self.optimizer = optimizers_module.get(optimizer) if optimizer is not None else None
        self._metrics = [metrics_module.get(m) for m in (metrics or [])]
        self.compiled = True

    def get_compile_config(self) -> dict[str, Any] | None:
        """What :meth:`compile` was given, as JSON (``None`` before ``compile``): the
        rewards, their weights, the optimizer and the metrics, each serialized."""
        return default_compile_config(self)

    def compile_from_config(self, config: dict[str, Any]) -> None:
        """:meth:`compile` with a config from :meth:`get_compile_config`."""
        compile_from(self, config, None, "compile_config")

    def _require_compiled(self, what: str, optimizer: bool = False) -> None:
        if not self.compiled:
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
                  initial_epoch: int = 0, acceptance: Any = None,
                  steps_per_epoch: int | None = None, validation_steps: int | None = None,
                  validation_batch_size: int | None = None,
                  validation_freq: int | list[int] = 1, minibatch_size: int | None = None,
                  revalidate: bool = False) -> History:
        """Train on ``x``/``y`` and return the :class:`History`. See the module docstring.

        ``approval`` is a mode string, a callable or an :class:`ApprovalPolicy`.
        ``max_errors`` bounds the failed samples over the run (``None``: no bound).
        With an optimizer that needs no prediction (``LabeledFewShot``) each epoch is one
        batch of all the training data: no call is made on it, and the optimizer sees every
        label.
        ``acceptance`` is ``"validation"`` (default), ``"batch"`` or an
        :class:`~synalinks_nb.trainers.acceptance.Acceptance`: with ``"validation"``
        a proposal that wins on its batch must also win on the validation data (or,
        without any, on a held-out slice of ``x``), and ``fit`` ends on the best state
        seen there. Each training batch goes through :meth:`train_step`.
        ``steps_per_epoch``, ``validation_steps``, ``validation_batch_size``,
        ``validation_freq`` and ``minibatch_size`` are Synalinks' (see
        :mod:`~synalinks_nb.trainers.fit_options`, which also explains ``revalidate``:
        an epoch-end validation of an unchanged program repeats the last one's logs).

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
        options = FitOptions(steps_per_epoch, validation_steps, validation_batch_size,
                             validation_freq, minibatch_size, revalidate)
        xs, ys = self._dataset(x, y)
        if ys is None and not getattr(self.optimizer, "needs_predictions", True):
            raise ValueError(f"Expected labels (y=...) for the optimizer {self.optimizer!r}, "
                             "which makes its proposals from them. Received: y=None")
        xs, ys, xv, yv = split_validation(xs, ys, validation_split)
        if not xs:
            raise ValueError("Expected at least one training sample. Received: "
                             f"{len(xs) + len(xv)} sample(s) in x, {len(xv)} of them held out "
                             f"by validation_split={validation_split}")
        if validation_data is not None:
            xv, yv = self._dataset(*validation_pair(validation_data), name="validation_data")
        xs, ys, confirmation = rule.confirmation(xs, ys, xv, yv)
        if not getattr(self.optimizer, "needs_predictions", True):
            # A label-only optimizer makes no call on the training data: one batch of all of
            # it lets it draw from every label (a first batch of 8 may miss whole classes).
            batch_size = len(xs)
        policy = approval if isinstance(approval, ApprovalPolicy) else ApprovalPolicy(approval)
        params = {"epochs": epochs, "batch_size": batch_size, "samples": len(xs),
                  "steps": min(-(-len(xs) // batch_size), steps_per_epoch or len(xs)),
                  "validation_samples": len(xv),
                  "acceptance": rule.mode,
                  "confirmation_samples": len(confirmation.x) if confirmation else 0,
                  "held_out": len(confirmation.x) if confirmation and confirmation.held_out
                  else 0}
        history, cbs = self._callback_list(callbacks, verbose, params, training=True)
        self.history, self.stop_training, self.resume_epoch = history, False, None
        run = TrainingRun(cbs, policy, max_errors, confirmation, options)
        try:
            with running(self, run):
                await run.emit(ev.TrainBegin(logs=dict(params)))
                mode, reason = await policy.start(cbs.callbacks)
                await run.emit(ev.ApprovalResolved(mode=mode, reason=reason))
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
        start = self.resume_epoch if self.resume_epoch is not None else initial_epoch
        logs: dict[str, Any] = {}
        for epoch in range(start, epochs):
            logs = await self._run_epoch(run, epoch, xs, ys, batch_size, shuffle)
            if xv and run.options.validates(epoch):
                logs.update(await self._validate(run, xv, yv, batch_size))
            await run.emit(ev.EpochEnd(epoch=epoch, logs=dict(logs)))
            if self.stop_training:
                break
        return logs

    async def _validate(self, run: TrainingRun, xv: list[Any], yv: list[Any] | None,
                        batch_size: int) -> dict[str, Any]:
        """The epoch's validation logs (``val_`` keys); when the validation data also
        confirms proposals, each sample's outcome is kept as the next proposals' "before".
        The last validation's logs when no variable changed since (no call)."""
        options = run.options
        every = list(cast(Any, self).variables)  # a non-trainable state counts too
        reused = options.reusable(every)
        if reused is not None:
            return reused
        confirmation = run.confirmation
        whole = len(xv)
        xv, yv, batch_size = options.validation_data(xv, yv, batch_size)
        if confirmation is None or confirmation.held_out or len(xv) != whole:
            val = await evaluate_batches(self, run, xv, yv, batch_size)
        else:
            found: dict[int, tuple[Any, float]] = {}
            with traced() as traces:
                val = await evaluate_batches(self, run, xv, yv, batch_size, found)
            rows = [found[i] for i in range(len(xv))]
            confirmation.remember(val["reward"], self._trained_variables(), Outcomes(
                xv, yv if yv is not None else [None] * len(xv), [r[0] for r in rows],
                [r[1] for r in rows], [traces.get(i) for i in range(len(xv))]))
        logs = {f"val_{k}": v for k, v in val.items()}
        options.remember(every, logs)
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
            check_labels(ys, output_schema(self), self.compiled_reward.rewards)
        return [program_input(v, self) for v in xs], ys

    def _trained_variables(self) -> list[Any]:
        return list(cast(Any, self).trainable_variables)

    def _callback_list(self, callbacks: list[Callback] | None, verbose: Any,
                       params: dict[str, Any], training: bool = False
                       ) -> tuple[History, CallbackList]:
        cbs = check_callbacks(callbacks)
        history = next((c for c in cbs if type(c) is History), None)
        if history is None:
            history = History()
            cbs.insert(0, history)
        if training and self.optimizer is not None:
            cbs.insert(0, OptimizerHooks(self.optimizer))
        if verbose in ("auto", 1, True, 2) and not any(isinstance(c, ProgbarLogger)
                                                        for c in cbs):
            bar = ProgbarLogger()
            bar.verbose = 2 if verbose == 2 else 1
            cbs.append(bar)
        if config.is_observability_enabled() and not any(isinstance(c, Monitor) for c in cbs):
            cbs.append(Monitor())  # Synalinks logs every run to MLflow once it is enabled
        return history, CallbackList(cbs, program=self, params=params)

    async def _run_epoch(self, run: TrainingRun, epoch: int, xs: list[Any], ys: list[Any] | None,
                         batch_size: int, shuffle: bool) -> dict[str, Any]:
        await run.emit(ev.EpochBegin(epoch=epoch))
        self.reset_metrics()
        scores: list[float] = []
        errors = 0
        logs: dict[str, Any] = {}
        batches = run.options.batches(batch_indices(len(xs), batch_size, shuffle, config.rng))
        for b, idx in enumerate(batches):
            await run.emit(ev.BatchBegin(epoch=epoch, batch=b, size=len(idx)))
            data = Batch(x=[xs[i] for i in idx], y=labels_of(ys, idx), sample_ids=idx,
                         epoch=epoch, index=b, mode="train", trace=Trace())
            run.step_errors = 0
            logs = {**await self.train_step(data), "errors": run.step_errors}
            keep_rewards(scores, data, logs)
            errors += run.step_errors
            await run.emit(ev.BatchEnd(epoch=epoch, batch=b, size=len(idx), logs=logs))
            if self.stop_training:
                break
        # Keras' epoch logs are the last batch's; the reward is the epoch's mean instead,
        # absent when no batch was scored (a label-only optimizer): never a made-up 0.
        reward = {"reward": mean(scores)} if scores else {}
        return {**logs, **reward, **self.get_metrics_result(), "errors": errors}

    # -- evaluate / predict -------------------------------------------------------------

    @overload
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = 32,
                       verbose: Any = "auto", steps: int | None = None,
                       callbacks: list[Callback] | None = None, return_dict: Literal[True] = True,
                       return_results: Literal[False] = False) -> dict[str, float]: ...
    @overload
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = 32,
                       verbose: Any = "auto", steps: int | None = None,
                       callbacks: list[Callback] | None = None, *, return_dict: Literal[False],
                       return_results: Literal[False] = False) -> Any: ...
    @overload
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = 32,
                       verbose: Any = "auto", steps: int | None = None,
                       callbacks: list[Callback] | None = None, return_dict: bool = True, *,
                       return_results: Literal[True]) -> EvaluationResult: ...
    async def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = 32,
                       verbose: Any = "auto", steps: int | None = None,
                       callbacks: list[Callback] | None = None, return_dict: bool = True,
                       return_results: bool = False) -> Any:
        """Mean reward and metrics over ``x``/``y`` (``errors`` counts failed samples),
        batch by batch through :meth:`test_step`.

        With ``return_results=True``, an :class:`~synalinks_nb.trainers.EvaluationResult`
        instead: one row per sample in input order (inputs, expected, predicted, reward,
        metrics, error, trace), the dict as its ``logs``; every program call is traced
        meanwhile, whatever the tracing settings. ``steps`` evaluates the first ``steps``
        batches only; ``return_dict=False`` returns the reward, or ``[reward, *metrics]``
        (Synalinks' and Keras' list form).
        """
        self._require_compiled("evaluate")
        batch_size = batch_size or 32
        check_positive_int(batch_size=batch_size)
        xs, ys = first_steps(*self._dataset(x, y), steps, batch_size)
        _, cbs = self._callback_list(callbacks, 0 if verbose == "auto" else verbose,
                                     {"batch_size": batch_size, "samples": len(xs)})
        if not return_results:
            logs = await evaluate_batches(self, TrainingRun(cbs), xs, ys, batch_size)
            return logs if return_dict else flatten_logs(logs)
        outcomes: dict[int, tuple[Any, float]] = {}
        with collecting() as traces:
            logs = await evaluate_batches(self, TrainingRun(cbs), xs, ys, batch_size,
                                          outcomes)
        return EvaluationResult(await sample_rows(self, xs, ys, outcomes, traces), logs)

    async def predict(self, x: Any, batch_size: int | None = 32, verbose: Any = "auto",
                      steps: int | None = None,
                      callbacks: list[Callback] | None = None) -> list[Any]:
        """Outputs aligned with ``x`` (batch by batch through :meth:`predict_step`); a
        :class:`PredictionFailure` where a sample failed. ``steps``: the first ``steps``
        batches only."""
        batch_size = batch_size or 32
        check_positive_int(batch_size=batch_size)
        xs, _ = first_steps(*self._dataset(x, labelled=False), steps, batch_size)
        _, cbs = self._callback_list(callbacks, 0 if verbose == "auto" else verbose,
                                     {"batch_size": batch_size, "samples": len(xs)})
        run = TrainingRun(cbs)
        self.stop_predicting = False
        await run.emit(ev.PredictBegin())
        outputs: list[Any] = []

        async def keep(data: Batch) -> dict[str, Any]:
            outputs.extend(await self.predict_step(data))
            return {}

        await run_batches(self, run, xs, None, batch_size, "predict", keep)
        await run.emit(ev.PredictEnd(logs={"failures": count_failures(outputs)}))
        return outputs
