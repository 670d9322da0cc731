"""When a proposal that won on its batch is good enough to offer: the acceptance rule.

A minibatch of 8 is a poor judge: a few-shot candidate that copies one of the
batch's own labels wins there and loses everywhere else (measured with
SmolLM2-135M: a candidate went 0.50 → 0.62 on its batch while validation fell
from 0.81 to 0.50). So, by default (``fit(acceptance="validation")``):

1. a candidate must beat the current value on its batch (cheap: a batch of calls);
2. it is then scored on the **confirmation data** — the validation data given
   to ``fit``, or, when there is none, a fixed held-out slice of the training
   data (``holdout``; it is not trained on) — and must beat the current
   value's score there too before the approval policy sees it;
3. the program's best state on the confirmation data (the starting one
   included) is remembered, and restored at the end of ``fit`` unless a person
   decided a change since (Keras' ``restore_best_weights``).

Cost: the confirmation data is run once at the start of ``fit`` (the starting
value's score), once per candidate that wins its batch, and never for the
others. With 16 validation samples and 9 batches that is at most 16 × 10 calls
more per trainable variable, usually far fewer.
``acceptance="batch"`` restores the old rule (batch only, nothing held out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb import events as ev
from synalinks_nb.trainers.flips import Outcomes

__all__ = ["Acceptance", "BestState", "Confirmation", "restore_best"]

_MODES = ("validation", "batch")


@dataclass(frozen=True)
class Acceptance:
    """How ``fit`` decides that a proposal is worth offering (see the module docstring).

    Args:
        mode: ``"validation"`` (confirm on validation data or a held-out slice)
            or ``"batch"`` (the batch alone decides).
        holdout: fraction of the training data held out for confirmation when
            ``fit`` gets no validation data. When it would leave fewer than
            ``min_holdout`` samples on either side, the whole training set
            confirms instead (nothing held out).
        min_holdout: see ``holdout``.
        restore_best: end ``fit`` on the best state seen on the confirmation data.

    Example:
        >>> Acceptance.get("batch").mode
        'batch'
        >>> Acceptance(holdout=0.25).split(list(range(16)), None)[2]
        [12, 13, 14, 15]
        >>> Acceptance().split([1, 2, 3], None)[2]  # too few to hold out: all of them confirm
        [1, 2, 3]
    """

    mode: str = "validation"
    holdout: float = 0.25
    min_holdout: int = 4
    restore_best: bool = True

    def __post_init__(self) -> None:
        if self.mode not in _MODES:
            raise ValueError(f"Expected acceptance mode in {_MODES}. Received: {self.mode!r}")
        if not 0.0 < self.holdout < 1.0:
            raise ValueError(f"Expected holdout in (0, 1). Received: holdout={self.holdout!r}")
        if isinstance(self.min_holdout, bool) or not isinstance(self.min_holdout, int) \
                or self.min_holdout < 1:
            raise ValueError("Expected min_holdout to be a positive int. Received: "
                             f"min_holdout={self.min_holdout!r}")

    @classmethod
    def get(cls, value: Any) -> Acceptance:
        """An :class:`Acceptance` from itself, a mode string, or ``None`` (the default)."""
        if value is None:
            return cls()
        if isinstance(value, Acceptance):
            return value
        if isinstance(value, str):
            return cls(mode=value)
        raise TypeError(f"Expected acceptance to be {_MODES}, an Acceptance or None. "
                        f"Received: {type(value).__name__}")

    def confirmation(self, xs: list[Any], ys: list[Any] | None, xv: list[Any],
                     yv: list[Any] | None
                     ) -> tuple[list[Any], list[Any] | None, Confirmation | None]:
        """The training data left and the data proposals are confirmed on: the validation
        data, else a held-out slice of ``xs`` (see :meth:`split`); none in ``"batch"`` mode."""
        if self.mode != "validation":
            return xs, ys, None
        if xv:
            return xs, ys, Confirmation(xv, yv, held_out=False)
        xt, yt, xc, yc = self.split(xs, ys)
        return xt, yt, Confirmation(xc, yc, held_out=xc is not xs)

    def split(self, x: list[Any], y: list[Any] | None
              ) -> tuple[list[Any], list[Any] | None, list[Any], list[Any] | None]:
        """``(x_train, y_train, x_confirm, y_confirm)`` when there is no validation data.

        The held-out slice is the last ``holdout`` of the samples (before shuffling),
        so it is the same on every run with the same data.
        """
        n = round(len(x) * self.holdout)
        if n < self.min_holdout or len(x) - n < self.min_holdout:
            return x, y, x, y
        cut = len(x) - n
        return x[:cut], None if y is None else y[:cut], x[cut:], None if y is None else y[cut:]


@dataclass
class BestState:
    """The best confirmation score seen and the variable values that earned it."""

    score: float = -math.inf
    values: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)


@dataclass
class Confirmation:
    """The confirmation data of one ``fit`` and what is known of the program's score on it.

    ``score`` is the current (accepted) state's score, ``None`` when unknown
    (after an edit or a revert: measured again when needed); ``outcomes`` its
    per-sample outputs and rewards when known (a reflective optimizer compares
    candidates sample by sample, and a proposal lists the samples it flipped);
    ``candidates`` the outcomes of the candidates being confirmed, by proposal id.
    """

    x: list[Any]
    y: list[Any] | None
    held_out: bool
    score: float | None = None
    best: BestState = field(default_factory=BestState)
    outcomes: Outcomes | None = None
    candidates: dict[str, Outcomes] = field(default_factory=dict)

    @property
    def scores(self) -> list[float] | None:
        """The current state's per-sample scores, when known."""
        return None if self.outcomes is None else self.outcomes.rewards

    def remember(self, score: float, variables: list[Any],
                 outcomes: Outcomes | None = None) -> bool:
        """Record ``score`` (and ``outcomes``, per sample, when known) for the current values;
        True when it is a new best."""
        self.score = score
        self.outcomes = outcomes
        if score <= self.best.score:
            return False
        self.best = BestState(score, {v.path: v.get_json() for v in variables},
                              {v.path: len(v.versions) - 1 for v in variables})
        return True


async def restore_best(run: Any, variables: list[Any], rule: Acceptance) -> dict[str, Any]:
        """End on the best state seen on the confirmation data, unless a person decided a
        change since that state was seen. Returns what to add to the ``train_end`` logs."""
        confirmation = run.confirmation
        if confirmation is None or confirmation.best.score == -math.inf:
            return {}
        best = confirmation.best
        logs: dict[str, Any] = {"best_val_reward": best.score, "restored_best": False}
        current = confirmation.score
        if not rule.restore_best or run.human_since_best or current is None \
                or current >= best.score:
            return logs
        for variable in variables:
            value = best.values.get(variable.path)
            if value is None or value == variable.get_json():
                continue
            before = variable.get_json()
            version = variable.assign(
                value, source="revert", decided_by="policy", val_reward_before=current,
                val_reward_after=best.score,
                note=f"best state on validation restored at the end of fit ({current:.3f} → "
                     f"{best.score:.3f}; version {best.versions.get(variable.path)})")
            await run.emit(ev.VariableChanged(
                variable_path=variable.path, before=before, after=version.value,
                version=version.index, source=version.source, decided_by=version.decided_by,
                val_reward_before=current, val_reward_after=best.score))
        confirmation.score, confirmation.outcomes = best.score, None
        logs["restored_best"] = True
        return logs
