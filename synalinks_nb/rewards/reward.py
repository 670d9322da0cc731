"""``Reward``: how good a prediction is, as a float in [0, 1] (higher is better).

A reward compares a ground truth with a prediction, one sample at a time:
``await reward(y_true, y_pred)``. Both sides may be data models, JSON data
models, plain dicts or ``None`` (a branch that did not run, a failed sample);
:meth:`Reward.__call__` turns them into JSON, applies ``in_mask``/``out_mask``
to both, and calls :meth:`Reward.call`. ``await reward.batch(y_trues, y_preds)``
scores a list concurrently and :func:`reduce_rewards` aggregates per the
reward's ``reduction`` (``"mean"``, ``"sum"`` or ``"none"``).

Rewards that call a language model (judges) are counted in the ``"reward"``
usage phase by the trainer.

Subclass contract: implement ``async call(self, y_true, y_pred)`` on JSON dicts
(either may be ``None``), returning a float or, to tell a reflective optimizer
why, a :class:`~synalinks_nb.rewards.feedback.Feedback` (or ``(score, text)``);
and ``get_config`` for extra arguments. ``await reward(...)`` always returns
the float; ``await reward.evaluate(...)`` and ``reward.batch_with_feedback``
return :class:`~synalinks_nb.rewards.feedback.Feedback` values.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from synalinks_nb.data_models.json_ops import in_mask_json, out_mask_json
from synalinks_nb.ops.operation import snake_case
from synalinks_nb.rewards.feedback import Feedback, to_feedback

__all__ = ["REDUCTIONS", "Reward", "as_json", "reduce_rewards"]

REDUCTIONS = ("mean", "sum", "none")


def as_json(x: Any) -> dict[str, Any] | None:
    """``x`` as a JSON dict (data models, JSON data models, dicts), or ``None``."""
    if x is None:
        return None
    if hasattr(x, "get_json"):
        value = x.get_json()
        return dict(value) if isinstance(value, dict) else {"value": value}
    if isinstance(x, dict):
        return dict(x)
    raise TypeError(
        f"Expected a data model, a dict or None as reward input. Received: {type(x).__name__}"
    )


def reduce_rewards(values: Sequence[float], reduction: str = "mean") -> float | list[float]:
    """Aggregate per-sample rewards (``"mean"`` of nothing is 0.0).

    Example:
        >>> reduce_rewards([1.0, 0.0, 0.5])
        0.5
        >>> reduce_rewards([1.0, 0.0], "none")
        [1.0, 0.0]
    """
    if reduction not in REDUCTIONS:
        raise ValueError(f"Expected reduction in {REDUCTIONS}. Received: reduction={reduction!r}")
    if reduction == "none":
        return [float(v) for v in values]
    total = float(sum(values))
    if reduction == "sum":
        return total
    return total / len(values) if values else 0.0


def apply_masks(value: dict[str, Any] | None, in_mask: list[str] | None,
                out_mask: list[str] | None, in_pattern: str | None = None,
                out_pattern: str | None = None) -> dict[str, Any] | None:
    """``value`` with only the fields ``in_mask``/``in_pattern`` name, then without those
    ``out_mask``/``out_pattern`` name (a name or a pattern suffices, as in Synalinks).

    Example:
        >>> apply_masks({"answer": "a", "answer_1": "b", "thinking": "t"}, None, None,
        ...             in_pattern=r"answer.*")
        {'answer': 'a', 'answer_1': 'b'}
    """
    if value is None:
        return None
    if in_mask or in_pattern:
        value = in_mask_json(value, mask=in_mask, pattern=in_pattern)
    if out_mask or out_pattern:
        value = out_mask_json(value, mask=out_mask, pattern=out_pattern)
    return value


def mask_patterns(obj: Any) -> dict[str, str]:
    """The mask patterns of a reward or metric, for its config (none when unset)."""
    return {key: getattr(obj, key) for key in ("in_mask_pattern", "out_mask_pattern")
            if getattr(obj, key, None)}


class Reward:
    """Base class of rewards.

    Args:
        name: display name (default: the class name in snake case).
        reduction: how :meth:`reduce` aggregates a batch.
        in_mask: keep only these fields of both sides before comparing.
        out_mask: drop these fields of both sides before comparing.
        in_mask_pattern, out_mask_pattern: a regular expression of field names to keep or
            drop as well (Synalinks'; combined with the masks by OR).

    Example:
        A reward that checks the answer's length:

        >>> import asyncio
        >>> class ShortAnswer(Reward):
        ...     async def call(self, y_true, y_pred):
        ...         return 1.0 if y_pred and len(y_pred["answer"]) < 10 else 0.0
        >>> asyncio.run(ShortAnswer()(None, {"answer": "Paris"}))
        1.0
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: str = "mean",
        in_mask: list[str] | None = None,
        out_mask: list[str] | None = None,
        in_mask_pattern: str | None = None,
        out_mask_pattern: str | None = None,
    ) -> None:
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"Expected reduction in {REDUCTIONS}. Received: reduction={reduction!r}"
            )
        self.name = name or snake_case(type(self).__name__)
        self.reduction = reduction
        self.in_mask = list(in_mask) if in_mask else None
        self.out_mask = list(out_mask) if out_mask else None
        self.in_mask_pattern = in_mask_pattern
        self.out_mask_pattern = out_mask_pattern

    def _mask(self, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return apply_masks(value, self.in_mask, self.out_mask, self.in_mask_pattern,
                           self.out_mask_pattern)

    async def __call__(self, y_true: Any, y_pred: Any) -> float:
        """The reward of one prediction, in [0, 1] for the built-ins."""
        return (await self.evaluate(y_true, y_pred)).score

    async def evaluate(self, y_true: Any, y_pred: Any) -> Feedback:
        """The reward of one prediction with the reward's feedback text (if it gives one).

        Example:
            >>> import asyncio
            >>> from synalinks_nb.rewards import ExactMatch
            >>> asyncio.run(ExactMatch().evaluate({"a": "4"}, {"a": "5"}))
            Feedback(score=0.0, feedback='expected {"a": "4"}, got {"a": "5"}')
        """
        value = await self.call(self._mask(as_json(y_true)), self._mask(as_json(y_pred)))
        return to_feedback(value)

    async def call(self, y_true: dict[str, Any] | None,
                   y_pred: dict[str, Any] | None) -> float | Feedback:
        """Score one masked prediction. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `async call`.")

    #: The reward compares with a label: ``fit``/``evaluate`` refuse to run it without ``y``
    #: (it would score every sample 0 and say nothing).
    requires_labels: bool = False

    #: Score a batch's samples concurrently (a task per sample). Rewards that never wait
    #: on I/O set it False and are scored one after the other, without the tasks.
    concurrent: bool = True

    async def batch(self, y_trues: Sequence[Any], y_preds: Sequence[Any]) -> list[float]:
        """Per-sample rewards of a batch, computed concurrently when ``concurrent``."""
        return [f.score for f in await self.batch_with_feedback(y_trues, y_preds)]

    async def batch_with_feedback(self, y_trues: Sequence[Any],
                                  y_preds: Sequence[Any]) -> list[Feedback]:
        """Per-sample :class:`~synalinks_nb.rewards.feedback.Feedback` of a batch.

        A subclass that overrides only :meth:`batch` (the older contract) is
        honoured: its scores come back without feedback.
        """
        if type(self).batch is not Reward.batch:
            return [Feedback(float(v)) for v in await self.batch(y_trues, y_preds)]
        pairs = zip(y_trues, y_preds, strict=True)
        if not self.concurrent:
            return [await self.evaluate(t, p) for t, p in pairs]
        return list(await asyncio.gather(*(self.evaluate(t, p) for t, p in pairs)))

    def reduce(self, values: Sequence[float]) -> float | list[float]:
        """Aggregate per-sample values with this reward's ``reduction``."""
        return reduce_rewards(values, self.reduction)

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments as JSON."""
        return {"name": self.name, "reduction": self.reduction, "in_mask": self.in_mask,
                "out_mask": self.out_mask, **mask_patterns(self)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Reward:
        """Rebuild from :meth:`get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"



RewardFn = Callable[..., Any]
