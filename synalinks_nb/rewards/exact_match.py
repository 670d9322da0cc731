"""``ExactMatch``: 1.0 when prediction and ground truth are the same JSON, else 0.0."""

from __future__ import annotations

import json
from typing import Any

from synalinks_nb.rewards.feedback import Feedback
from synalinks_nb.rewards.reward import Reward
from synalinks_nb.utils.registry import register_builtin, register_builtin_function

__all__ = ["ExactMatch", "exact_match"]


@register_builtin_function
def exact_match(y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None) -> float:
    """1.0 when both JSON values are equal (a missing prediction scores 0.0).

    Example:
        >>> exact_match({"answer": "Paris"}, {"answer": "Paris"})
        1.0
    """
    if y_pred is None:
        return 0.0
    return 1.0 if y_true == y_pred else 0.0


@register_builtin
class ExactMatch(Reward):
    """Reward exact equality of the (masked) JSON values.

    A miss comes with the feedback ``expected <label>, got <prediction>`` (the
    masked JSON of both), which a reflective optimizer reads.

    Example:
        >>> import asyncio
        >>> reward = ExactMatch(in_mask=["answer"])
        >>> asyncio.run(reward({"answer": "Paris"}, {"thinking": "...", "answer": "Paris"}))
        1.0
    """

    requires_labels = True

    concurrent = False  # a comparison: nothing to wait for

    async def call(self, y_true: dict[str, Any] | None,
                   y_pred: dict[str, Any] | None) -> Feedback:
        score = exact_match(y_true, y_pred)
        if score == 1.0:
            return Feedback(score, "correct")
        got = "no answer" if y_pred is None else _dump(y_pred)
        return Feedback(score, f"expected {_dump(y_true)}, got {got}")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
