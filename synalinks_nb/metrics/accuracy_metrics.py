"""Accuracies: whole-output exact match, and per-field binary / categorical variants."""

from __future__ import annotations

from typing import Any

from synalinks_nb.metrics.reduction_metrics import MeanMetricWrapper
from synalinks_nb.ops.operation import snake_case
from synalinks_nb.rewards.exact_match import exact_match
from synalinks_nb.utils.registry import register_builtin

__all__ = ["Accuracy", "BinaryAccuracy", "CategoricalAccuracy"]


def _field_accuracy(y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None,
                    kind: type) -> float:
    if y_true is None:
        return 0.0
    keys = [k for k, v in y_true.items() if isinstance(v, kind)]
    if not keys:
        return 0.0
    pred = y_pred or {}
    return float(sum(pred.get(k) == y_true[k] for k in keys)) / len(keys)


def binary_accuracy(y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None) -> float:
    """Share of the ground truth's boolean fields the prediction got right."""
    return _field_accuracy(y_true, y_pred, bool)


def categorical_accuracy(y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None) -> float:
    """Share of the ground truth's string (label) fields the prediction got right."""
    return _field_accuracy(y_true, y_pred, str)


class _Fixed(MeanMetricWrapper):
    _fn: Any = None

    def __init__(self, name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None) -> None:
        super().__init__(type(self)._fn, name=name, in_mask=in_mask, out_mask=out_mask)
        self.name = name or self._default_name()

    def _default_name(self) -> str:
        return snake_case(type(self).__name__)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("fn")
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**config)


@register_builtin
class Accuracy(_Fixed):
    """Share of predictions equal to the ground truth (after masks).

    Example:
        >>> import asyncio
        >>> m = Accuracy(in_mask=["answer"])
        >>> asyncio.run(m.update_state({"answer": "a"}, {"answer": "a", "thinking": "."}))
        >>> asyncio.run(m.update_state({"answer": "a"}, {"answer": "b", "thinking": "."}))
        >>> m.result()
        0.5
    """

    _fn = staticmethod(exact_match)


@register_builtin
class BinaryAccuracy(_Fixed):
    """Per-field accuracy over boolean fields, averaged over samples.

    Example:
        >>> import asyncio
        >>> m = BinaryAccuracy()
        >>> asyncio.run(m.update_state({"spam": True, "urgent": False},
        ...                            {"spam": True, "urgent": True})); m.result()
        0.5
    """

    _fn = staticmethod(binary_accuracy)


@register_builtin
class CategoricalAccuracy(_Fixed):
    """Per-field accuracy over string (label) fields, averaged over samples.

    Example:
        >>> import asyncio
        >>> m = CategoricalAccuracy()
        >>> asyncio.run(m.update_state({"label": "sports"}, {"label": "sports"})); m.result()
        1.0
    """

    _fn = staticmethod(categorical_accuracy)
