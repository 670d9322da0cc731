"""Accuracies, as Synalinks computes them: per field, over the run.

* ``Accuracy`` — words in common over words in either (Jaccard), per field of the
  prediction and of the ground truth (Synalinks' tokens: lower case, no punctuation, no
  ``a an the of is``);
* ``BinaryAccuracy`` — boolean fields (numbers compared with ``threshold``) equal;
* ``CategoricalAccuracy`` — the fields' values as a set of labels, Jaccard of the sets;
  with ``labels=``, each label right (present on both sides or on neither) or not.

Counts add up over the run: ``Accuracy`` is the words in common over the words in either
summed over samples, not a mean of per-sample scores. :mod:`.per_field` explains fields,
``average`` and failed predictions (counted as empty answers).
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from synalinks_nb.metrics.per_field import (
    PerFieldMetric,
    binary_leaves,
    checked_threshold,
    leaves,
    normalize_and_tokenize,
    ratio,
)
from synalinks_nb.utils.registry import register_builtin

__all__ = ["Accuracy", "BinaryAccuracy", "CategoricalAccuracy"]

Counts = dict[str, list[float]]


class _Jaccard(PerFieldMetric):
    counters = ("correct", "total", "support")

    def _score(self, counts: dict[str, float]) -> float:
        return ratio(counts["correct"], counts["total"])


@register_builtin
class Accuracy(_Jaccard):
    """Words in common over words in either, per field, over the run.

    Example:
        >>> import asyncio
        >>> m = Accuracy(in_mask=["answer"])
        >>> asyncio.run(m.update_state({"answer": "Paris"}, {"answer": "Paris", "thinking": "."}))
        >>> asyncio.run(m.update_state({"answer": "Rome"}, {"answer": "Paris", "thinking": "."}))
        >>> round(m.result(), 3)  # 1 word in common over 3
        0.333
    """

    default_name = "accuracy"

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        counts: Counts = {"correct": [], "total": [], "support": []}
        for truth, guess in zip_longest(leaves(y_true), leaves(y_pred), fillvalue=""):
            true_words = normalize_and_tokenize(str(truth))
            pred_words = normalize_and_tokenize(str(guess))
            counts["correct"].append(float(len(set(true_words) & set(pred_words))))
            counts["total"].append(float(len(set(true_words) | set(pred_words))))
            counts["support"].append(float(len(true_words)))
        return counts


@register_builtin
class BinaryAccuracy(_Jaccard):
    """Boolean fields right, per field, over the run (numbers above ``threshold`` are true).

    Example:
        >>> import asyncio
        >>> m = BinaryAccuracy(average="macro")
        >>> asyncio.run(m.update_state({"spam": True, "urgent": False},
        ...                            {"spam": 0.8, "urgent": True})); m.result()
        0.5
    """

    default_name = "binary_accuracy"

    def __init__(self, average: str | None = None, threshold: float = 0.5,
                 name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, name=name, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.threshold = checked_threshold(threshold)

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        true = binary_leaves(y_true, self.threshold, type(self).__name__)
        pred = binary_leaves(y_pred, self.threshold, type(self).__name__)
        # A missing leaf (None) never equals a 0.0/1.0 one: it is counted wrong.
        pairs = list(zip_longest(true, pred))
        return {"correct": [float(t == p) for t, p in pairs], "total": [1.0] * len(pairs),
                "support": [t or 0.0 for t, _ in pairs]}

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "threshold": self.threshold}


@register_builtin
class CategoricalAccuracy(_Jaccard):
    """Labels in common over labels in either, or per label with ``labels=``, over the run.

    Example:
        >>> import asyncio
        >>> m = CategoricalAccuracy()
        >>> asyncio.run(m.update_state({"label": "sports"}, {"label": "sports"})); m.result()
        1.0
        >>> m = CategoricalAccuracy(labels=["cat", "dog"])
        >>> asyncio.run(m.update_state({"label": "cat"}, {"label": "dog"})); m.result()
        {'cat': 0.0, 'dog': 0.0}
    """

    default_name = "categorical_accuracy"

    def __init__(self, average: str | None = None, labels: list[Any] | None = None,
                 name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, name=name, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.labels = [str(label) for label in labels] if labels is not None else None

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        true = [str(v) for v in leaves(y_true)]
        true_set, pred_set = set(true), {str(v) for v in leaves(y_pred)}
        if self.labels is None:
            return {"correct": [float(len(true_set & pred_set))],
                    "total": [float(len(true_set | pred_set))], "support": [float(len(true))]}
        marks = [(label in true_set, label in pred_set) for label in self.labels]
        return {"correct": [float(t == p) for t, p in marks], "total": [1.0] * len(marks),
                "support": [float(t) for t, _ in marks]}

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "labels": self.labels}
