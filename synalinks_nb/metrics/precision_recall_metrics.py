"""Precision and recall of the three F-beta families (words, booleans, labels).

They count exactly as their F1 sibling in :mod:`.f_score_metrics` (same ``average``,
``threshold`` and ``labels`` arguments) and report ``tp / (tp + fp)`` or ``tp / (tp + fn)``.
``ListPrecision`` and ``ListRecall`` are this package's earlier names for the categorical ones.
"""

from __future__ import annotations

from synalinks_nb.metrics.f_score_metrics import (
    BinaryF1Score,
    CategoricalF1Score,
    F1Score,
)
from synalinks_nb.utils.registry import register_builtin

__all__ = [
    "BinaryPrecision",
    "BinaryRecall",
    "CategoricalPrecision",
    "CategoricalRecall",
    "ListPrecision",
    "ListRecall",
    "Precision",
    "Recall",
]


@register_builtin
class Precision(F1Score):
    """Share of the predicted words found in the ground truth, per field, over the run.

    Example:
        >>> import asyncio
        >>> m = Precision()
        >>> asyncio.run(m.update_state({"answer": "cat sat"}, {"answer": "cat"}))
        >>> m.result()
        1.0
    """

    formula = "precision"
    default_name = "precision"


@register_builtin
class Recall(F1Score):
    """Share of the ground truth's words found in the prediction, per field, over the run."""

    formula = "recall"
    default_name = "recall"


@register_builtin
class BinaryPrecision(BinaryF1Score):
    """Precision of boolean fields taken as labels, over the run."""

    formula = "precision"
    default_name = "binary_precision"


@register_builtin
class BinaryRecall(BinaryF1Score):
    """Recall of boolean fields taken as labels, over the run."""

    formula = "recall"
    default_name = "binary_recall"


@register_builtin
class CategoricalPrecision(CategoricalF1Score):
    """Precision of the fields' values taken as labels, over the run.

    Example:
        >>> import asyncio
        >>> m = CategoricalPrecision(average="micro")
        >>> asyncio.run(m.update_state({"tags": ["a", "b"]}, {"tags": ["a", "c"]}))
        >>> m.result()
        0.5
    """

    formula = "precision"
    default_name = "categorical_precision"


@register_builtin
class CategoricalRecall(CategoricalF1Score):
    """Recall of the fields' values taken as labels, over the run."""

    formula = "recall"
    default_name = "categorical_recall"


ListPrecision = CategoricalPrecision
ListRecall = CategoricalRecall
