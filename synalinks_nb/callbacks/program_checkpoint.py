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

from synalinks_nb.callbacks._checks import checked_choice, checked_path, checked_str
from synalinks_nb.callbacks.callback import Callback

__all__ = ["ProgramCheckpoint"]


def _save_program(program: Any, path: str) -> None:
    program.save(path, overwrite=True)


def _save_variables(program: Any, path: str) -> None:
    program.save_variables(path, overwrite=True)


class ProgramCheckpoint(Callback):
    """Save after each epoch; ``filepath`` may contain ``{epoch}`` and log keys.

    Args:
        filepath: e.g. ``"ckpt/qa-{epoch:02d}-{val_reward:.2f}.json"``.
        monitor: log key for ``save_best_only``.
        save_best_only: save only when ``monitor`` improves.
        mode: ``"max"`` or ``"min"``.
        save_variables_only: save only the variables (Keras' ``save_weights_only``).
        save_fn: ``save_fn(program, path)``, replacing both.
    """

    def __init__(self, filepath: str | Path, monitor: str = "val_reward",
                 save_best_only: bool = False, mode: str = "max",
                 save_variables_only: bool = False,
                 save_fn: Callable[[Any, str], Any] | None = None) -> None:
        super().__init__()
        self.filepath = str(checked_path("filepath", filepath))
        self.monitor = checked_str("monitor", monitor)
        mode = checked_choice("mode", mode, ("max", "min"))
        if save_fn is not None and not callable(save_fn):
            raise TypeError(f"Expected save_fn to be callable. Received: save_fn={save_fn!r}")
        self.save_best_only = save_best_only
        self.mode = mode
        self.save_fn = save_fn or (_save_variables if save_variables_only else _save_program)
        self.best: float | None = None
        self.saved: list[str] = []

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        if self.save_best_only:
            value = logs.get(self.monitor)
            if value is None:
                return
            better = self.best is None or (value > self.best if self.mode == "max"
                                           else value < self.best)
            if not better:
                return
            self.best = float(value)
        path = self.filepath.format(epoch=epoch + 1, **logs)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.save_fn(self.program, path)
        self.saved.append(path)
