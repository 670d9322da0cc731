"""Precision, recall and F1: over answer tokens, boolean fields, or list items.

Three families, as in Synalinks:

* ``F1Score``, ``Precision``, ``Recall`` — token overlap of the string fields
  (SQuAD-style), averaged over samples;
* ``BinaryF1Score``, ``BinaryPrecision``, ``BinaryRecall`` — boolean fields
  as positive/negative labels, counted over the whole run;
* ``ListF1Score``, ``ListPrecision``, ``ListRecall`` — items of list fields as
  predicted sets (categorical multi-label), counted over the whole run.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, ClassVar

from synalinks_nb.metrics.metric import Metric
from synalinks_nb.utils.registry import register_builtin

__all__ = [
    "BinaryF1Score",
    "BinaryPrecision",
    "BinaryRecall",
    "F1Score",
    "ListF1Score",
    "ListPrecision",
    "ListRecall",
    "Precision",
    "Recall",
]

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _tokens(value: dict[str, Any] | None) -> Counter[str]:
    text = " ".join(v for v in (value or {}).values() if isinstance(v, str))
    return Counter(t.lower() for t in _TOKEN.findall(text))


def _score(kind: str, tp: float, fp: float, fn: float) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    if kind == "precision":
        return precision
    if kind == "recall":
        return recall
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class _Counts(Metric):
    """Accumulates true/false positives and false negatives."""

    kind: ClassVar[str] = "f1"

    def __init__(self, name: str | None = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None) -> None:
        super().__init__(name=name, in_mask=in_mask, out_mask=out_mask)
        self.reset_state()

    def reset_state(self) -> None:
        self.tp = self.fp = self.fn = 0.0
        self.total = 0.0
        self.count = 0

    def _counts(self, y_true: dict[str, Any], y_pred: dict[str, Any]) -> tuple[int, int, int]:
        raise NotImplementedError

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        true, pred = self._prepare(y_true) or {}, self._prepare(y_pred) or {}
        tp, fp, fn = self._counts(true, pred)
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn
        self.total += _score(self.kind, tp, fp, fn)
        self.count += 1

    def result(self) -> float:
        return _score(self.kind, self.tp, self.fp, self.fn)


class _TokenCounts(_Counts):
    def _counts(self, y_true: dict[str, Any], y_pred: dict[str, Any]) -> tuple[int, int, int]:
        true, pred = _tokens(y_true), _tokens(y_pred)
        common = sum((true & pred).values())
        return common, sum(pred.values()) - common, sum(true.values()) - common

    def result(self) -> float:
        # Per-sample average, as in SQuAD: long answers do not dominate.
        return self.total / self.count if self.count else 0.0


class _BinaryCounts(_Counts):
    def _counts(self, y_true: dict[str, Any], y_pred: dict[str, Any]) -> tuple[int, int, int]:
        tp = fp = fn = 0
        for key, truth in y_true.items():
            if not isinstance(truth, bool):
                continue
            guess = y_pred.get(key) is True
            tp += truth and guess
            fp += (not truth) and guess
            fn += truth and not guess
        return tp, fp, fn


class _ListCounts(_Counts):
    def _counts(self, y_true: dict[str, Any], y_pred: dict[str, Any]) -> tuple[int, int, int]:
        tp = fp = fn = 0
        for key, truth in y_true.items():
            if not isinstance(truth, list):
                continue
            guess = y_pred.get(key)
            true_set = {repr(x) for x in truth}
            pred_set = {repr(x) for x in guess} if isinstance(guess, list) else set()
            tp += len(true_set & pred_set)
            fp += len(pred_set - true_set)
            fn += len(true_set - pred_set)
        return tp, fp, fn


@register_builtin
class F1Score(_TokenCounts):
    """Token F1 of the string fields, averaged over samples.

    Example:
        >>> import asyncio
        >>> m = F1Score()
        >>> asyncio.run(m.update_state({"answer": "the cat sat"}, {"answer": "the cat"}))
        >>> round(m.result(), 3)
        0.8
    """

    kind = "f1"


@register_builtin
class Precision(_TokenCounts):
    """Share of predicted tokens found in the ground truth, averaged over samples."""

    kind = "precision"


@register_builtin
class Recall(_TokenCounts):
    """Share of ground-truth tokens found in the prediction, averaged over samples."""

    kind = "recall"


@register_builtin
class BinaryF1Score(_BinaryCounts):
    """F1 of boolean fields taken as labels, over the run.

    Example:
        >>> import asyncio
        >>> m = BinaryF1Score()
        >>> asyncio.run(m.update_state({"spam": True}, {"spam": True}))
        >>> asyncio.run(m.update_state({"spam": False}, {"spam": True}))
        >>> round(m.result(), 3)
        0.667
    """

    kind = "f1"


@register_builtin
class BinaryPrecision(_BinaryCounts):
    """Precision of boolean fields taken as labels, over the run."""

    kind = "precision"


@register_builtin
class BinaryRecall(_BinaryCounts):
    """Recall of boolean fields taken as labels, over the run."""

    kind = "recall"


@register_builtin
class ListF1Score(_ListCounts):
    """F1 of list items taken as predicted labels (multi-label), over the run.

    Example:
        >>> import asyncio
        >>> m = ListF1Score()
        >>> asyncio.run(m.update_state({"tags": ["a", "b"]}, {"tags": ["a"]}))
        >>> round(m.result(), 3)
        0.667
    """

    kind = "f1"


@register_builtin
class ListPrecision(_ListCounts):
    """Precision of list items taken as predicted labels, over the run."""

    kind = "precision"


@register_builtin
class ListRecall(_ListCounts):
    """Recall of list items taken as predicted labels, over the run."""

    kind = "recall"
