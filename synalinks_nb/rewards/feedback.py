"""``Feedback``: a reward's score together with a text saying what was wrong (or right).

A score tells an optimizer *how* good a prediction was; a sentence tells it
*why* ("expected PARIS, got LYON"). A reflective optimizer
(:class:`~synalinks_nb.optimizers.GEPA`) reads that sentence to rewrite the
instructions. A reward's ``call`` (or a reward function) may return

* a number — the score alone, as before;
* a :class:`Feedback` — ``Feedback(score, "why")``;
* a pair ``(score, "why")``;
* a dict ``{"score": ..., "feedback": "why"}``.

``await reward(y_true, y_pred)`` still returns the float, so existing code is
unchanged; ``await reward.evaluate(y_true, y_pred)`` returns the :class:`Feedback`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Feedback", "to_feedback"]


@dataclass(frozen=True)
class Feedback:
    """A score and, optionally, a text explaining it.

    Attributes:
        score: the reward, a float (in [0, 1] for the built-ins).
        feedback: what a reflective optimizer should read about this prediction,
            or ``None`` when the reward has nothing to say.

    Example:
        >>> Feedback(0.0, "expected 'PARIS', got 'LYON'")
        Feedback(score=0.0, feedback="expected 'PARIS', got 'LYON'")
        >>> float(Feedback(1.0))
        1.0
    """

    score: float
    feedback: str | None = None

    def __float__(self) -> float:
        return float(self.score)


def to_feedback(value: Any) -> Feedback:
    """A :class:`Feedback` from what a reward returned (see the module docstring).

    Example:
        >>> to_feedback(0.5), to_feedback((1, "right"))
        (Feedback(score=0.5, feedback=None), Feedback(score=1.0, feedback='right'))
        >>> to_feedback({"score": 0, "feedback": "empty answer"}).feedback
        'empty answer'
    """
    if isinstance(value, Feedback):
        return Feedback(float(value.score), value.feedback)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str | None):
        return Feedback(_score(value[0]), value[1])
    if isinstance(value, dict):
        if "score" not in value or set(value) - {"score", "feedback"}:
            raise TypeError("Expected a reward dict with the keys 'score' and optionally "
                            f"'feedback'. Received keys: {sorted(value)}")
        text = value.get("feedback")
        if text is not None and not isinstance(text, str):
            raise TypeError(f"Expected the reward's feedback to be a str or None. Received: "
                            f"{type(text).__name__}")
        return Feedback(_score(value["score"]), text)
    return Feedback(_score(value))


def _score(value: Any) -> float:
    # bools and numpy numbers count, as ``float(...)`` always allowed; text does not.
    if not isinstance(value, str):
        try:
            return float(value)
        except (TypeError, ValueError):
            pass
    raise TypeError("Expected a reward to return a number, a Feedback, a (score, feedback) "
                    f"pair or a {{'score', 'feedback'}} dict. Received: {value!r}")
