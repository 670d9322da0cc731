"""``Metric``: a stateful summary of predictions, reported in logs but never optimized.

Metrics differ from rewards in one way: the optimizer never sees them. A
metric accumulates over a run (``await update_state(y_true, y_pred)``), reports
``result()`` and starts over with ``reset_state()``. The trainer resets metrics
at the start of each epoch and of each ``evaluate``.

Subclass contract: implement ``async update_state``, ``result`` and
``reset_state``; add constructor arguments to ``get_config``. ``result`` gives a float, or,
as Synalinks' per-field metrics do, a list (one per field) or a dict (one per label):
:func:`metric_logs` turns those into the float entries of training logs.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.ops.operation import snake_case
from synalinks_nb.rewards.reward import apply_masks, as_json, mask_patterns

__all__ = ["Metric", "metric_logs"]


class Metric:
    """Base class of metrics.

    Args:
        name: the key in logs (default: the class name in snake case).
        in_mask: compare only these fields.
        out_mask: ignore these fields.
        in_mask_pattern, out_mask_pattern: regular expressions of field names to keep or
            ignore as well (Synalinks').

    Example:
        Count predictions that are missing (``None``):

        >>> import asyncio
        >>> class Missing(Metric):
        ...     def __init__(self, **kw):
        ...         super().__init__(**kw)
        ...         self.count = 0
        ...     async def update_state(self, y_true, y_pred):
        ...         self.count += y_pred is None
        ...     def result(self):
        ...         return float(self.count)
        ...     def reset_state(self):
        ...         self.count = 0
        >>> m = Missing()
        >>> asyncio.run(m.update_state({"a": 1}, None)); m.result()
        1.0
    """

    def __init__(self, name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None, in_mask_pattern: str | None = None,
                 out_mask_pattern: str | None = None) -> None:
        self.name = name or snake_case(type(self).__name__)
        self.in_mask = list(in_mask) if in_mask else None
        self.out_mask = list(out_mask) if out_mask else None
        self.in_mask_pattern = in_mask_pattern
        self.out_mask_pattern = out_mask_pattern

    def _prepare(self, value: Any) -> dict[str, Any] | None:
        return apply_masks(as_json(value), self.in_mask, self.out_mask, self.in_mask_pattern,
                           self.out_mask_pattern)

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        """Account for one sample."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state.")

    def result(self) -> Any:
        """The current value: a float (or a list or dict of floats, see the module doc)."""
        raise NotImplementedError(f"{type(self).__name__} must implement result.")

    def reset_state(self) -> None:
        """Forget every sample seen."""
        raise NotImplementedError(f"{type(self).__name__} must implement reset_state.")

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments as JSON."""
        return {"name": self.name, "in_mask": self.in_mask, "out_mask": self.out_mask,
                **mask_patterns(self)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        """Rebuild from :meth:`get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


def metric_logs(metrics: Any) -> dict[str, float]:
    """The log entries of ``metrics``' results, every value a float.

    A dict result adds its keys as they are (Synalinks merges them into the logs the same
    way); a list result adds ``<name>_0``, ``<name>_1``... (Synalinks logs the list itself).

    Example:
        >>> import asyncio
        >>> from synalinks_nb import metrics
        >>> f1 = metrics.F1Score()
        >>> asyncio.run(f1.update_state({"a": "x", "b": "y"}, {"a": "x", "b": "z"}))
        >>> metric_logs([f1, metrics.F1Score(name="f1", average="macro")])
        {'f1_score_0': 1.0, 'f1_score_1': 0.0, 'f1': 0.0}
    """
    logs: dict[str, float] = {}
    for metric in metrics:
        value = metric.result()
        if isinstance(value, dict):
            logs.update({str(key): float(v) for key, v in value.items()})
        elif isinstance(value, list | tuple):
            logs.update({f"{metric.name}_{i}": float(v) for i, v in enumerate(value)})
        else:
            logs[metric.name] = float(value)
    return logs
