"""``CSVLogger``: one CSV row per epoch."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks._checks import checked_path
from synalinks_nb.callbacks.callback import Callback

__all__ = ["CSVLogger"]


class CSVLogger(Callback):
    """Append each epoch's logs to a CSV file (header written once).

    Args:
        filepath: the CSV file (Synalinks' and Keras' argument name).
        separator: the field separator.
        append: keep an existing file and add rows to it.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
        >>> logger = CSVLogger(filepath=path)
        >>> logger.on_train_begin()
        >>> logger.on_epoch_end(0, {"reward": 0.5})
        >>> print(path.read_text(encoding="utf-8").strip())
        epoch,reward
        0,0.5
    """

    def __init__(self, filepath: str | Path, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.filename = checked_path("filepath", filepath)
        self.filepath = str(self.filename)
        if not isinstance(separator, str) or len(separator) != 1:
            raise TypeError("Expected separator to be a one-character string. "
                            f"Received: separator={separator!r}")
        self.separator = separator
        self.append = append
        self._keys: list[str] | None = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if not self.append:
            self.filename.unlink(missing_ok=True)
        self._keys = None

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        row = {"epoch": epoch, **(logs or {})}
        new_file = not self.filename.exists() or self.filename.stat().st_size == 0
        if self._keys is None:
            self._keys = list(row)
        with self.filename.open("a", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=self._keys, delimiter=self.separator,
                                    extrasaction="ignore")
            if new_file:
                writer.writeheader()
            writer.writerow(row)
