"""F-beta and F1 as Synalinks computes them (precision, recall: :mod:`.precision_recall_metrics`).

Three families, each counting true/false positives and false negatives per field over the
run (:mod:`.per_field` explains fields, ``average`` and failed predictions):

* ``FBetaScore``, ``F1Score`` (and ``Precision``, ``Recall``) — words shared by each field
  of the prediction and of the ground truth (lower-cased, without punctuation or the
  words ``a an the of is``): question answering;
* ``BinaryFBetaScore``, ``BinaryF1Score`` — each field a boolean, or a number compared
  with ``threshold``: multi-label classification;
* ``CategoricalFBetaScore``, ``CategoricalF1Score`` (``ListFBetaScore``, ``ListF1Score``)
  — the fields' values (list items included) as a set of labels: classification and
  retrieval. With ``labels=``, each label is counted on its own.
"""

from __future__ import annotations

from collections import Counter
from itertools import zip_longest
from typing import Any, ClassVar

from synalinks_nb.metrics.per_field import (
    PerFieldMetric,
    binary_leaves,
    checked_threshold,
    leaves,
    normalize_and_tokenize,
    ratio,
)
from synalinks_nb.utils.registry import register_builtin

__all__ = [
    "BinaryF1Score",
    "BinaryFBetaScore",
    "CategoricalF1Score",
    "CategoricalFBetaScore",
    "ConfusionCounts",
    "F1Score",
    "FBetaScore",
    "ListF1Score",
    "ListFBetaScore",
]

Counts = dict[str, list[float]]


class ConfusionCounts(PerFieldMetric):
    """Base of the F-beta family: true/false positives and false negatives per field.

    Subclass contract: implement ``_counts(y_true, y_pred)`` returning ``{"tp", "fp",
    "fn", "support"}`` lists for one sample. ``formula`` picks what ``result()``
    computes: ``"fbeta"``, ``"precision"`` or ``"recall"``.
    """

    counters = ("tp", "fp", "fn", "support")
    formula: ClassVar[str] = "fbeta"
    default_name = "fbeta_score"

    def __init__(self, average: str | None = None, beta: float = 1.0, name: str | None = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, name=name, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        if isinstance(beta, bool) or not isinstance(beta, int | float) or beta <= 0:
            raise ValueError(f"Expected beta to be a positive float. Received: beta={beta!r}")
        self.beta = float(beta)

    def _score(self, counts: dict[str, float]) -> float:
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        if self.formula == "precision":
            return precision
        if self.formula == "recall":
            return recall
        b2 = self.beta**2
        return (1 + b2) * ratio(precision * recall, b2 * precision + recall)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "beta": self.beta}


class _FixedBeta:
    """Mixin of the F1 / precision / recall variants: no ``beta`` argument or config."""

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = super().get_config()  # type: ignore[misc]
        config.pop("beta")
        return config


@register_builtin
class FBetaScore(ConfusionCounts):
    """Word-level F-beta of each field (``beta`` weighs recall).

    Example:
        >>> import asyncio
        >>> m = FBetaScore(beta=2.0)
        >>> asyncio.run(m.update_state({"answer": "cat sat"}, {"answer": "cat"}))
        >>> round(m.result(), 3)
        0.556
    """

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        counts: Counts = {"tp": [], "fp": [], "fn": [], "support": []}
        for truth, guess in zip_longest(leaves(y_true), leaves(y_pred), fillvalue=""):
            true_words = Counter(normalize_and_tokenize(str(truth)))
            pred_words = Counter(normalize_and_tokenize(str(guess)))
            common = sum((true_words & pred_words).values())
            counts["tp"].append(float(common))
            counts["fp"].append(float(sum(pred_words.values()) - common))
            counts["fn"].append(float(sum(true_words.values()) - common))
            counts["support"].append(float(sum(true_words.values())))
        return counts


@register_builtin
class F1Score(_FixedBeta, FBetaScore):
    """Word-level F1 of each field (SQuAD-style), counted over the run.

    Example:
        >>> import asyncio
        >>> m = F1Score()
        >>> asyncio.run(m.update_state({"answer": "the cat sat"}, {"answer": "the cat"}))
        >>> round(m.result(), 3)
        0.667
    """

    default_name = "f1_score"

    def __init__(self, average: str | None = None, name: str | None = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, name=name, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)


@register_builtin
class BinaryFBetaScore(ConfusionCounts):
    """F-beta of boolean fields (numbers above ``threshold`` count as true).

    Example:
        >>> import asyncio
        >>> m = BinaryFBetaScore(average="macro")
        >>> asyncio.run(m.update_state({"spam": True, "ads": False}, {"spam": 0.9, "ads": 0.1}))
        >>> m.result()
        0.5
    """

    default_name = "binary_fbeta_score"

    def __init__(self, average: str | None = None, beta: float = 1.0, threshold: float = 0.5,
                 name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, beta=beta, name=name, in_mask=in_mask,
                         out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.threshold = checked_threshold(threshold)

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        true = binary_leaves(y_true, self.threshold, type(self).__name__)
        pred = binary_leaves(y_pred, self.threshold, type(self).__name__)
        pairs = list(zip_longest(true, pred, fillvalue=0.0))
        return {"tp": [t * p for t, p in pairs], "fp": [(1 - t) * p for t, p in pairs],
                "fn": [t * (1 - p) for t, p in pairs], "support": [t for t, _ in pairs]}

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "threshold": self.threshold}


@register_builtin
class BinaryF1Score(_FixedBeta, BinaryFBetaScore):
    """F1 of boolean fields taken as labels, over the run.

    Example:
        >>> import asyncio
        >>> m = BinaryF1Score()
        >>> asyncio.run(m.update_state({"spam": True}, {"spam": True}))
        >>> asyncio.run(m.update_state({"spam": False}, {"spam": True}))
        >>> round(m.result(), 3)
        0.667
    """

    default_name = "binary_f1_score"

    def __init__(self, average: str | None = None, threshold: float = 0.5,
                 name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, threshold=threshold, name=name, in_mask=in_mask,
                         out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)


@register_builtin
class CategoricalFBetaScore(ConfusionCounts):
    """F-beta of the fields' values taken as a set of labels (or per label, ``labels=``).

    Example:
        >>> import asyncio
        >>> m = CategoricalFBetaScore(labels=["a", "b", "c"])
        >>> asyncio.run(m.update_state({"tags": ["a", "b"]}, {"tags": ["b", "c"]}))
        >>> m.result()
        {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """

    default_name = "categorical_fbeta_score"

    def __init__(self, average: str | None = None, beta: float = 1.0,
                 labels: list[Any] | None = None, name: str | None = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, beta=beta, name=name, in_mask=in_mask,
                         out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.labels = [str(label) for label in labels] if labels is not None else None

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        true = [str(v) for v in leaves(y_true)]
        pred = [str(v) for v in leaves(y_pred)]
        true_set, pred_set = set(true), set(pred)
        if self.labels is None:  # one pooled count per sample
            common = len(true_set & pred_set)
            return {"tp": [float(common)], "fp": [float(len(pred_set) - common)],
                    "fn": [float(len(true_set) - common)], "support": [float(len(true))]}
        marks = [(label in true_set, label in pred_set) for label in self.labels]
        return {"tp": [float(t and p) for t, p in marks],
                "fp": [float(p and not t) for t, p in marks],
                "fn": [float(t and not p) for t, p in marks],
                "support": [float(t) for t, _ in marks]}

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "labels": self.labels}


@register_builtin
class CategoricalF1Score(_FixedBeta, CategoricalFBetaScore):
    """F1 of the fields' values taken as labels (multi-label, retrieval), over the run.

    Example:
        >>> import asyncio
        >>> m = CategoricalF1Score()
        >>> asyncio.run(m.update_state({"tags": ["a", "b"]}, {"tags": ["a"]}))
        >>> round(m.result(), 3)
        0.667
    """

    default_name = "categorical_f1_score"

    def __init__(self, average: str | None = None, labels: list[Any] | None = None,
                 name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(average=average, labels=labels, name=name, in_mask=in_mask,
                         out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)


# Synalinks' earlier names, kept by Synalinks as aliases.
ListFBetaScore = CategoricalFBetaScore
ListF1Score = CategoricalF1Score
