"""``ProgramCheckpoint``: save the program after epochs (all, or only the best).

By default the whole program is saved (``program.save``: architecture, compile
config with optimizer state, variables and their histories); with
``save_variables_only=True`` only the variables (``program.save_variables``,
Keras' ``save_weights_only``). ``save_fn(program, path)`` replaces both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks._checks import checked_path
from synalinks_nb.callbacks.monitor_callback import MonitorCallback
from synalinks_nb.events import one_based

__all__ = ["ProgramCheckpoint"]


def _save_program(program: Any, path: str) -> None:
    program.save(path, overwrite=True)


def _save_variables(program: Any, path: str) -> None:
    program.save_variables(path, overwrite=True)


class ProgramCheckpoint(MonitorCallback):
    """Save after each epoch, or every ``save_freq`` batches; all saves, or only the best.

    Args:
        filepath: e.g. ``"ckpt/qa-{epoch:02d}-{val_reward:.2f}.json"``; may use ``{epoch}``
            (1-based), ``{batch}`` (1-based, with an int ``save_freq``) and any log key.
        monitor: log key for ``save_best_only`` (``"val_reward"`` falls back to
            ``"reward"`` when ``fit`` has no validation data, with a log line).
        verbose: 1 prints a line each time the callback saves or skips a save.
        save_best_only: save only when ``monitor`` improves.
        save_variables_only: save only the variables (Keras' ``save_weights_only``).
        mode: ``"max"``, ``"min"`` or ``"auto"`` (see
            :class:`~synalinks_nb.callbacks.MonitorCallback`; rewards grow).
        save_freq: ``"epoch"``, or an int number of training batches between saves.
        initial_value_threshold: the value ``monitor`` must beat before the first save
            when ``save_best_only`` is set.
        save_fn: ``save_fn(program, path)``, replacing both kinds of save.

    Example:
        >>> ProgramCheckpoint("ckpt-{epoch}-{batch}.json", save_freq=2,
        ...                   initial_value_threshold=0.5).best
        0.5
        >>> ProgramCheckpoint("ckpt.json", save_freq="hourly")
        Traceback (most recent call last):
        ...
        ValueError: Expected save_freq to be "epoch" or a positive int. Received: save_freq='hourly'
    """

    def __init__(self, filepath: str | Path, monitor: str = "val_reward", verbose: int = 0,
                 save_best_only: bool = False, save_variables_only: bool = False,
                 mode: str = "auto", save_freq: str | int = "epoch",
                 initial_value_threshold: float | None = None,
                 save_fn: Callable[[Any, str], Any] | None = None) -> None:
        super().__init__(monitor=monitor, mode=mode, baseline=initial_value_threshold)
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(
                save_freq, int) or save_freq <= 0):
            raise ValueError('Expected save_freq to be "epoch" or a positive int. '
                             f"Received: save_freq={save_freq!r}")
        if save_fn is not None and not callable(save_fn):
            raise TypeError(f"Expected save_fn to be callable. Received: save_fn={save_fn!r}")
        self.filepath = str(checked_path("filepath", filepath))
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_freq = save_freq
        self.save_fn = save_fn or (_save_variables if save_variables_only else _save_program)
        self.saved: list[str] = []
        self._epoch = 0
        self._batches_since_save = 0

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if not isinstance(self.save_freq, int):
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._maybe_save(self._epoch, batch, logs or {})

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.save_freq == "epoch":
            self._maybe_save(epoch, None, logs or {})

    def _improved(self, logs: dict[str, Any]) -> bool:
        value = self.get_monitor_value(logs)
        if value is None:
            self._say(f"{self.monitor} is not in the logs: nothing saved")
            return False
        before = self.best
        if self.improved(value):
            self._say(f"{self.monitor} improved from {before} to {value}")
            return True
        self._say(f"{self.monitor} did not improve from {self.best}")
        return False

    def _maybe_save(self, epoch: int, batch: int | None, logs: dict[str, Any]) -> None:
        if self.save_best_only and not self._improved(logs):
            return
        fields = {"epoch": one_based(epoch), **logs}
        if batch is not None:
            fields.setdefault("batch", one_based(batch))
        path = self.filepath.format(**fields)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._say(f"saving program to {path}")
        self.save_fn(self.program, path)
        self.saved.append(path)

    def _say(self, message: str) -> None:
        if self.verbose:
            print(f"ProgramCheckpoint: {message}")
