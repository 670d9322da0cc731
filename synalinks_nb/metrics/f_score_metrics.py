"""F-beta, F1, precision and recall, as Synalinks computes them.

Three families, each counting true/false positives and false negatives over the run:

* ``FBetaScore``, ``F1Score`` (and ``Precision``, ``Recall``) — words shared by each field
  of the prediction and of the ground truth (lower-cased, without punctuation or the
  words ``a an the of is``): question answering;
* ``BinaryFBetaScore``, ``BinaryF1Score`` — each field a boolean, or a number compared
  with ``threshold``: multi-label classification;
* ``CategoricalFBetaScore``, ``CategoricalF1Score`` (``ListFBetaScore``, ``ListF1Score``)
  — the fields' values (list items included) as a set of labels: classification and
  retrieval. With ``labels=``, each label is counted on its own.

Fields are the leaves of the JSON, keys sorted (Synalinks' ``tree.flatten``). ``average``
decides what ``result()`` gives: ``None`` one score per field (a float when there is one
field; a ``{label: score}`` dict with ``labels=``), ``"micro"`` one score from the summed
counts, ``"macro"`` the mean of the fields' scores, ``"weighted"`` their mean weighted by
the ground truth's support. A missing prediction (``None``) is skipped, as in Synalinks.

Where Synalinks adds an epsilon to every denominator (a perfect score reads 0.9999999),
a zero denominator gives 0 here and the rest is exact.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from itertools import zip_longest
from typing import Any, ClassVar

from synalinks_nb.metrics.metric import Metric
from synalinks_nb.utils.registry import register_builtin

__all__ = [
    "AVERAGES",
    "BinaryF1Score",
    "BinaryFBetaScore",
    "CategoricalF1Score",
    "CategoricalFBetaScore",
    "ConfusionCounts",
    "F1Score",
    "FBetaScore",
    "ListF1Score",
    "ListFBetaScore",
    "normalize_and_tokenize",
]

AVERAGES = (None, "micro", "macro", "weighted")
_DROPPED_WORDS = re.compile(r"\b(a|an|the|of|is)\b", re.UNICODE)
_PUNCTUATION = str.maketrans("", "", string.punctuation)
Counts = tuple[list[float], list[float], list[float], list[float]]


def normalize_and_tokenize(text: str) -> list[str]:
    """Synalinks' word tokens: lower case, no ``a an the of is``, no punctuation.

    Example:
        >>> normalize_and_tokenize("The capital of Japan is Tokyo.")
        ['capital', 'japan', 'tokyo']
    """
    return _DROPPED_WORDS.sub("", text.lower()).translate(_PUNCTUATION).split()


def leaves(json: Any) -> list[Any]:
    """The JSON's leaves, dict keys sorted and ``None`` kept, as Synalinks flattens."""
    if isinstance(json, dict):
        return [leaf for key in sorted(json) for leaf in leaves(json[key])]
    if isinstance(json, list | tuple):
        return [leaf for item in json for leaf in leaves(item)]
    return [json]


def _ragged_add(current: list[float], fresh: list[float]) -> list[float]:
    # Samples may have different numbers of leaves (lists of varying length): positions a
    # sample does not have get nothing, sums stay exact.
    return [a + b for a, b in zip_longest(current, fresh, fillvalue=0.0)]


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


class ConfusionCounts(Metric):
    """Base of the F-beta family: per-position counts accumulated over the run.

    Subclass contract: implement ``_counts(y_true, y_pred)`` returning four equal-length
    lists (true positives, false positives, false negatives, support) for one sample.
    ``formula`` picks what ``result()`` computes: ``"fbeta"``, ``"precision"``, ``"recall"``.
    """

    formula: ClassVar[str] = "fbeta"
    default_name: ClassVar[str] = "fbeta_score"

    def __init__(self, average: str | None = None, beta: float = 1.0, name: str | None = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None) -> None:
        super().__init__(name=name or self.default_name, in_mask=in_mask, out_mask=out_mask)
        if average not in AVERAGES:
            raise ValueError(f"Expected average in {list(AVERAGES)}. Received: average={average!r}")
        if isinstance(beta, bool) or not isinstance(beta, int | float) or beta <= 0:
            raise ValueError(f"Expected beta to be a positive float. Received: beta={beta!r}")
        self.average = average
        self.beta = float(beta)
        self.reset_state()

    def reset_state(self) -> None:
        self.true_positives: list[float] = []
        self.false_positives: list[float] = []
        self.false_negatives: list[float] = []
        self.support: list[float] = []

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        raise NotImplementedError(f"{type(self).__name__} must implement _counts.")

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        true, pred = self._prepare(y_true), self._prepare(y_pred)
        if true is None or pred is None:
            return
        tp, fp, fn, support = self._counts(true, pred)
        self.true_positives = _ragged_add(self.true_positives, tp)
        self.false_positives = _ragged_add(self.false_positives, fp)
        self.false_negatives = _ragged_add(self.false_negatives, fn)
        self.support = _ragged_add(self.support, support)

    def _score(self, tp: float, fp: float, fn: float) -> float:
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        if self.formula == "precision":
            return precision
        if self.formula == "recall":
            return recall
        b2 = self.beta**2
        return (1 + b2) * _ratio(precision * recall, b2 * precision + recall)

    def result(self) -> Any:
        """A float, or (``average=None``, several fields) a list, or a dict by label."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        if not tp:
            return 0.0
        if self.average == "micro":
            return self._score(sum(tp), sum(fp), sum(fn))
        scores = [self._score(*counts) for counts in zip(tp, fp, fn, strict=True)]
        if self.average == "macro":
            return sum(scores) / len(scores)
        if self.average == "weighted":
            total = sum(self.support)
            return sum(s * _ratio(w, total) for s, w in zip(scores, self.support, strict=True))
        return scores[0] if len(scores) == 1 else scores

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "average": self.average, "beta": self.beta}


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
        tp, fp, fn, support = [], [], [], []
        for truth, guess in zip_longest(leaves(y_true), leaves(y_pred), fillvalue=""):
            true_words = Counter(normalize_and_tokenize(str(truth)))
            pred_words = Counter(normalize_and_tokenize(str(guess)))
            common = sum((true_words & pred_words).values())
            tp.append(float(common))
            fp.append(float(sum(pred_words.values()) - common))
            fn.append(float(sum(true_words.values()) - common))
            support.append(float(sum(true_words.values())))
        return tp, fp, fn, support


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
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None) -> None:
        super().__init__(average=average, name=name, in_mask=in_mask, out_mask=out_mask)


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
                 out_mask: list[str] | None = None) -> None:
        super().__init__(average=average, beta=beta, name=name, in_mask=in_mask,
                         out_mask=out_mask)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not (
                0.0 < threshold <= 1.0):
            raise ValueError(f"Expected 0 < threshold <= 1. Received: threshold={threshold!r}")
        self.threshold = float(threshold)

    def _binary(self, value: Any) -> float:
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, int | float):
            return 1.0 if value > self.threshold else 0.0
        raise ValueError(
            f"Expected every field of {type(self).__name__} to be a boolean or a number; "
            f"mask the others with in_mask/out_mask. Received: {value!r}")

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        true = [self._binary(v) for v in leaves(y_true)]
        pred = [self._binary(v) for v in leaves(y_pred)]
        pairs = list(zip_longest(true, pred, fillvalue=0.0))
        return ([t * p for t, p in pairs], [(1 - t) * p for t, p in pairs],
                [t * (1 - p) for t, p in pairs], [t for t, _ in pairs])

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
                 out_mask: list[str] | None = None) -> None:
        super().__init__(average=average, threshold=threshold, name=name, in_mask=in_mask,
                         out_mask=out_mask)


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
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None) -> None:
        super().__init__(average=average, beta=beta, name=name, in_mask=in_mask,
                         out_mask=out_mask)
        self.labels = [str(label) for label in labels] if labels is not None else None

    def _counts(self, y_true: Any, y_pred: Any) -> Counts:
        true = [str(v) for v in leaves(y_true)]
        pred = [str(v) for v in leaves(y_pred)]
        true_set, pred_set = set(true), set(pred)
        if self.labels is None:  # one pooled count per sample
            common = len(true_set & pred_set)
            return ([float(common)], [float(len(pred_set) - common)],
                    [float(len(true_set) - common)], [float(len(true))])
        marks = [(label in true_set, label in pred_set) for label in self.labels]
        return ([float(t and p) for t, p in marks], [float(p and not t) for t, p in marks],
                [float(t and not p) for t, p in marks], [float(t) for t, _ in marks])

    def result(self) -> Any:
        value = super().result()
        if self.labels is not None and self.average is None and isinstance(value, list):
            return dict(zip(self.labels, value, strict=True))
        return value

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
                 out_mask: list[str] | None = None) -> None:
        super().__init__(average=average, labels=labels, name=name, in_mask=in_mask,
                         out_mask=out_mask)


# Synalinks' earlier names, kept by Synalinks as aliases.
ListFBetaScore = CategoricalFBetaScore
ListF1Score = CategoricalF1Score
