"""Streamed answers in a notebook: one cell output per answer, updated in place.

The core shows a streamed call's tokens through a
:class:`~synalinks_nb.language_models.streaming.TokenSink`; inside a Jupyter kernel the
package registers :class:`NotebookTokenSink` for that (the core never imports IPython).
Each answer gets its own output (``display(..., display_id=True)``, made when its first
piece arrives) whose text grows as tokens arrive. Updates are sent at most every
``min_interval`` seconds (10 per second by default: a fast local model would otherwise
send one message per token) and once more when the answer ends, so the final text is
always complete. Saved notebooks and
headless runs (nbclient, papermill) keep the last update, a ``text/plain`` and a
``text/html`` version of it.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

__all__ = ["NotebookTokenSink"]

Display = Callable[..., Any]


class NotebookTokenSink:
    """Shows each streamed answer in a notebook output that updates in place.

    Args:
        min_interval: the least seconds between two updates of one output.
        display: ``IPython.display.display`` by default; tests give a recorder.

    Example:
        >>> import synalinks_nb as sn
        >>> shown = []
        >>> class Handle:
        ...     def update(self, bundle, raw):
        ...         shown.append(bundle["text/plain"])
        >>> def display(bundle, raw, display_id):
        ...     shown.append(bundle["text/plain"])
        ...     return Handle()
        >>> stream = NotebookTokenSink(min_interval=0.0, display=display).open("scripted")
        >>> stream.write("Hello"); stream.write(" world"); stream.close()
        >>> shown
        ['scripted: Hello…', 'scripted: Hello world…', 'scripted: Hello world']
    """

    def __init__(self, min_interval: float = 0.1, display: Display | None = None) -> None:
        if isinstance(min_interval, bool) or not isinstance(min_interval, int | float) or (
                min_interval < 0):
            raise ValueError("Expected min_interval to be a non-negative number of seconds. "
                             f"Received: min_interval={min_interval!r}")
        self.min_interval = float(min_interval)
        self._display = display

    def open(self, label: str) -> LiveOutput:
        """The output of one answer (displayed with its first piece)."""
        if self._display is not None:
            return LiveOutput(label, self._display, self.min_interval)
        from IPython.display import display

        return LiveOutput(label, display, self.min_interval)


class LiveOutput:
    """One answer's output: ``write`` adds text, ``close`` shows the final text."""

    def __init__(self, label: str, display: Display, min_interval: float) -> None:
        self.label = label
        self.text = ""
        self.error: str | None = None
        self.done = False
        self._min_interval = min_interval
        self._display = display
        self._displayed = False
        self._handle: Any = None
        self._shown_at = 0.0

    def write(self, text: str) -> None:
        """Add ``text``; shown at once the first time, then when ``min_interval`` has passed."""
        self.text += text
        if not self._displayed or time.monotonic() - self._shown_at >= self._min_interval:
            self._show()

    def close(self, error: str | None = None) -> None:
        """The answer is complete (or stopped with ``error``): show its final text."""
        self.done, self.error = True, error
        self._show()

    def bundle(self) -> dict[str, str]:
        """The output's MIME bundle now: plain text and HTML (themed with JupyterLab's
        CSS variables)."""
        tail = "" if self.done else "…"
        if self.error:
            tail = f" [stopped: {self.error}]"
        return {
            "text/plain": f"{self.label}: {self.text}{tail}",
            "text/html": (
                '<pre style="white-space:pre-wrap;margin:0;color:var(--jp-ui-font-color1)">'
                f'<span style="color:var(--jp-ui-font-color2)">{html.escape(self.label)}:'
                f"</span> {html.escape(self.text)}{html.escape(tail)}</pre>"),
        }

    def _show(self) -> None:
        if not self._displayed:
            self._displayed = True
            self._handle = self._display(self.bundle(), raw=True, display_id=True)
        elif self._handle is not None:  # None: display() outside a kernel has no handle
            self._handle.update(self.bundle(), raw=True)
        self._shown_at = time.monotonic()
