"""SynalinksWidget: the plumbing every synalinks_nb widget shares.

A widget subclass says which bundle draws it and how it looks without a widget
frontend; the base does the rest:

- **View code.** ``_bundle = "program_graph"`` on the subclass sets ``_esm`` and
  ``_css`` from the shipped ``static/`` folder (:mod:`._assets`), before
  anywidget reads them. They are given as text, not paths, except for hot reload
  (``ANYWIDGET_HMR=1``): anywidget connects every instance to a file's change
  signal, which would keep every widget ever created alive.
- **Static fallback.** ``_repr_mimebundle_`` adds ``text/plain`` (the stable
  ``repr``) and ``text/html`` (:meth:`SynalinksWidget._fallback_html`) beside
  the widget view, for GitHub, nbconvert and the headless report.
- **Following variables weakly.** :meth:`SynalinksWidget.follow` subscribes
  listeners that hold only a weak reference to the widget, so a variable never
  keeps a widget alive; :meth:`SynalinksWidget.close` and garbage collection
  both unsubscribe. (ipywidgets keeps every open widget in its registry until
  ``close()``, which is why displays of one program share one widget: see
  :meth:`~.program_graph.ProgramGraph.for_program`.)
- **Throttling.** :class:`Throttle` turns a burst of changes (an optimizer
  writing a variable many times a second) into one sync per interval.
"""

from __future__ import annotations

import asyncio
import os
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import anywidget

from synalinks_nb.notebook._assets import css, esm

__all__ = ["SynalinksWidget", "Throttle"]

Handler = Callable[[Any, Any], None]


class Throttle:
    """Run ``action`` once for a burst of requests, at most once per ``interval`` seconds.

    The first request of a burst runs on the next turn of the running event loop
    (so changes made in the same step are coalesced), later ones wait out the
    interval. Without a running loop (a plain script), ``action`` runs at once.

    Example:
        >>> import asyncio
        >>> calls = []
        >>> async def burst():
        ...     throttle = Throttle(0.05, lambda: calls.append(len(calls)))
        ...     for _ in range(10):
        ...         throttle.request()
        ...     await asyncio.sleep(0.1)
        >>> asyncio.run(burst())
        >>> calls
        [0]
    """

    def __init__(self, interval: float, action: Callable[[], None]) -> None:
        if interval < 0:
            raise ValueError(f"Expected interval >= 0 seconds. Received: interval={interval}")
        self.interval = interval
        self._action = action
        self._handle: asyncio.TimerHandle | None = None
        self._last = float("-inf")

    @property
    def pending(self) -> bool:
        """Whether a run is scheduled and has not happened yet."""
        return self._handle is not None

    def request(self) -> None:
        """Ask for one run of the action (a no-op when one is already scheduled)."""
        if self._handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop to wait on: the change shows now
            self._run()
            return
        delay = max(0.0, self._last + self.interval - time.monotonic())
        self._handle = loop.call_later(delay, self._run)

    def cancel(self) -> None:
        """Drop a scheduled run."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _run(self) -> None:
        self._handle = None
        self._last = time.monotonic()
        self._action()


def _source(asset: Path | str) -> Path | str:
    """The text of a bundle file; the path itself only for anywidget's hot reload."""
    if isinstance(asset, Path) and os.environ.get("ANYWIDGET_HMR") != "1":
        return asset.read_text(encoding="utf-8")
    return asset


def _unsubscribe_all(unsubscribers: list[Callable[[], None]]) -> None:
    while unsubscribers:
        unsubscribers.pop()()


class SynalinksWidget(anywidget.AnyWidget):
    """Base of the synalinks_nb widgets (see the module docstring for what it shares).

    Subclass contract: set ``_bundle`` to the name of the widget's ESM bundle,
    implement :meth:`_fallback_html` (static HTML of the current state, no
    scripts) and ``__repr__`` (stable, no addresses); follow variables with
    :meth:`follow`, never with ``variable.subscribe`` directly.

    Example:
        >>> import synalinks_nb as sn
        >>> class Counter(SynalinksWidget):
        ...     _bundle = "variable_history"
        ...     def __init__(self, variable):
        ...         super().__init__()
        ...         self.changes = 0
        ...         self.follow([variable], self._on_change)
        ...     def _on_change(self, variable, version):
        ...         self.changes += 1
        ...     def _fallback_html(self):
        ...         return f"<p>{self.changes} changes</p>"
        ...     def __repr__(self):
        ...         return f"Counter(changes={self.changes})"
        >>> v = sn.Variable(initializer={"instructions": "Be brief."},
        ...                 data_model=sn.Instructions, name="instructions")
        >>> counter = Counter(v)
        >>> _ = v.assign({"instructions": "Be very brief.", "examples": []})
        >>> counter._repr_mimebundle_()[0]["text/html"]
        '<p>1 changes</p>'
        >>> counter.close()
        >>> _ = v.assign({"instructions": "Be short.", "examples": []})
        >>> counter
        Counter(changes=1)
    """

    _bundle: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # anywidget reads _esm/_css from the class namespace in its own __init_subclass__.
        if cls.__dict__.get("_bundle"):
            cls._esm = _source(esm(str(cls._bundle)))
            cls._css = _source(css())
        super().__init_subclass__(**kwargs)

    def __init__(self, **kwargs: Any) -> None:
        self._unfollow: list[Callable[[], None]] = []
        # Runs when the widget is collected without close(); holds no reference to it.
        weakref.finalize(self, _unsubscribe_all, self._unfollow)
        super().__init__(**kwargs)

    def follow(self, variables: Iterable[Any], handler: Handler) -> None:
        """Call ``handler(variable, version)`` (a method of this widget) on every change.

        The variables hold only a weak reference to the widget: following them
        never keeps it alive.
        """
        method = weakref.WeakMethod(handler)

        def listener(variable: Any, version: Any) -> None:
            bound = method()
            if bound is not None:
                bound(variable, version)

        self._unfollow.extend(var.subscribe(listener) for var in variables)

    def unfollow(self) -> None:
        """Stop following every variable (the view keeps what it shows)."""
        _unsubscribe_all(getattr(self, "_unfollow", []))  # set unless __init__ failed

    def close(self) -> None:
        """Stop following the variables and close the widget."""
        self.unfollow()
        super().close()

    def _fallback_html(self) -> str:
        """Static HTML of the widget's state, shown where no widget frontend runs."""
        raise NotImplementedError(f"{type(self).__name__} must implement _fallback_html()")

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        data = {**data, "text/plain": repr(self), "text/html": self._fallback_html()}
        return data, metadata
