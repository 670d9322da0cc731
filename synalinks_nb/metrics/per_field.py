"""What Synalinks' accuracy and F-beta metrics share: counts per JSON field over the run.

The fields of a prediction are the leaves of its JSON, dict keys sorted (as Synalinks'
``tree.flatten`` orders them). For each sample a metric counts, per field position,
quantities such as true positives or words in common, and adds them to the run's
totals (positions a sample does not have get nothing: lists may vary in length).

``average`` decides what ``result()`` gives: ``None`` one score per field (a float when
there is one; a ``{label: score}`` dict for metrics counting per label), ``"micro"`` one
score from the summed counts, ``"macro"`` the mean of the fields' scores, ``"weighted"``
their mean weighted by the ground truth's support.

A failed prediction (``None``) counts as an empty answer, so it lowers the score: Synalinks
skips it, which hides failures from its metrics. A sample without ground truth is skipped.
"""

from __future__ import annotations

import re
import string
from itertools import zip_longest
from typing import Any, ClassVar

from synalinks_nb.metrics.metric import Metric

__all__ = ["AVERAGES", "PerFieldMetric", "binary_leaves", "checked_threshold", "leaves",
           "normalize_and_tokenize", "ratio"]

AVERAGES = (None, "micro", "macro", "weighted")
_DROPPED_WORDS = re.compile(r"\b(a|an|the|of|is)\b", re.UNICODE)
_PUNCTUATION = str.maketrans("", "", string.punctuation)


def normalize_and_tokenize(text: str) -> list[str]:
    """Synalinks' word tokens: lower case, no ``a an the of is``, no punctuation.

    Example:
        >>> normalize_and_tokenize("The capital of Japan is Tokyo.")
        ['capital', 'japan', 'tokyo']
    """
    return _DROPPED_WORDS.sub("", text.lower()).translate(_PUNCTUATION).split()


def leaves(json: Any) -> list[Any]:
    """The JSON's leaves, dict keys sorted and ``None`` kept, as Synalinks flattens.

    Example:
        >>> leaves({"b": [1, 2], "a": {"z": None}})
        [None, 1, 2]
    """
    if isinstance(json, dict):
        return [leaf for key in sorted(json) for leaf in leaves(json[key])]
    if isinstance(json, list | tuple):
        return [leaf for item in json for leaf in leaves(item)]
    return [json]


def checked_threshold(threshold: float) -> float:
    """``threshold`` as a float, if ``0 < threshold <= 1`` (the binary metrics' cut)."""
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not (
            0.0 < threshold <= 1.0):
        raise ValueError(f"Expected 0 < threshold <= 1. Received: threshold={threshold!r}")
    return float(threshold)


def binary_leaves(json: Any, threshold: float, metric: str) -> list[float]:
    """The JSON's leaves as 0.0 / 1.0: booleans as they are, numbers above ``threshold``
    as 1.0; any other leaf is a ``ValueError`` naming ``metric``.

    Example:
        >>> binary_leaves({"a": True, "b": 0.7, "c": 0.2}, 0.5, "BinaryAccuracy")
        [1.0, 1.0, 0.0]
    """
    def binary(value: Any) -> float:
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, int | float):
            return 1.0 if value > threshold else 0.0
        raise ValueError(
            f"Expected every field of {metric} to be a boolean or a number; mask the "
            f"others with in_mask/out_mask. Received: {value!r}")

    return [binary(v) for v in leaves(json)]


def ratio(num: float, den: float) -> float:
    """``num / den``, 0 when ``den`` is 0 (Synalinks adds an epsilon to ``den`` instead)."""
    return num / den if den else 0.0


class PerFieldMetric(Metric):
    """Base of the per-field metrics (see the module docstring).

    Subclass contract: set ``counters`` (the names of the per-position counts, ending with
    ``"support"``), implement ``_counts(y_true, y_pred)`` returning one list per counter
    for a sample, ``_score(counts)`` mapping one position's counts (a dict) to a score,
    and set ``default_name``. A subclass counting per label sets ``self.labels``.
    """

    counters: ClassVar[tuple[str, ...]] = ("support",)
    default_name: ClassVar[str] = "per_field"

    def __init__(self, average: str | None = None, name: str | None = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(name=name or self.default_name, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        if average not in AVERAGES:
            raise ValueError(f"Expected average in {list(AVERAGES)}. "
                             f"Received: average={average!r}")
        self.average = average
        self.labels: list[str] | None = None
        self.reset_state()

    def reset_state(self) -> None:
        self.counts: dict[str, list[float]] = {name: [] for name in self.counters}

    def _counts(self, y_true: Any, y_pred: Any) -> dict[str, list[float]]:
        raise NotImplementedError(f"{type(self).__name__} must implement _counts.")

    def _score(self, counts: dict[str, float]) -> float:
        raise NotImplementedError(f"{type(self).__name__} must implement _score.")

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        true = self._prepare(y_true)
        if true is None:
            return
        fresh = self._counts(true, self._prepare(y_pred) or {})
        for name in self.counters:
            self.counts[name] = [a + b for a, b in zip_longest(
                self.counts[name], fresh[name], fillvalue=0.0)]

    def result(self) -> Any:
        """A float, or (``average=None``, several fields) a list, or a dict by label."""
        positions = len(self.counts["support"])
        if not positions:
            return 0.0
        if self.average == "micro":
            return self._score({name: sum(values) for name, values in self.counts.items()})
        scores = [self._score({name: values[i] for name, values in self.counts.items()})
                  for i in range(positions)]
        if self.average == "macro":
            return sum(scores) / len(scores)
        if self.average == "weighted":
            support = self.counts["support"]
            total = sum(support)
            return sum(s * ratio(w, total) for s, w in zip(scores, support, strict=True))
        if self.labels is not None:
            return dict(zip(self.labels, scores, strict=True))
        return scores[0] if len(scores) == 1 else scores

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "average": self.average}
