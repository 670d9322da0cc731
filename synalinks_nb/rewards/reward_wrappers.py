"""Rewards from plain functions: one sample at a time, or the whole batch at once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, Self

from synalinks_nb.rewards.feedback import Feedback, to_feedback
from synalinks_nb.rewards.reward import Reward, as_json
from synalinks_nb.utils.registry import (
    get_registered_function,
    get_registered_name,
    register_builtin,
)

__all__ = ["BatchReward", "BatchRewardFunctionWrapper", "JsonView", "RewardFunctionWrapper"]


class JsonView(dict[str, Any]):
    """A JSON dict that also answers ``get_json()``, so Synalinks-style functions work."""

    def get_json(self) -> dict[str, Any]:
        """The JSON value (a plain dict copy)."""
        return dict(self)


def _view(value: dict[str, Any] | None) -> JsonView | None:
    return None if value is None else JsonView(value)


async def _resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class _FunctionReward(Reward):
    """A reward that calls a plain function ``fn``, saved by the function's registered name."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None,
                 reduction: str = "mean", in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        if not callable(fn):
            raise TypeError(f"Expected fn to be callable. Received: fn={fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.fn = fn

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        config = dict(config)
        return cls(get_registered_function(str(config.pop("fn")), "reward"), **config)


@register_builtin
class RewardFunctionWrapper(_FunctionReward):
    """Make a reward of ``fn(y_true, y_pred, **kwargs) -> float`` (sync or async).

    ``y_true``/``y_pred`` arrive as dicts that also have ``get_json()``. ``fn``
    may also return ``(score, "feedback")``, a ``{"score", "feedback"}`` dict or
    a :class:`~synalinks_nb.rewards.feedback.Feedback`.

    Example:
        >>> import asyncio
        >>> def contains(y_true, y_pred):
        ...     return float(y_true["answer"].lower() in y_pred["answer"].lower())
        >>> reward = RewardFunctionWrapper(contains)
        >>> asyncio.run(reward({"answer": "Paris"}, {"answer": "It is paris."}))
        1.0
    """

    def __init__(self, fn: Callable[..., Any], name: str | None = None,
                 reduction: str = "mean", in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(fn, name=name, reduction=reduction, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.fn_kwargs = kwargs
        # A plain function is scored sample after sample: tasks would only add overhead.
        self.concurrent = (inspect.iscoroutinefunction(fn)
                           or inspect.iscoroutinefunction(type(fn).__call__))

    async def call(self, y_true: dict[str, Any] | None,
                   y_pred: dict[str, Any] | None) -> Feedback:
        return to_feedback(await _resolve(self.fn(_view(y_true), _view(y_pred),
                                                  **self.fn_kwargs)))

    def get_config(self) -> dict[str, Any]:
        return {"fn": get_registered_name(self.fn), **self.fn_kwargs, **super().get_config()}


@register_builtin
class BatchReward(Reward):
    """A reward computed for a whole batch at once: ``fn(y_trues, y_preds) -> list[float]``.

    Each item may also be a ``(score, "feedback")`` pair, a dict or a
    :class:`~synalinks_nb.rewards.feedback.Feedback`.

    Useful when scoring is cheaper or fairer in bulk (one judge call per batch,
    ranking predictions against each other). As in Synalinks, it may also be
    subclassed without ``fn``: the subclass's ``async def call(self, y_true, y_pred)``
    receives the batch's two lists and returns one reward per sample. Awaiting the reward
    on two lists scores the batch and reduces it (``reduction``); on one sample, scores
    that sample as a batch of one.

    Example:
        >>> import asyncio
        >>> def rank(y_trues, y_preds):
        ...     lengths = [len(p["answer"]) for p in y_preds]
        ...     return [1.0 if n == min(lengths) else 0.0 for n in lengths]
        >>> reward = BatchReward(rank)
        >>> asyncio.run(reward.batch([None, None], [{"answer": "a"}, {"answer": "abc"}]))
        [1.0, 0.0]
        >>> class Centered(BatchReward):
        ...     async def call(self, y_true, y_pred):
        ...         raw = [float(len(p["answer"])) for p in y_pred]
        ...         return [r - sum(raw) / len(raw) for r in raw]
        >>> asyncio.run(Centered(reduction="none")([None, None],
        ...                                        [{"answer": "a"}, {"answer": "abc"}]))
        [-1.0, 1.0]
    """

    def __init__(self, fn: Callable[..., Any] | None = None, name: str | None = None,
                 reduction: str = "mean", in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        if fn is None and type(self).call is BatchReward.call:
            raise TypeError("Expected fn, or a subclass that implements async "
                            "call(y_true, y_pred) on the batch's lists. Received: fn=None")
        if fn is not None and not callable(fn):
            raise TypeError(f"Expected fn to be callable. Received: fn={fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.fn = fn

    async def __call__(self, y_true: Any, y_pred: Any) -> Any:
        """One sample's reward; on two lists, the batch's rewards reduced (Synalinks)."""
        if isinstance(y_pred, list | tuple) and isinstance(y_true, list | tuple):
            return self.reduce(await self.batch(y_true, y_pred))
        return (await self.evaluate(y_true, y_pred)).score

    async def evaluate(self, y_true: Any, y_pred: Any) -> Feedback:
        """One sample, scored as a batch of one."""
        return (await self.batch_with_feedback([y_true], [y_pred]))[0]

    async def call(self, y_true: Any, y_pred: Any) -> Any:
        """The batch's rewards: ``y_true`` and ``y_pred`` are lists (masked JSON views)."""
        assert self.fn is not None  # __init__ refuses fn=None unless call is overridden
        return await _resolve(self.fn(y_true, y_pred))

    async def compute_batch(self, y_true: Sequence[Any], y_pred: Sequence[Any]) -> list[float]:
        """The per-sample rewards of a batch, unreduced (Synalinks' name for :meth:`batch`)."""
        return await self.batch(y_true, y_pred)

    async def batch_with_feedback(self, y_trues: Sequence[Any],
                                  y_preds: Sequence[Any]) -> list[Feedback]:
        trues = [_view(self._mask(as_json(t))) for t in y_trues]
        preds = [_view(self._mask(as_json(p))) for p in y_preds]
        values = list(await self.call(trues, preds))
        if len(values) != len(preds):
            raise ValueError(f"Expected {len(preds)} rewards from {self.name}. "
                             f"Received: {len(values)}")
        return [to_feedback(v) for v in values]

    def get_config(self) -> dict[str, Any]:
        if self.fn is None:  # a subclass: its class is its behaviour
            return super().get_config()
        return {"fn": get_registered_name(self.fn), **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> BatchReward:
        config = dict(config)
        if "fn" not in config:
            return cls(**config)
        return cls(get_registered_function(str(config.pop("fn")), "reward"), **config)


@register_builtin
class BatchRewardFunctionWrapper(BatchReward):
    """Synalinks' name for a batched function made a reward; extra keyword arguments are
    passed to ``fn`` on every call (and saved with the reward).

    Example:
        >>> import asyncio
        >>> def within(y_trues, y_preds, tolerance):
        ...     return [float(abs(len(p["answer"]) - len(t["answer"])) <= tolerance)
        ...             for t, p in zip(y_trues, y_preds)]
        >>> reward = BatchRewardFunctionWrapper(fn=within, tolerance=1)
        >>> asyncio.run(reward.batch([{"answer": "ab"}] * 2, [{"answer": "a"}, {"answer": ""}]))
        [1.0, 0.0]
    """

    def __init__(self, fn: Callable[..., Any], reduction: str = "mean",
                 name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None, in_mask_pattern: str | None = None,
                 out_mask_pattern: str | None = None, **kwargs: Any) -> None:
        self.fn_kwargs = kwargs
        super().__init__(functools.partial(fn, **kwargs) if kwargs else fn, name=name
                         or getattr(fn, "__name__", None), reduction=reduction,
                         in_mask=in_mask, out_mask=out_mask, in_mask_pattern=in_mask_pattern,
                         out_mask_pattern=out_mask_pattern)
        self.function = fn

    def get_config(self) -> dict[str, Any]:
        # ``self.fn`` is the function with its keywords bound: save the function's name.
        return {**Reward.get_config(self), "fn": get_registered_name(self.function),
                **self.fn_kwargs}
