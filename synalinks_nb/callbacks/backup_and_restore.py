"""``BackupAndRestore``: resume an interrupted ``fit`` exactly where it stopped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks._io import atomic_write_json, program_variables
from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.config import config
from synalinks_nb.errors import CorruptedFileError

__all__ = ["BackupAndRestore"]

_FORMAT = 1


class BackupAndRestore(Callback):
    """Back up variables, optimizer state, the RNG and the epoch after every epoch.

    Run the same ``fit`` again with the same callback after a crash or an
    interrupt: it restores everything and skips the epochs already done, so the
    run ends with exactly the variables an uninterrupted run would have (with a
    deterministic model). The file is deleted when ``fit`` completes.

    Args:
        backup_path: the JSON file to write.
        delete_checkpoint: delete the file when training ends normally.

    Example:
        >>> cb = BackupAndRestore("/tmp/qa-backup.json")
        >>> cb.backup_path.name
        'qa-backup.json'
    """

    def __init__(self, backup_path: str | Path, delete_checkpoint: bool = True) -> None:
        super().__init__()
        self.backup_path = Path(backup_path)
        self.delete_checkpoint = delete_checkpoint
        self.restored_epoch: int | None = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if not self.backup_path.is_file():
            return
        try:
            data = json.loads(self.backup_path.read_text(encoding="utf-8"))
            epoch = int(data["epoch"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CorruptedFileError(
                f"Expected a BackupAndRestore JSON file at {self.backup_path}. Received: {exc}"
            ) from exc
        by_path = {v.path: v for v in self.program.variables}
        for path, value in data["variables"].items():
            if path in by_path:
                by_path[path].assign(value, source="load", note="BackupAndRestore")
        optimizer = getattr(self.program, "optimizer", None)
        if optimizer is not None and data.get("optimizer") is not None:
            optimizer.set_state(data["optimizer"])
        if data.get("rng") is not None:
            version, internal, gauss = data["rng"]
            config.rng.setstate((version, tuple(internal), gauss))
        self.program._resume_epoch = epoch
        self.restored_epoch = epoch

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        optimizer = getattr(self.program, "optimizer", None)
        atomic_write_json(self.backup_path, {
            "format": _FORMAT,
            "epoch": epoch + 1,
            "variables": program_variables(self.program),
            "optimizer": optimizer.get_state() if optimizer is not None else None,
            "rng": list(config.rng.getstate()),
        })

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.delete_checkpoint:
            self.backup_path.unlink(missing_ok=True)
