"""ProgramGraph: the interactive graph of a program (``js/program_graph.ts``).

The widget holds ``program.graph()`` in its ``graph`` trait; the view lays it
out with dagre and draws it with our own SVG renderer (pan, zoom, fit-to-view,
nested programs as groups, trainable modules badged). Clicking a node, or
pressing Enter on it, opens a side panel with its schemas and variables and
sets the ``selected`` trait, so Python can read what the user looks at.

Given a program, the widget follows its trainable variables: when one changes
(training, an edit, a revert) the description is re-read, at most every
``REFRESH_INTERVAL`` seconds, so the side panel never shows stale instructions.
It holds the program and is held by its variables only weakly
(:class:`~.widget_base.SynalinksWidget`), and every display of one program shows
the same widget (:meth:`ProgramGraph.for_program`), so displaying a program again
and again adds no listener, and a program that goes away closes its widget.

Where no widget frontend runs (GitHub, nbconvert, a terminal), the
``text/html`` part of the MIME bundle shows the static SVG of
:mod:`synalinks_nb.visualization` instead.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any, Protocol

import traitlets

from synalinks_nb.notebook.widget_base import SynalinksWidget, Throttle
from synalinks_nb.visualization import graph_to_html, normalize_graph

__all__ = ["REFRESH_INTERVAL", "ProgramGraph"]

REFRESH_INTERVAL = 0.5
"""Seconds between two re-reads of the program's description while its variables change."""


class _HasGraph(Protocol):
    def graph(self) -> dict[str, Any]: ...


# One widget per live program, for its displays; a value never refers to its key strongly.
_DISPLAYED: weakref.WeakKeyDictionary[Any, ProgramGraph] = weakref.WeakKeyDictionary()


class ProgramGraph(SynalinksWidget):
    """Interactive graph of a program.

    Args:
        program: a :class:`~synalinks_nb.Program` (anything with a ``graph()``
            method), followed while it lives, or a graph description shaped like
            ``program.graph()``.
        **kwargs: passed to ``anywidget.AnyWidget`` (e.g. ``layout``).

    Example:
        >>> graph = {"name": "qa", "nodes": [
        ...     {"id": "query", "type": "Input"},
        ...     {"id": "answer", "type": "Generator", "trainable": True}],
        ...     "edges": [{"source": "query", "target": "answer"}]}
        >>> view = ProgramGraph(graph)
        >>> view
        ProgramGraph(name='qa', nodes=2, edges=1)
        >>> [n["id"] for n in view.graph["nodes"]]
        ['query', 'answer']
    """

    _bundle = "program_graph"

    graph = traitlets.Dict().tag(sync=True)
    """The ``program.graph()`` description: ``name``, ``nodes``, ``edges``, ``variables``."""

    selected = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Id of the node whose side panel is open in the view, or ``None``."""

    def __init__(self, program: _HasGraph | Mapping[str, Any], **kwargs: Any) -> None:
        raw = program if isinstance(program, Mapping) else program.graph()
        super().__init__(graph=dict(normalize_graph(raw)), **kwargs)
        self._program = None if isinstance(program, Mapping) else weakref.ref(program)
        self._throttle = Throttle(REFRESH_INTERVAL, self.refresh)
        if self._program is not None:
            self.follow(getattr(program, "trainable_variables", None) or [], self._on_version)

    @classmethod
    def for_program(cls, program: _HasGraph) -> ProgramGraph:
        """The widget every display of ``program`` shows: created once, closed with it.

        Example:
            >>> import synalinks_nb as sn
            >>> program = sn.Sequential([sn.Input(schema={"type": "object", "properties": {}}),
            ...                          sn.Identity(name="same")], name="chain")
            >>> ProgramGraph.for_program(program) is ProgramGraph.for_program(program)
            True
        """
        widget = _DISPLAYED.get(program)
        if widget is None or widget.comm is None:  # never shown, or closed since
            widget = cls(program)
            _DISPLAYED[program] = widget
            # ipywidgets holds open widgets until closed: close it when the program goes.
            weakref.finalize(program, widget.close)
        return widget

    def refresh(self, program: _HasGraph | Mapping[str, Any] | None = None) -> None:
        """Show a new description: ``program``'s, or the followed program's again."""
        if program is None:
            program = self._program() if self._program is not None else None
            if program is None:  # a description, or a program that is gone
                return
        raw = program if isinstance(program, Mapping) else program.graph()
        self.graph = dict(normalize_graph(raw))

    def close(self) -> None:
        """Stop following the program's variables and close the widget."""
        if hasattr(self, "_throttle"):  # set unless __init__ failed
            self._throttle.cancel()
        super().close()

    def _on_version(self, _variable: Any, _version: Any) -> None:
        self._throttle.request()

    def __repr__(self) -> str:
        g = self.graph
        return (
            f"ProgramGraph(name={g.get('name', '')!r}, nodes={len(g.get('nodes', []))}, "
            f"edges={len(g.get('edges', []))})"
        )

    def _fallback_html(self) -> str:
        return graph_to_html(self.graph)
