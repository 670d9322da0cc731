"""Averages: ``Mean`` of values, ``MeanMetricWrapper`` of a per-sample function."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from synalinks_nb.metrics.metric import Metric
from synalinks_nb.utils.registry import (
    get_registered_function,
    get_registered_name,
    get_registered_object,
    register_builtin,
)

__all__ = ["Mean", "MeanMetricWrapper", "Sum"]


@register_builtin
class Mean(Metric):
    """The mean of the values given to ``update_state(value)``.

    Example:
        >>> import asyncio
        >>> m = Mean()
        >>> for v in (1.0, 0.0, 0.5):
        ...     asyncio.run(m.update_state(v))
        >>> m.result()
        0.5
    """

    def __init__(self, name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(name=name, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.total = 0.0
        self.count = 0

    async def update_state(self, values: Any, y_pred: Any = None) -> None:
        """Add ``values``: one number, or a sequence of them, one per sample.

        A sample given as a sequence of numbers counts as one value, its mean (its sum for
        :class:`Sum`), as Synalinks' ``reduce_to_samplewise_values``. ``y_pred`` is unused:
        it is there so every metric takes ``(y_true, y_pred)``.

        Example:
            >>> import asyncio
            >>> m = Mean()
            >>> asyncio.run(m.update_state([1.0, 0.0]))
            >>> asyncio.run(m.update_state(0.5)); m.result()
            0.5
        """
        samples = list(values) if isinstance(values, list | tuple) else [values]
        self.total += sum(self._sample_value(v) for v in samples)
        self.count += len(samples)

    def _sample_value(self, sample: Any) -> float:
        if isinstance(sample, list | tuple):
            numbers = [float(v) for v in sample]
            return sum(numbers) / len(numbers) if numbers else 0.0
        return float(sample)

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0


@register_builtin
class Sum(Mean):
    """The sum of the values given to ``update_state(value)``."""

    def result(self) -> float:
        return self.total

    def _sample_value(self, sample: Any) -> float:
        if isinstance(sample, list | tuple):
            return sum(float(v) for v in sample)
        return float(sample)


@register_builtin
class MeanMetricWrapper(Mean):
    """The mean over samples of ``fn(y_true, y_pred, **kwargs)`` (sync or async, on JSON dicts).

    Example:
        >>> import asyncio
        >>> def same_length(y_true, y_pred):
        ...     return float(len(y_true["answer"]) == len(y_pred["answer"]))
        >>> m = MeanMetricWrapper(same_length)
        >>> asyncio.run(m.update_state({"answer": "ab"}, {"answer": "cd"})); m.result()
        1.0
    """

    def __init__(self, fn: Callable[..., Any], name: str | None = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None,
                 **kwargs: Any) -> None:
        if not callable(fn):
            raise TypeError(f"Expected fn to be callable. Received: fn={fn!r}")
        # A reward object (Synalinks' MeanMetricWrapper(fn=ExactMatch())) is named by its name.
        default = getattr(fn, "__name__", None) or getattr(fn, "name", None)
        super().__init__(name=name or default, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.fn = fn
        self.fn_kwargs = kwargs

    async def update_state(self, y_true: Any, y_pred: Any = None) -> None:
        value = self.fn(self._prepare(y_true), self._prepare(y_pred), **self.fn_kwargs)
        if inspect.isawaitable(value):
            value = await value
        await super().update_state(float(value))

    def get_config(self) -> dict[str, Any]:
        if hasattr(self.fn, "get_config"):  # an object (a reward), saved with its config
            fn: Any = {"class_name": get_registered_name(type(self.fn)),
                       "config": self.fn.get_config()}
        else:
            fn = get_registered_name(self.fn)
        return {"fn": fn, **self.fn_kwargs, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MeanMetricWrapper:
        config = dict(config)
        fn = config.pop("fn")
        if isinstance(fn, dict):
            fn_cls: Any = get_registered_object(str(fn.get("class_name")))
            if fn_cls is None:
                raise ValueError(f"Expected a registered class for the metric's fn. "
                                 f"Received: {fn.get('class_name')!r}")
            return cls(fn_cls.from_config(dict(fn.get("config") or {})), **config)
        return cls(get_registered_function(str(fn), "metric"), **config)
