"""``ProgbarLogger``: the progress bars of ``fit``, ``evaluate`` and ``predict`` (Keras').

One :class:`~synalinks_nb.utils.progbar.Progbar` per epoch, labelled ``epoch i/N`` and
showing the batch's numeric logs (the running reward...) then the epoch's; ``evaluate``
and ``predict`` get one bar each when called on their own (inside ``fit`` the validation
is silent). ``fit(verbose="auto")`` adds one; ``verbose=2`` prints one line per epoch
instead of a live bar. ``ProgressBar`` is the same class under this package's earlier name.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.events import TrainFailed
from synalinks_nb.utils.progbar import Progbar

__all__ = ["ProgbarLogger", "ProgressBar"]


class ProgbarLogger(Callback):
    """Shows progress bars while a program trains, evaluates or predicts.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> logger = sn.callbacks.ProgbarLogger()
        >>> logger.verbose = 2  # one line per epoch, as fit(verbose=2) does
        >>> logger.set_params({"epochs": 2, "steps": 3})
        >>> for epoch in range(2):
        ...     logger.on_epoch_begin(epoch)
        ...     for batch in range(3):
        ...         logger.on_train_batch_end(batch, {"reward": 0.5})
        ...     logger.on_epoch_end(epoch, {"reward": 0.5 + epoch / 4})
        3/3 - 0s - reward: 0.5000
        3/3 - 0s - reward: 0.7500
    """

    def __init__(self) -> None:
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.target: int | None = None
        self.progbar: Progbar | None = None
        self._in_fit = False

    def set_params(self, params: dict[str, Any]) -> None:
        """Read ``epochs``, ``steps`` (or ``samples`` / ``batch_size``) and ``verbose``."""
        super().set_params(params)
        verbose = params.get("verbose", self.verbose)
        self.verbose = 1 if verbose in ("auto", True) else int(verbose)
        self.epochs = int(params.get("epochs") or 1)
        steps = params.get("steps")
        if steps is None and params.get("samples") is not None and params.get("batch_size"):
            steps = -(-int(params["samples"]) // int(params["batch_size"]))
        self.target = steps

    def _open(self, description: str | None = None) -> None:
        self.progbar = Progbar(self.target, verbose=self.verbose, description=description)

    def _update(self, batch: int, logs: dict[str, Any] | None) -> None:
        if self.progbar is None:
            self._open()
        assert self.progbar is not None
        self.progbar.update(batch + 1, _numbers(logs), finalize=False)

    def _finish(self, logs: dict[str, Any] | None) -> None:
        if self.progbar is not None:
            done = self.progbar.target if self.progbar.target is not None else self.progbar._seen
            self.progbar.update(done, _numbers(logs), finalize=True)
            self.progbar = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Inside ``fit``, the validation draws no bar."""
        self._in_fit = True

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        """``fit`` is over."""
        self._in_fit = False

    def on_train_failed(self, event: TrainFailed) -> None:
        """Close the bar of the epoch that failed."""
        if self.progbar is not None:
            self.progbar.update(self.progbar._seen, finalize=True)
            self.progbar = None
        self._in_fit = False

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """A bar for the epoch."""
        self._open(f"epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Advance to the batch, showing its logs."""
        self._update(batch, logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Finish the bar with the epoch's logs."""
        self._finish(logs)

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        """A bar for ``evaluate`` (none for the validation inside ``fit``)."""
        if not self._in_fit:
            self._open("evaluate")

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Advance the evaluation's bar."""
        if not self._in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs: dict[str, Any] | None = None) -> None:
        """Finish the evaluation's bar with its results."""
        if not self._in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> None:
        """A bar for ``predict``."""
        self._open("predict")

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Advance the prediction's bar (outputs are not shown)."""
        self._update(batch, None)

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> None:
        """Finish the prediction's bar."""
        self._finish(None)


ProgressBar = ProgbarLogger
"""The name this package gave the class first."""


def _numbers(logs: dict[str, Any] | None) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in (logs or {}).items()
            if isinstance(v, int | float) and not isinstance(v, bool)]
