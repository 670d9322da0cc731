"""``BackupAndRestore``: resume an interrupted ``fit`` exactly where it stopped.

The backup goes through the same strict reader and atomic, fsync'd writer as
program saves (:mod:`synalinks_nb.saving.file_io`). Restoring is
all-or-nothing, like ``load_variables``: the whole backup (epoch, every
variable's value, the optimizer state's shape, the random generator's state)
is checked before anything changes, and every problem is a
:class:`~synalinks_nb.errors.CorruptedFileError` naming the file. With
``double_checkpoint``, the previous backup is kept beside the current one and used
when the current one cannot be read.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks._checks import checked_path
from synalinks_nb.callbacks._io import program_variables
from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.config import config
from synalinks_nb.errors import CorruptedFileError, InvalidVariableValueError
from synalinks_nb.saving import file_io

__all__ = ["BackupAndRestore"]

_log = logging.getLogger(__name__)

_FORMAT = 1


class BackupAndRestore(Callback):
    """Back up variables, optimizer state, the RNG and the epoch after every epoch.

    Run the same ``fit`` again with the same callback after a crash or an
    interrupt: it restores everything and skips the epochs already done, so the
    run ends with exactly the variables an uninterrupted run would have (with a
    deterministic model). The file is deleted when ``fit`` completes.

    Args:
        backup_path: the JSON file to write, or an existing folder (the file is then
            ``backup.json`` in it).
        save_freq: ``"epoch"`` (the only one: ``fit`` resumes at an epoch's start).
        double_checkpoint: keep the previous backup too (``<file>.bkp``) and restore
            from it when the current one cannot be read.
        delete_checkpoint: delete the file(s) when training ends normally.
        backup_dir: Synalinks' keyword: a folder for ``backup.json`` (instead of
            ``backup_path``).

    Example:
        >>> cb = BackupAndRestore("/tmp/qa-backup.json")
        >>> cb.backup_path.name
        'qa-backup.json'
        >>> BackupAndRestore(backup_dir="/tmp/qa-backups").backup_path.as_posix()
        '/tmp/qa-backups/backup.json'
    """

    def __init__(self, backup_path: str | Path | None = None, save_freq: str = "epoch",
                 double_checkpoint: bool = False, delete_checkpoint: bool = True, *,
                 backup_dir: str | Path | None = None) -> None:
        super().__init__()
        if (backup_path is None) == (backup_dir is None):
            raise TypeError("Expected one of backup_path or backup_dir. Received: "
                            f"backup_path={backup_path!r}, backup_dir={backup_dir!r}")
        if save_freq != "epoch":
            raise ValueError('Expected save_freq="epoch" (fit resumes at the start of an '
                             f"epoch). Received: save_freq={save_freq!r}")
        if backup_dir is not None:
            path = checked_path("backup_dir", backup_dir) / "backup.json"
        else:
            path = checked_path("backup_path", backup_path)
            path = path / "backup.json" if path.is_dir() else path
        self.backup_path = path
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = delete_checkpoint
        self.restored_epoch: int | None = None

    @property
    def previous_path(self) -> Path:
        """Where ``double_checkpoint`` keeps the previous backup."""
        return self.backup_path.with_name(self.backup_path.name + ".bkp")

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if not self.backup_path.is_file():
            return
        try:
            epoch, values, optimizer_state, rng = self._read(self.backup_path)
        except CorruptedFileError as exc:
            if not (self.double_checkpoint and self.previous_path.is_file()):
                raise
            _log.warning("BackupAndRestore: %s; restoring the previous backup instead.", exc)
            epoch, values, optimizer_state, rng = self._read(self.previous_path)
        # Everything is valid: only now does anything change.
        by_path = {v.path: v for v in self.program.variables}
        for path, value in values.items():
            by_path[path].assign(value, source="load", note="BackupAndRestore")
        if optimizer_state is not None:
            self.program.optimizer.set_state(optimizer_state)
        if rng is not None:
            config.rng.setstate(rng)
        self.program.resume_epoch = epoch
        self.restored_epoch = epoch

    def _read(self, path: Path) -> tuple[int, dict[str, Any], Any, Any]:
        source = str(path)
        return self._checked(file_io.loads(file_io.read_text(path), source), source)

    def _checked(self, data: Any, source: str) -> tuple[int, dict[str, Any], Any, Any]:
        """The backup's epoch, values, optimizer state and RNG state, all validated."""
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise CorruptedFileError(f"{source}: expected a BackupAndRestore file (format "
                                     f"{_FORMAT}). Received: {str(data)[:80]}")
        epoch = data.get("epoch")
        if type(epoch) is not int or epoch < 0:
            raise CorruptedFileError(f"{source}: expected 'epoch' to be a non-negative int. "
                                     f"Received: epoch={epoch!r}")
        values = self._checked_values(data.get("variables"), source)
        optimizer_state = data.get("optimizer")
        optimizer = getattr(self.program, "optimizer", None)
        if optimizer_state is not None and (optimizer is None
                                            or not isinstance(optimizer_state, dict)):
            raise CorruptedFileError(
                f"{source}: expected 'optimizer' to be an object, for a compiled optimizer. "
                f"Received: {type(optimizer_state).__name__}, optimizer={optimizer!r}")
        return epoch, values, optimizer_state, _checked_rng(data.get("rng"), source)

    def _checked_values(self, saved: Any, source: str) -> dict[str, Any]:
        if not isinstance(saved, dict):
            raise CorruptedFileError(f"{source}: expected 'variables' to map variable paths "
                                     f"to values. Received: {type(saved).__name__}")
        variables = {v.path: v for v in self.program.variables}
        missing, extra = sorted(set(variables) - set(saved)), sorted(set(saved) - set(variables))
        if missing or extra:
            raise CorruptedFileError(
                f"{source}: expected the variables of this program ({sorted(variables)}). "
                f"Missing from the backup: {missing}; not in the program: {extra}.")
        checked: dict[str, Any] = {}
        for path, variable in variables.items():
            try:
                checked[path] = variable.validate(saved[path])
            except InvalidVariableValueError as exc:
                raise CorruptedFileError(
                    f"{source}: the value of variable {path!r} does not match its schema: {exc}"
                ) from exc
        return checked

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        optimizer = getattr(self.program, "optimizer", None)
        document = {
            "format": _FORMAT,
            "epoch": epoch + 1,
            "variables": program_variables(self.program),
            "optimizer": optimizer.get_state() if optimizer is not None else None,
            "rng": list(config.rng.getstate()),
        }
        self.backup_path.parent.mkdir(parents=True, exist_ok=True)
        if self.double_checkpoint and self.backup_path.is_file():
            file_io.atomic_write_text(self.previous_path, file_io.read_text(self.backup_path))
        file_io.atomic_write_text(self.backup_path, file_io.dumps(document, indent=1))

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.delete_checkpoint:
            self.backup_path.unlink(missing_ok=True)
            self.previous_path.unlink(missing_ok=True)


def _checked_rng(saved: Any, source: str) -> Any:
    """The random generator's state as ``random.setstate`` wants it, or ``None``."""
    if saved is None:
        return None
    try:
        version, internal, gauss = saved
        state = (version, tuple(internal), gauss)
        random.Random().setstate(state)  # a scratch generator: the real one is untouched
    except (TypeError, ValueError, OverflowError) as exc:
        raise CorruptedFileError(f"{source}: expected 'rng' to be a random generator state. "
                                 f"Received an unusable one ({exc}).") from exc
    return state
