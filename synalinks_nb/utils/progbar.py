"""``Progbar``: Keras' (and Synalinks') progress bar, drawn by tqdm.

Keras draws its bar itself; here tqdm draws it (``tqdm.auto``: a widget in notebooks,
text elsewhere, on stderr), so ``fit``'s bar and any ``Progbar`` look the same. The
Keras interface is kept: ``update(current, values)`` moves to step ``current`` and shows
the latest ``values``, ``add(n, values)`` moves by ``n``; ``verbose=2`` prints one line
on stdout when the bar finishes instead of a live bar, ``verbose=0`` prints nothing, and
``sn.utils.disable_interactive_logging()`` silences every bar.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any

from synalinks_nb.config import config

__all__ = ["Progbar"]


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps expected, ``None`` if unknown.
        width: the bar's width in characters (text bars).
        verbose: 0 (silent), 1 (a live bar) or 2 (one line at the end).
        interval: minimum seconds between two redraws.
        unit_name: what a step is called (``"step"``, ``"sample"``).
        description: a label before the bar (``"epoch 1/3"``; not in Keras).

    Example:
        >>> import synalinks_nb as sn
        >>> bar = sn.utils.Progbar(target=3, verbose=2)
        >>> for step in range(1, 4):
        ...     bar.update(step, [("reward", step / 4)])
        3/3 - 0s - reward: 0.7500
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1,
                 interval: float = 0.05, unit_name: str = "step",
                 description: str | None = None) -> None:
        if target is not None and (isinstance(target, bool) or not isinstance(target, int)
                                   or target < 0):
            raise ValueError("Expected target to be a non-negative int or None. "
                             f"Received: target={target!r}")
        if verbose not in (0, 1, 2):
            raise ValueError(f"Expected verbose to be 0, 1 or 2. Received: verbose={verbose!r}")
        self.target = target
        self.width = width
        self.verbose = verbose if config.is_interactive_logging_enabled() else 0
        self.interval = interval
        self.unit_name = unit_name
        self.description = description
        self._values: dict[str, Any] = {}
        self._seen = 0
        self._start = time.time()
        self._bar: Any = None
        self._done = False

    def _open(self) -> Any:
        if self._bar is None and self.verbose == 1:
            from tqdm.auto import tqdm

            # tqdm fills `{bar:N}` itself; the braces of the other fields stay literal.
            bar_format = None if self.target is None else (
                "{l_bar}{bar:" + str(self.width) + "}{r_bar}")
            self._bar = tqdm(total=self.target, desc=self.description, unit=self.unit_name,
                             mininterval=self.interval, bar_format=bar_format, leave=True)
        return self._bar

    def update(self, current: int, values: Sequence[tuple[str, Any]] | None = None,
               finalize: bool | None = None) -> None:
        """Move to step ``current`` and show ``values`` (``(name, value)`` pairs).

        Args:
            current: the index of the current step.
            values: the latest value of each name (shown as they are, not averaged).
            finalize: whether this is the last update (default: ``current >= target``).
        """
        if self._done:
            return
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            self._values[name] = value
        self._seen = current
        bar = self._open()
        if bar is not None:
            if self._values:
                bar.set_postfix({k: _shown(v) for k, v in self._values.items()}, refresh=False)
            bar.update(current - bar.n)
            if finalize:
                bar.close()
        if finalize:
            self._done = True
            if self.verbose == 2:
                self._print_line()

    def add(self, n: int, values: Sequence[tuple[str, Any]] | None = None) -> None:
        """Move forward by ``n`` steps."""
        self.update(self._seen + n, values)

    def _print_line(self) -> None:
        target = self.target if self.target is not None else self._seen
        parts = [f"{self._seen}/{target}", f"{time.time() - self._start:.0f}s"]
        parts += [f"{name}: {_shown(value)}" for name, value in self._values.items()]
        print(" - ".join(parts), file=sys.stdout)  # Keras' one line per bar, on stdout


def _shown(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
