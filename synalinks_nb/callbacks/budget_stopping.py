"""``BudgetStopping``: stop training when calls, cost or time exceed a budget."""

from __future__ import annotations

import time
from typing import Any

from synalinks_nb.callbacks._checks import checked_int, checked_number
from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.language_models.usage import language_models_of

__all__ = ["BudgetStopping"]


class BudgetStopping(Callback):
    """Stop ``fit`` (after the current batch) once a budget is spent.

    Counts every phase (inference, reward, optimizer) since ``fit`` started.

    Args:
        max_calls: language-model calls allowed.
        max_cost: cost allowed (provider prices; scripted and local models cost 0).
        max_seconds: wall-clock seconds allowed.
        language_models: models to watch (default: those found in the program).

    Example:
        >>> BudgetStopping(max_calls=100).stop_reason is None
        True
    """

    def __init__(self, max_calls: int | None = None, max_cost: float | None = None,
                 max_seconds: float | None = None, language_models: list[Any] | None = None
                 ) -> None:
        super().__init__()
        self.max_calls = None if max_calls is None else checked_int("max_calls", max_calls)
        self.max_cost = None if max_cost is None else checked_number("max_cost", max_cost, 0)
        self.max_seconds = (None if max_seconds is None
                            else checked_number("max_seconds", max_seconds, 0))
        self.language_models = language_models
        self.stop_reason: str | None = None

    def _usage(self) -> tuple[float, float]:
        calls = cost = 0.0
        for lm in self._models:
            total = lm.usage.total
            calls += total.calls
            cost += total.cost
        return calls, cost

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._models = self.language_models or language_models_of(self.program)
        self._start = time.monotonic()
        self._calls0, self._cost0 = self._usage()
        self.stop_reason = None

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        calls, cost = self._usage()
        calls -= self._calls0
        cost -= self._cost0
        elapsed = time.monotonic() - self._start
        if self.max_calls is not None and calls >= self.max_calls:
            self.stop_reason = f"{int(calls)} calls >= max_calls={self.max_calls}"
        elif self.max_cost is not None and cost >= self.max_cost:
            self.stop_reason = f"cost {cost:.4f} >= max_cost={self.max_cost}"
        elif self.max_seconds is not None and elapsed >= self.max_seconds:
            self.stop_reason = f"{elapsed:.1f}s >= max_seconds={self.max_seconds}"
        if self.stop_reason and self.program is not None:
            self.program.stop_training = True
