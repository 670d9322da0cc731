"""``train_on_batch``, ``test_on_batch`` and ``predict_on_batch``, with Synalinks' signatures.

Synalinks' ``train_on_batch(step, x, y=None, val_x=None, val_y=None,
return_dict=False)`` puts the step first; Keras' ``train_on_batch(x, y)`` does not.
Both calls work here: a first argument that is an int is Synalinks' ``step``. As in
both, ``return_dict=False`` (the default) returns the reward alone when nothing else
is measured, else ``[reward, *metrics]`` in the order of :meth:`get_metrics_result`;
``return_dict=True`` returns the logs as a dict, with ``errors`` (failed samples).
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.callbacks.callback import CallbackList
from synalinks_nb.modules.tracing import Trace
from synalinks_nb.trainers.acceptance import Confirmation
from synalinks_nb.trainers.approval import ApprovalPolicy
from synalinks_nb.trainers.run import OptimizerHooks, TrainingRun, count_failures, labels_of
from synalinks_nb.trainers.step_methods import running
from synalinks_nb.trainers.steps import Batch, run_samples

__all__ = ["BatchMethods", "flatten_logs"]


def flatten_logs(logs: dict[str, Any]) -> Any:
    """Synalinks' ``return_dict=False`` result: the reward, or ``[reward, *metrics]``.

    Example:
        >>> flatten_logs({"reward": 0.5, "errors": 0})
        0.5
        >>> flatten_logs({"reward": 0.5, "exact_match": 1.0, "errors": 0})
        [0.5, 1.0]
    """
    values = [v for k, v in logs.items() if k != "errors"]
    return values[0] if len(values) == 1 else values


class BatchMethods:
    """The single-batch methods of :class:`~synalinks_nb.trainers.Trainer` (a mixin)."""

    async def train_on_batch(self, step: Any = None, x: Any = None, y: Any = None,
                             val_x: Any = None, val_y: Any = None, return_dict: bool = False,
                             approval: Any = "auto") -> Any:
        """One :meth:`train_step` on exactly these samples (events go to no callback but
        the optimizer's own hooks).

        ``train_on_batch(step, x, y)`` (Synalinks) and ``train_on_batch(x, y)`` (Keras)
        both work. With ``val_x`` (and ``val_y``) a proposal that wins on the batch is
        confirmed on them before it is offered, as ``fit``'s validation data.
        """
        program: Any = self
        if not isinstance(step, int) or isinstance(step, bool):  # Keras' order: (x, y)
            step, x, y = 0, step, x
        program._require_compiled("train_on_batch", optimizer=True)
        xs, ys = program._dataset(x, y)
        confirmation = None
        if val_x is not None:
            xv, yv = program._dataset(val_x, val_y, name="val_x")
            confirmation = Confirmation(xv, yv, held_out=False)
        policy = approval if isinstance(approval, ApprovalPolicy) else ApprovalPolicy(approval)
        run = TrainingRun(CallbackList([OptimizerHooks(program.optimizer)], program=program),
                          policy, confirmation=confirmation)
        await policy.start([])
        program.reset_metrics()
        ids = list(range(len(xs)))
        with running(program, run):
            logs = await program.train_step(Batch(x=xs, y=labels_of(ys, ids), sample_ids=ids,
                                                  index=step, mode="train", trace=Trace()))
        logs = {**logs, "errors": run.step_errors}
        return logs if return_dict else flatten_logs(logs)

    async def test_on_batch(self, x: Any, y: Any = None, return_dict: bool = False,
                            y_pred: list[Any] | None = None) -> Any:
        """One :meth:`test_step` on exactly these samples: reward and metrics. ``y_pred``,
        when given, are the program's outputs for ``x`` already computed: not run again."""
        program: Any = self
        program._require_compiled("test_on_batch")
        xs, ys = program._dataset(x, y)
        if y_pred is not None and len(y_pred) != len(xs):
            raise ValueError(f"Expected one y_pred per sample of x ({len(xs)}). Received: "
                             f"{len(y_pred)}")
        program.reset_metrics()
        ids = list(range(len(xs)))
        data = Batch(x=xs, y=labels_of(ys, ids), sample_ids=ids, mode="test",
                     outputs=None if y_pred is None else list(y_pred))
        logs = {**await program.test_step(data), "errors": count_failures(data.outputs)}
        return logs if return_dict else flatten_logs(logs)

    async def predict_on_batch(self, x: Any, training: bool = False) -> list[Any]:
        """One :meth:`predict_step`: outputs for exactly these samples, concurrently.
        ``training=True`` runs the program in training mode (Synalinks' flag)."""
        program: Any = self
        xs, _ = program._dataset(x, labelled=False)
        ids = list(range(len(xs)))
        if training:
            return await run_samples(program, xs, ids, training=True)
        return list(await program.predict_step(Batch(x=xs, y=[None] * len(xs), sample_ids=ids,
                                                     mode="predict")))
