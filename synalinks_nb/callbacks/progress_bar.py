"""``ProgressBar``: a tqdm.auto bar over training batches, with the running reward."""

from __future__ import annotations

from typing import Any

from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.events import TrainFailed, one_based

__all__ = ["ProgressBar"]


class ProgressBar(Callback):
    """One bar per epoch (tqdm.auto: a widget in notebooks, text elsewhere).

    The default callback when ``fit(verbose="auto")``. It draws nothing after
    ``sn.utils.disable_interactive_logging()`` (Synalinks' switch for progress output).
    """

    def __init__(self) -> None:
        super().__init__()
        self._bar: Any = None

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        from tqdm.auto import tqdm

        from synalinks_nb.config import config

        if not config.is_interactive_logging_enabled():
            return
        self._bar = tqdm(total=self.params.get("steps"), desc=f"epoch {one_based(epoch)}/"
                         f"{self.params.get('epochs', '?')}", leave=True)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix(reward=f"{(logs or {}).get('reward', 0.0):.3f}")

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self._bar is not None:
            shown = {k: f"{v:.3f}" for k, v in (logs or {}).items() if isinstance(v, float)}
            self._bar.set_postfix(shown)
            self._bar.close()
            self._bar = None

    def on_train_failed(self, event: TrainFailed) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
