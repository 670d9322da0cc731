"""``ProgramCheckpoint``: save the program after epochs (all, or only the best).

Until program saving lands, the default ``save_fn`` writes the program's
variables as JSON (``{path: value}``); pass ``save_fn=lambda program, path:
program.save(path)`` to save whole programs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks._io import atomic_write_json, program_variables
from synalinks_nb.callbacks.callback import Callback

__all__ = ["ProgramCheckpoint"]


def _save_variables(program: Any, path: str) -> None:
    atomic_write_json(path, {"variables": program_variables(program)})


class ProgramCheckpoint(Callback):
    """Save after each epoch; ``filepath`` may contain ``{epoch}`` and log keys.

    Args:
        filepath: e.g. ``"ckpt/qa-{epoch:02d}-{val_reward:.2f}.json"``.
        monitor: log key for ``save_best_only``.
        save_best_only: save only when ``monitor`` improves.
        mode: ``"max"`` or ``"min"``.
        save_fn: ``save_fn(program, path)``; defaults to a variables-only JSON file.
    """

    def __init__(self, filepath: str | Path, monitor: str = "val_reward",
                 save_best_only: bool = False, mode: str = "max",
                 save_fn: Callable[[Any, str], Any] | None = None) -> None:
        super().__init__()
        if mode not in ("max", "min"):
            raise ValueError(f"Expected mode 'max' or 'min'. Received: mode={mode!r}")
        self.filepath = str(filepath)
        self.monitor = monitor
        self.save_best_only = save_best_only
        self.mode = mode
        self.save_fn = save_fn or _save_variables
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
