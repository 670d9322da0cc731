"""The pieces of a step: the batch it receives, running samples, scoring them.

Kept apart from :mod:`~synalinks_nb.trainers.trainer` so each piece stays short
and testable. Nothing here knows about callbacks or approval.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from synalinks_nb.errors import RewardError
from synalinks_nb.language_models.streaming import quiet_streams
from synalinks_nb.language_models.usage import usage_phase
from synalinks_nb.modules.tracing import Trace, sample_scope
from synalinks_nb.rewards.feedback import Feedback
from synalinks_nb.rewards.reward import Reward, as_json

__all__ = ["Batch", "BatchRewards", "CompiledReward", "PredictionFailure", "run_samples",
           "run_windowed"]


@dataclass
class Batch:
    """One batch as the step methods receive it (Keras' ``data``: ``x, y = data`` works).

    ``fit`` gives one to ``train_step`` per training batch, ``evaluate`` (and the
    validation of ``fit``) to ``test_step``, ``predict`` to ``predict_step``.

    Attributes:
        x: the inputs of the batch's samples.
        y: their labels, one per sample (``None`` where there is none).
        sample_ids: each sample's position in the data given to the call; a training
            batch's trace records carry them, so the optimizer can pair what a module
            saw with the sample's reward.
        epoch: the epoch (``0`` outside ``fit``).
        index: the batch's number within its epoch, evaluation or prediction.
        mode: ``"train"``, ``"test"`` or ``"predict"``.
        trace: where a training forward pass records what each trainable module saw
            and answered (read by :meth:`~synalinks_nb.trainers.Trainer.apply_optimizer`);
            ``None`` outside training.
        outputs: the predictions once known. ``evaluate`` and ``predict`` fill it
            ahead of the step (their sliding window) when the steps are not
            overridden; the default ``predict_step`` returns it, or fills it.
        rewards: the per-sample rewards, once the default ``train_step`` or
            ``test_step`` computed them (``evaluate(return_results=True)`` reads them).
        traces: each sample's trace of a training forward pass, when every call is
            traced (the proposal card links the samples a change flipped to them).

    Example:
        >>> data = Batch(x=["q1", "q2"], y=["a1", None], sample_ids=[4, 7])
        >>> x, y = data
        >>> x, y, len(data), data.mode
        (['q1', 'q2'], ['a1', None], 2, 'train')
    """

    x: list[Any]
    y: list[Any]
    sample_ids: list[int]
    epoch: int = 0
    index: int = 0
    mode: Literal["train", "test", "predict"] = "train"
    trace: Trace | None = None
    outputs: list[Any] | None = None
    rewards: list[float] | None = None
    traces: list[Any] | None = None

    def __iter__(self) -> Iterator[list[Any]]:
        return iter((self.x, self.y))

    def __len__(self) -> int:
        return len(self.x)


class BatchRewards(list[float]):
    """Per-sample rewards (a list of floats), with what the rewards said about each sample.

    ``feedback[i]`` is the rewards' text for sample ``i`` (``None`` when they said
    nothing); :meth:`~synalinks_nb.trainers.Trainer.apply_optimizer` shows it to the
    optimizer beside the scores. A plain list of floats works wherever this does.

    Example:
        >>> rewards = BatchRewards([1.0, 0.0], ["right", "expected 'Paris'"])
        >>> sum(rewards) / len(rewards), rewards.feedback[1]
        (0.5, "expected 'Paris'")
    """

    def __init__(self, scores: Sequence[float] = (),
                 feedback: Sequence[str | None] | None = None) -> None:
        super().__init__(float(s) for s in scores)
        self.feedback: list[str | None] = list(feedback) if feedback is not None \
            else [None] * len(self)


@dataclass
class PredictionFailure:
    """Stands in for the output of a sample whose program call raised.

    Attributes:
        error: the exception raised.
        index: the sample's position in the inputs given.
    """

    error: BaseException
    index: int

    @property
    def message(self) -> str:
        """``"<ErrorType>: <message>"``."""
        return f"{type(self.error).__name__}: {self.error}"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"PredictionFailure(index={self.index}, error={self.message!r})"


async def run_samples(program: Any, inputs: Sequence[Any], ids: Sequence[Any],
                      training: bool) -> list[Any]:
    """Run every sample concurrently, each in its own ``sample_scope``; failures are markers.

    Streamed answers are measured but not shown (a batch's streams would bury the output).
    """

    async def one(position: int, x: Any, sample_id: Any) -> Any:
        with sample_scope(sample_id), quiet_streams():
            try:
                return await program(x, training=training)
            except Exception as exc:
                return PredictionFailure(exc, position)

    return list(await asyncio.gather(*(one(i, x, s) for i, (x, s) in
                                       enumerate(zip(inputs, ids, strict=True)))))


async def run_windowed(program: Any, inputs: Sequence[Any], batches: Sequence[Sequence[int]],
                       window: int, training: bool = False
                       ) -> AsyncGenerator[tuple[int, list[Any]], None]:
    """Yield ``(b, outputs of batch b)`` in batch order, keeping ``window`` samples in flight.

    Samples start in order, each in ``sample_scope(position)``, as soon as a slot is free:
    a slow sample holds one slot, not the whole batch, and the next batch's samples run
    while the consumer handles this one. Failures are :class:`PredictionFailure` markers
    whose ``index`` is the position in ``inputs``. Use it under ``contextlib.aclosing`` so
    leaving early (an error, a cancellation) cancels the samples still running.

    Example:

    >>> import asyncio
    >>> async def double(x, training=False):
    ...     await asyncio.sleep(0.01 * (x % 3))
    ...     return 2 * x
    >>> async def main():
    ...     return [(b, out) async for b, out in run_windowed(double, [0, 1, 2, 3, 4],
    ...                                                       [[0, 1], [2, 3], [4]], window=2)]
    >>> asyncio.run(main())
    [(0, [0, 2]), (1, [4, 6]), (2, [8])]
    """
    batch_of = {i: b for b, idx in enumerate(batches) for i in idx}
    remaining = [len(idx) for idx in batches]
    loop = asyncio.get_running_loop()
    done = [loop.create_future() for _ in batches]
    outputs: dict[int, Any] = {}
    order = iter(i for idx in batches for i in idx)

    async def worker() -> None:
        for i in order:  # shared: each free worker takes the next sample
            with sample_scope(i), quiet_streams():
                try:
                    outputs[i] = await program(inputs[i], training=training)
                except Exception as exc:
                    outputs[i] = PredictionFailure(exc, i)
            b = batch_of[i]
            remaining[b] -= 1
            if remaining[b] == 0:
                done[b].set_result(None)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(window, len(batch_of)))]

    def surface(task: asyncio.Future[None]) -> None:
        # A worker ends early only when cancelled or on a BaseException: wake the consumer
        # (it waits on the first batch not done) with it instead of leaving it waiting.
        error = None if task.cancelled() else task.exception()
        if task.cancelled() or error is not None:
            waiting = next((f for f in done if not f.done()), None)
            if waiting is None:
                return
            if error is None:
                waiting.cancel()
            else:
                waiting.set_exception(error)

    for task in workers:
        task.add_done_callback(surface)
    try:
        for b, idx in enumerate(batches):
            await done[b]
            yield b, [outputs.pop(i) for i in idx]
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)


class CompiledReward:
    """One or several rewards, combined by a weighted mean.

    Failed samples (a :class:`PredictionFailure`) score 0 and are counted as errors by
    the trainer. A reward that raises is a :class:`~synalinks_nb.errors.RewardError`
    (the original exception is its ``__cause__``): a broken reward must not pass for
    a wrong answer.
    """

    def __init__(self, rewards: list[Reward], weights: list[float] | None = None) -> None:
        if weights is not None and len(weights) != len(rewards):
            raise ValueError(f"Expected one reward weight per reward ({len(rewards)}). "
                             f"Received: reward_weights={weights!r}")
        self.rewards = rewards
        self.weights = [float(w) for w in weights] if weights else [1.0] * len(rewards)

    async def _one_reward(self, reward: Reward, ys: list[Any],
                          preds: list[Any]) -> list[Feedback]:
        try:
            return await reward.batch_with_feedback(ys, preds)
        except Exception as exc:
            raise RewardError(f"The reward {reward.name!r} raised {type(exc).__name__}: {exc}",
                              reward=reward.name) from exc

    async def scores(self, ys: Sequence[Any], preds: Sequence[Any]) -> list[float]:
        """Per-sample combined rewards (counted in the ``"reward"`` usage phase)."""
        return (await self.scored(ys, preds))[0]

    async def scored(self, ys: Sequence[Any], preds: Sequence[Any]
                     ) -> tuple[list[float], list[str | None]]:
        """Per-sample combined rewards and the rewards' feedback texts.

        A sample's feedback joins what each reward said (prefixed by the reward's
        name when there are several); a failed sample's says how the program failed.
        """
        ok = [i for i, p in enumerate(preds) if not isinstance(p, PredictionFailure)]
        out = [0.0] * len(preds)
        texts: list[str | None] = [f"the program failed: {p.message}"
                                   if isinstance(p, PredictionFailure) else None for p in preds]
        if not ok:
            return out, texts
        y_ok = [as_json(ys[i]) for i in ok]
        p_ok = [preds[i] for i in ok]
        total = sum(self.weights) or 1.0
        with usage_phase("reward"):
            per_reward = [await self._one_reward(r, y_ok, p_ok) for r in self.rewards]
        for j, i in enumerate(ok):
            out[i] = sum(w * values[j].score for w, values in zip(self.weights, per_reward,
                                                                  strict=True)) / total
            said = [(r.name, values[j].feedback) for r, values in zip(self.rewards, per_reward,
                                                                      strict=True)
                    if values[j].feedback]
            if said:
                texts[i] = said[0][1] if len(self.rewards) == 1 else \
                    "; ".join(f"{name}: {text}" for name, text in said)
        return out, texts
