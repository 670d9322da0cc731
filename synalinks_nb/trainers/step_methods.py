"""The per-batch methods ``fit`` / ``evaluate`` / ``predict`` call: override them to customise.

As in Keras ("Customizing what happens in ``fit()``"), the loops own the data, the
batches, the events and the callbacks; a step owns what happens to one batch:

* ``train_step(data)`` — ``fit``, per training batch: predict (in training mode,
  traced), reward, update metrics, one optimizer step, return the batch's logs;
* ``test_step(data)`` — ``evaluate`` and ``fit``'s validation, per batch: predict,
  reward, update metrics, return the logs;
* ``predict_step(data)`` — ``predict`` (and the two steps above), per batch: the
  outputs, a :class:`~synalinks_nb.trainers.PredictionFailure` where a sample failed.

Each receives a :class:`~synalinks_nb.trainers.Batch` and is ``async``. The
building blocks a custom step combines are public too: :meth:`compute_reward`
and :meth:`compute_metrics` (Synalinks' names and signatures),
:meth:`get_metrics_result`, :meth:`reset_metrics`, and :meth:`apply_optimizer`
(the proposals, scoring, confirmation and approval of one batch, with their
events). The loops add ``errors`` (the batch's failed samples) to the logs a step
returns, so a custom step need not count them.

``evaluate`` and ``predict`` keep ``batch_size`` samples in flight across batch
boundaries (a sliding window) while the steps are the default ones; override
``test_step`` or ``predict_step`` and they call your step batch after batch.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from synalinks_nb import metrics as metrics_module
from synalinks_nb.errors import TrainingError
from synalinks_nb.modules.tracing import trace_scope
from synalinks_nb.trainers.flips import Outcomes
from synalinks_nb.trainers.label_step import optimize_from_labels
from synalinks_nb.trainers.optimize_step import optimize_variables, traced
from synalinks_nb.trainers.steps import (
    Batch,
    BatchRewards,
    CompiledReward,
    PredictionFailure,
    run_samples,
)

if TYPE_CHECKING:  # run.py imports this module
    from synalinks_nb.trainers.run import TrainingRun

__all__ = ["StepMethods", "current_run", "mean", "running"]

# The run of the fit (or train_on_batch) going on in this task, with its program. A context
# variable, not an attribute: two fits of one program at once each see their own run.
_current: contextvars.ContextVar[tuple[Any, TrainingRun] | None] = contextvars.ContextVar(
    "sn_training_run", default=None)


@contextmanager
def running(program: Any, run: TrainingRun) -> Iterator[TrainingRun]:
    """Make ``run`` the current training run of ``program`` inside the block (and the
    tasks it starts)."""
    token = _current.set((program, run))
    try:
        yield run
    finally:
        _current.reset(token)


def current_run(program: Any) -> TrainingRun | None:
    """The training run of ``program`` going on in this context, if any."""
    current = _current.get()
    return current[1] if current is not None and current[0] is program else None


def mean(values: Sequence[float]) -> float:
    """The mean, ``0.0`` for no values."""
    return sum(values) / len(values) if values else 0.0


class StepMethods:
    """The override points of :class:`~synalinks_nb.trainers.Trainer` (see the module docstring).

    Example:
        A program that lets the optimizer act on every other batch only, and logs how
        many of each batch's samples it got right:

        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> class EveryOther(sn.Program):
        ...     async def train_step(self, data):
        ...         x, y = data
        ...         y_pred = await self.predict_step(data)
        ...         rewards = await self.compute_reward(x, y, y_pred)
        ...         if data.index % 2 == 0:
        ...             await self.apply_optimizer(data, rewards)
        ...         logs = await self.compute_metrics(x, y, y_pred)
        ...         return {"reward": sum(rewards) / len(rewards),
        ...                 "right": sum(r == 1.0 for r in rewards), **logs}
        >>> async def train():
        ...     lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        ...     inputs = sn.Input(data_model=Query)
        ...     outputs = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
        ...     program = EveryOther(inputs=inputs, outputs=outputs)
        ...     program.compile(reward="exact_match", optimizer="random_few_shot")
        ...     x = [Query(query="Capital of France?")] * 4
        ...     y = [Answer(answer="Paris")] * 4
        ...     history = await program.fit(x, y, batch_size=1, verbose=0,
        ...                                 acceptance="batch", approval="accept")
        ...     return sorted({p["batch"] for p in history.proposals})
        >>> asyncio.run(train())
        [0, 2]
    """

    # Declared by Trainer.__init__.
    optimizer: Any
    _compiled_reward: CompiledReward | None
    _metrics: list[Any]

    @property
    def compiled_reward(self) -> CompiledReward:
        """The reward(s) given to ``compile``, combined (per-sample scores by weighted mean)."""
        if self._compiled_reward is None:
            raise TrainingError("Expected the program to be compiled before scoring. "
                                "Call program.compile(reward=..., optimizer=...) first.")
        return self._compiled_reward

    @property
    def metrics(self) -> list[Any]:
        """The compiled metrics."""
        return list(self._metrics)

    # -- the steps ----------------------------------------------------------------------

    async def train_step(self, data: Batch) -> dict[str, Any]:
        """One training batch: predict, reward, update metrics, one optimizer step.

        With an optimizer that needs no prediction (``needs_predictions = False``, such as
        ``LabeledFewShot``) only the optimizer step runs: nothing is predicted or rewarded.

        Returns the batch's logs (``reward``, the metrics), which ``fit`` gives to
        ``on_train_batch_end``. Override it to change what training does per batch
        (see the class example); ``fit`` calls it with ``data.mode == "train"`` and a
        fresh ``data.trace``.
        """
        if not getattr(self.optimizer, "needs_predictions", True):
            # An optimizer of labels alone (LabeledFewShot): no forward pass, no call, no
            # reward to log for the batch.
            await self.apply_optimizer(data, [])
            return self.get_metrics_result()
        x, y = data
        y_pred = await self.predict_step(data)
        rewards = await self.compute_reward(x, y, y_pred, training=True)
        data.outputs, data.rewards = list(y_pred), list(rewards)
        await self.compute_metrics(x, y, y_pred)
        await self.apply_optimizer(data, rewards)
        # After the optimizer: the usage metrics (Cost...) count its calls too.
        return {"reward": mean(rewards), **self.get_metrics_result()}

    async def test_step(self, data: Batch) -> dict[str, Any]:
        """One evaluation batch: predict, reward, update metrics; returns the logs."""
        x, y = data
        y_pred = await self.predict_step(data)
        rewards = await self.compute_reward(x, y, y_pred, training=False)
        # What was scored, for return_results (an overridden predict_step may transform).
        data.outputs, data.rewards = list(y_pred), list(rewards)
        return {"reward": mean(rewards), **await self.compute_metrics(x, y, y_pred)}

    async def predict_step(self, data: Batch) -> list[Any]:
        """The outputs of one batch's samples, run concurrently (``data.outputs`` if known).

        In training mode the samples run with ``training=True`` inside ``data.trace``,
        and failed ones count towards ``fit``'s ``max_errors`` (an error that retrying
        cannot fix, such as a refused key, ends ``fit`` at once).
        """
        if data.outputs is None:
            training = data.mode == "train"
            with (trace_scope(data.trace) if data.trace is not None else nullcontext(),
                  traced() if training else nullcontext({}) as traces):
                data.outputs = await run_samples(self, data.x, data.sample_ids,
                                                 training=training)
            if training:
                data.traces = [traces.get(i) for i in data.sample_ids]
            run = current_run(self)
            if training and run is not None:
                run.add_failures([p for p in data.outputs if isinstance(p, PredictionFailure)])
        return list(data.outputs)

    # -- building blocks ----------------------------------------------------------------

    async def compute_reward(self, x: list[Any], y: list[Any] | None, y_pred: list[Any],
                             training: bool = True) -> BatchRewards:
        """Per-sample rewards of ``y_pred`` against ``y`` (Synalinks' signature).

        The default combines the compiled rewards (counted in the ``"reward"`` usage
        phase); a failed sample scores 0. The result is a list of floats that also
        carries the rewards' feedback texts (:class:`~synalinks_nb.trainers.BatchRewards`).
        """
        labels = y if y is not None else [None] * len(y_pred)
        scores, feedback = await self.compiled_reward.scored(labels, y_pred)
        return BatchRewards(scores, feedback)

    async def compute_metrics(self, x: list[Any], y: list[Any] | None,
                              y_pred: list[Any]) -> dict[str, Any]:
        """Update every metric with the batch, then return :meth:`get_metrics_result`.

        A :class:`~synalinks_nb.metrics.BatchMetric` gets the batch's lists at once, the
        other metrics one sample at a time.
        """
        labels = y if y is not None else [None] * len(y_pred)
        for metric in self._metrics:
            if isinstance(metric, metrics_module.BatchMetric):  # pass@k: the whole batch
                await metric.update_state(list(labels), [
                    None if isinstance(p, PredictionFailure) else p for p in y_pred])
                continue
            for y_true, pred in zip(labels, y_pred, strict=True):
                await metric.update_state(y_true, None if isinstance(pred, PredictionFailure)
                                          else pred)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict[str, Any]:
        """``{metric name: result}`` for every compiled metric."""
        return metrics_module.metric_logs(self._metrics)

    def reset_metrics(self) -> None:
        """Reset every metric's state (the loops do at each epoch and evaluation)."""
        for metric in self._metrics:
            metric.reset_state()

    async def apply_optimizer(self, data: Batch, rewards: Sequence[float]) -> None:
        """One optimizer step for this training batch: each trainable variable gets at most
        one update (proposals scored, confirmed, decided by the approval policy, with
        their events). Needs the batch's ``trace``, so call it from ``train_step``.
        """
        run = current_run(self)
        if run is None or data.trace is None or self.optimizer is None:
            raise TrainingError(
                "Expected apply_optimizer() to be called from train_step, during fit() or "
                f"train_on_batch(), with an optimizer. Received: mode={data.mode!r}, "
                f"trace={'set' if data.trace is not None else None}, optimizer="
                f"{self.optimizer!r}, {'in' if run is not None else 'outside'} a training run.")
        if not getattr(self.optimizer, "needs_predictions", True):
            await optimize_from_labels(self, run, data.epoch, data.index, data.sample_ids,
                                       data.x, data.y)
            return
        if data.outputs is None:
            raise TrainingError(
                "Expected apply_optimizer() after predict_step(data), which records the "
                "batch's outputs in data.outputs. Received: data.outputs=None.")
        feedback = getattr(rewards, "feedback", None)
        outcomes = Outcomes(data.x, data.y, data.outputs, list(rewards),
                            data.traces or [None] * len(data))
        await optimize_variables(self, run, data.epoch, data.index, data.trace,
                                 data.sample_ids, outcomes, feedback)
