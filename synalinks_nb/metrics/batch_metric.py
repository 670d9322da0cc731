"""``BatchMetric``: a metric the trainer updates with a whole batch at once.

A :class:`~synalinks_nb.metrics.Metric` sees one sample per ``update_state`` call. Some
quantities only exist over a group of samples: ``pass@k`` needs the ``k`` answers drawn
for one problem. A ``BatchMetric`` receives the batch's labels and predictions as two
lists (``compute_metrics`` routes it so; the other metrics compiled beside it keep their
per-sample updates), like :class:`~synalinks_nb.rewards.BatchReward` for rewards.
A failed sample's prediction is ``None`` in the list.

With the convention "one batch = the ``k`` samples of one problem", evaluate with
``batch_size=k`` on data where each problem is repeated ``k`` times.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.metrics.metric import Metric
from synalinks_nb.utils.registry import register_builtin

__all__ = ["BatchMetric"]


@register_builtin
class BatchMetric(Metric):
    """Base class of metrics updated with a whole batch (Synalinks' ``BatchMetric``).

    Subclass contract: ``async update_state(y_true, y_pred)`` receives two lists of
    the batch's length; ``result()`` and ``reset_state()`` as for every metric.

    Example:
        The share of batches with at least one correct answer:

        >>> import asyncio
        >>> class AnyCorrect(BatchMetric):
        ...     def __init__(self, name=None):
        ...         super().__init__(name=name)
        ...         self.hits, self.batches = 0, 0
        ...     async def update_state(self, y_true, y_pred):
        ...         self.batches += 1
        ...         self.hits += any(t == p for t, p in zip(y_true, y_pred))
        ...     def result(self):
        ...         return self.hits / self.batches if self.batches else 0.0
        ...     def reset_state(self):
        ...         self.hits, self.batches = 0, 0
        >>> m = AnyCorrect()
        >>> asyncio.run(m.update_state([{"a": 1}, {"a": 1}], [{"a": 2}, {"a": 1}]))
        >>> asyncio.run(m.update_state([{"a": 3}], [{"a": 4}]))
        >>> m.result()
        0.5
    """

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        """Account for one batch: ``y_true`` and ``y_pred`` are lists."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_state.")
