"""``MonitorCallback``: the base of callbacks that watch one logged value (Keras' name).

``EarlyStopping`` and ``ProgramCheckpoint`` both ask the same questions of the logs
they receive: which value to watch (``val_reward``, falling back to ``reward`` when
``fit`` has no validation data), which way is better (``mode``), and whether a new
value beats the best one by at least ``min_delta``. This base answers them once.

Synalinks' ``callbacks.Monitor`` is a different thing (an MLflow logger), so the
base keeps Keras' name.
"""

from __future__ import annotations

import logging
from typing import Any

from synalinks_nb.callbacks._checks import checked_choice, checked_number, checked_str
from synalinks_nb.callbacks.callback import Callback

__all__ = ["MonitorCallback"]

_log = logging.getLogger(__name__)

# "auto" picks "min" for these (what a run spends or gets wrong), "max" for the rest
# (rewards and the quality metrics, which all grow).
_SHRINKING = ("error", "failure", "cost", "token", "latency", "elapsed")


class MonitorCallback(Callback):
    """Base class of callbacks that act when a logged value improves.

    Args:
        monitor: the log key to watch (``"val_reward"``, ``"reward"``, a metric's
            name, with or without ``val_``). A ``val_`` key missing from the logs
            (``fit`` without validation data) falls back to the key without the
            prefix, said once in the log.
        mode: ``"max"``, ``"min"`` or ``"auto"`` (``"min"`` for keys naming errors,
            failures, cost, tokens, latency or elapsed time; ``"max"`` otherwise).
        min_delta: the smallest change that counts as an improvement.
        baseline: the value to beat first (``None``: the first value seen improves).

    Subclasses call :meth:`get_monitor_value` on the logs they receive and
    :meth:`improved` to compare it with :attr:`best` (and record it when better);
    :meth:`reset_best` starts over (at ``on_train_begin``, say).

    Example:
        A callback that counts the epochs whose reward improved by at least 0.1:

        >>> class Progress(MonitorCallback):
        ...     def __init__(self):
        ...         super().__init__(monitor="reward", min_delta=0.1)
        ...         self.improvements = 0
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         value = self.get_monitor_value(logs)
        ...         if value is not None and self.improved(value):
        ...             self.improvements += 1
        >>> cb = Progress()
        >>> for epoch, reward in enumerate([0.5, 0.55, 0.7, 0.7]):
        ...     cb.on_epoch_end(epoch, {"reward": reward})
        >>> cb.improvements, cb.best
        (2, 0.7)
    """

    def __init__(self, monitor: str = "val_reward", mode: str = "auto",
                 min_delta: float = 0.0, baseline: float | None = None) -> None:
        super().__init__()
        self.monitor = checked_str("monitor", monitor)
        checked_choice("mode", mode, ("auto", "min", "max"))
        self.mode = _resolved_mode(self.monitor) if mode == "auto" else mode
        self.min_delta = abs(checked_number("min_delta", min_delta))
        self.baseline = None if baseline is None else checked_number("baseline", baseline)
        self.best: float | None = self.baseline
        self._fallback_said = False

    def reset_best(self) -> None:
        """Forget the best value seen: the next must beat ``baseline`` (if any) only."""
        self.best = self.baseline

    def get_monitor_value(self, logs: dict[str, Any] | None) -> float | None:
        """The watched value in ``logs`` (``None`` when absent), see ``monitor``."""
        logs = logs or {}
        key = self.monitor
        if key not in logs and key.startswith("val_") and key[4:] in logs:
            if not self._fallback_said:
                _log.info("%s: %r not in the logs (no validation data); watching %r.",
                          type(self).__name__, key, key[4:])
                self._fallback_said = True
            key = key[4:]
        value = logs.get(key)
        return None if value is None else float(value)

    def is_improvement(self, value: float, reference: float | None) -> bool:
        """Whether ``value`` beats ``reference`` by more than ``min_delta`` (``None``:
        anything does)."""
        if reference is None:
            return True
        if self.mode == "max":
            return value - self.min_delta > reference
        return value + self.min_delta < reference

    def improved(self, value: float) -> bool:
        """Whether ``value`` beats :attr:`best`; if so it becomes the best."""
        if not self.is_improvement(value, self.best):
            return False
        self.best = value
        return True


def _resolved_mode(monitor: str) -> str:
    name = monitor.removeprefix("val_").lower()
    return "min" if any(word in name for word in _SHRINKING) else "max"
