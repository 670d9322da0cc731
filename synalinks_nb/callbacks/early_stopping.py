"""``EarlyStopping``: stop when a monitored value stops improving."""

from __future__ import annotations

import logging
from typing import Any

from synalinks_nb.callbacks._checks import (
    checked_choice,
    checked_int,
    checked_number,
    checked_str,
)
from synalinks_nb.callbacks.callback import Callback

__all__ = ["EarlyStopping"]

_log = logging.getLogger(__name__)


class EarlyStopping(Callback):
    """Stop ``fit`` after ``patience`` epochs without improvement of ``monitor``.

    Args:
        monitor: the log key (``"val_reward"``; falls back to ``"reward"`` when
            there is no validation data, with a log line).
        min_delta: the smallest change that counts as an improvement.
        patience: epochs without improvement before stopping.
        mode: ``"max"`` (rewards) or ``"min"``.
        restore_best_variables: put back the best epoch's values when stopping.
        start_from_epoch: epochs to wait before monitoring.

    Example:
        >>> cb = EarlyStopping(monitor="reward", patience=1)
        >>> cb.on_train_begin()
        >>> cb.on_epoch_end(0, {"reward": 0.5}); cb.on_epoch_end(1, {"reward": 0.5})
        >>> cb.stopped_epoch
        1
    """

    def __init__(self, monitor: str = "val_reward", min_delta: float = 0.0, patience: int = 0,
                 mode: str = "max", restore_best_variables: bool = False,
                 start_from_epoch: int = 0) -> None:
        super().__init__()
        self.monitor = checked_str("monitor", monitor)
        self.min_delta = abs(checked_number("min_delta", min_delta))
        self.patience = checked_int("patience", patience)
        self.mode = checked_choice("mode", mode, ("max", "min"))
        self.restore_best_variables = bool(restore_best_variables)
        self.start_from_epoch = checked_int("start_from_epoch", start_from_epoch)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.wait = 0
        self.stopped_epoch: int | None = None
        self.best: float | None = None
        self.best_values: dict[str, Any] | None = None

    def _improved(self, value: float) -> bool:
        if self.best is None:
            return True
        if self.mode == "max":
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        key = self.monitor
        if key not in logs and key.startswith("val_") and key[4:] in logs:
            _log.info("EarlyStopping: %r not in logs (no validation data); using %r.",
                      key, key[4:])
            key = key[4:]
        if key not in logs or epoch < self.start_from_epoch:
            return
        value = float(logs[key])
        if self._improved(value):
            self.best, self.wait = value, 0
            if self.restore_best_variables and self.program is not None:
                self.best_values = {v.path: v.get_json() for v in self.program.variables}
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            if self.program is not None:
                self.program.stop_training = True
                self._restore()

    def _restore(self) -> None:
        if not self.best_values:
            return
        for variable in self.program.variables:
            best = self.best_values.get(variable.path)
            if best is not None and best != variable.get_json():
                variable.assign(best, source="revert", decided_by="policy",
                                note="EarlyStopping: best epoch restored")
