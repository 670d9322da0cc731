"""``EarlyStopping``: stop when a monitored value stops improving (or reaches a target)."""

from __future__ import annotations

from typing import Any

from synalinks_nb.callbacks._checks import checked_int, checked_number
from synalinks_nb.callbacks.monitor_callback import MonitorCallback

__all__ = ["EarlyStopping"]


class EarlyStopping(MonitorCallback):
    """Stop ``fit`` after ``patience`` epochs without improvement of ``monitor``.

    The arguments are Synalinks' (and so in its order).

    Args:
        monitor: the log key (``"val_reward"``; falls back to ``"reward"`` when
            there is no validation data, with a log line).
        min_delta: the smallest change that counts as an improvement.
        stop_at: stop as soon as ``monitor`` reaches this value (``>=`` in ``"max"``
            mode, ``<=`` in ``"min"``); ``None``: never. Synalinks defaults to 1.0.
        patience: epochs without improvement before stopping.
        verbose: 1 prints a line when the callback stops training or restores.
        mode: ``"max"``, ``"min"`` or ``"auto"`` (see
            :class:`~synalinks_nb.callbacks.MonitorCallback`; rewards grow).
        baseline: the value to beat; epochs that do not beat it count towards
            ``patience``.
        restore_best_variables: put back the best epoch's values when stopping.
        start_from_epoch: epochs to wait before monitoring.

    Example:
        >>> cb = EarlyStopping(monitor="reward", patience=1)
        >>> cb.on_train_begin()
        >>> cb.on_epoch_end(0, {"reward": 0.5}); cb.on_epoch_end(1, {"reward": 0.5})
        >>> cb.stopped_epoch
        1
        >>> cb = EarlyStopping(monitor="reward", stop_at=0.9)
        >>> cb.on_train_begin()
        >>> cb.on_epoch_end(0, {"reward": 0.95}); cb.stopped_epoch
        0
    """

    def __init__(self, monitor: str = "val_reward", min_delta: float = 0.0,
                 stop_at: float | None = None, patience: int = 0, verbose: int = 0,
                 mode: str = "auto", baseline: float | None = None,
                 restore_best_variables: bool = False, start_from_epoch: int = 0) -> None:
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta, baseline=baseline)
        self.stop_at = None if stop_at is None else checked_number("stop_at", stop_at)
        self.patience = checked_int("patience", patience)
        self.verbose = checked_int("verbose", verbose)
        self.restore_best_variables = bool(restore_best_variables)
        self.start_from_epoch = checked_int("start_from_epoch", start_from_epoch)
        self.wait = 0
        self.stopped_epoch: int | None = None
        self.best_values: dict[str, Any] | None = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.wait = 0
        self.stopped_epoch = None
        self.best_values = None
        self.reset_best()

    def _reached(self, value: float) -> bool:
        if self.stop_at is None:
            return False
        return value >= self.stop_at if self.mode == "max" else value <= self.stop_at

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        value = self.get_monitor_value(logs)
        if value is None or epoch < self.start_from_epoch:
            return
        if self.improved(value):
            self.wait = 0
            if self.restore_best_variables and self.program is not None:
                self.best_values = {v.path: v.get_json() for v in self.program.variables}
        else:
            self.wait += 1
        if self._reached(value):
            self._stop(epoch, f"{self.monitor} reached stop_at={self.stop_at}")
        elif self.wait > 0 and self.wait >= self.patience:
            self._stop(epoch, f"no improvement of {self.monitor} for {self.wait} epoch(s)")

    def _stop(self, epoch: int, why: str) -> None:
        self.stopped_epoch = epoch
        self._say(f"epoch {epoch + 1}: early stopping ({why})")
        if self.program is not None:
            self.program.stop_training = True
            self._restore()

    def _restore(self) -> None:
        if not self.best_values:
            return
        self._say("restoring the variables of the best epoch")
        for variable in self.program.variables:
            best = self.best_values.get(variable.path)
            if best is not None and best != variable.get_json():
                variable.assign(best, source="revert", decided_by="policy",
                                note="EarlyStopping: best epoch restored")

    def _say(self, message: str) -> None:
        if self.verbose:
            print(f"EarlyStopping: {message}")
