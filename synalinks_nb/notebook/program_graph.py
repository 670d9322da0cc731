"""ProgramGraph: the interactive graph of a program (``js/program_graph.ts``).

The widget holds ``program.graph()`` in its ``graph`` trait; the view lays it
out with dagre and draws it with our own SVG renderer (pan, zoom, fit-to-view,
nested programs as groups, trainable modules badged). Clicking a node, or
pressing Enter on it, opens a side panel with its schemas and variables and
sets the ``selected`` trait, so Python can read what the user looks at.

Given a program, the widget follows its trainable variables: when one changes
(training, an edit, a revert) the description is re-read, at most every
``REFRESH_INTERVAL`` seconds, so the side panel never shows stale instructions.

Where no widget frontend runs (GitHub, nbconvert, a terminal), the
``text/html`` part of the MIME bundle shows the static SVG of
:mod:`synalinks_nb.visualization` instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import anywidget
import traitlets

from synalinks_nb.notebook._assets import css, esm
from synalinks_nb.visualization import graph_to_html, normalize_graph

__all__ = ["REFRESH_INTERVAL", "ProgramGraph"]

REFRESH_INTERVAL = 0.5
"""Seconds between two re-reads of the program's description while its variables change."""


class _HasGraph(Protocol):
    def graph(self) -> dict[str, Any]: ...


class ProgramGraph(anywidget.AnyWidget):
    """Interactive graph of a program.

    Args:
        program: a :class:`~synalinks_nb.Program` (anything with a ``graph()``
            method) or a graph description shaped like ``program.graph()``.
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

    _esm = esm("program_graph")
    _css = css()

    graph = traitlets.Dict().tag(sync=True)
    """The ``program.graph()`` description: ``name``, ``nodes``, ``edges``, ``variables``."""

    selected = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Id of the node whose side panel is open in the view, or ``None``."""

    def __init__(self, program: _HasGraph | Mapping[str, Any], **kwargs: Any) -> None:
        raw = program if isinstance(program, Mapping) else program.graph()
        super().__init__(graph=dict(normalize_graph(raw)), **kwargs)
        self._program = None if isinstance(program, Mapping) else program
        self._refresh_armed = False
        self._unsubscribe: list[Callable[[], None]] = [
            var.subscribe(self._on_version)
            for var in getattr(self._program, "trainable_variables", None) or []
        ]

    def refresh(self, program: _HasGraph | Mapping[str, Any] | None = None) -> None:
        """Show a new description: ``program``'s, or the followed program's again."""
        program = program if program is not None else self._program
        if program is None:
            return
        raw = program if isinstance(program, Mapping) else program.graph()
        self.graph = dict(normalize_graph(raw))

    def close(self) -> None:
        """Stop following the program's variables and close the widget."""
        for unsubscribe in getattr(self, "_unsubscribe", ()):  # set unless __init__ failed
            unsubscribe()
        self._unsubscribe = []
        super().close()

    def _on_version(self, _variable: Any, _version: Any) -> None:
        if self._refresh_armed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a change outside any loop: show it now
            self.refresh()
            return
        self._refresh_armed = True
        loop.call_later(REFRESH_INTERVAL, self._refresh_now)

    def _refresh_now(self) -> None:
        self._refresh_armed = False
        self.refresh()

    def __repr__(self) -> str:
        g = self.graph
        return (
            f"ProgramGraph(name={g.get('name', '')!r}, nodes={len(g.get('nodes', []))}, "
            f"edges={len(g.get('edges', []))})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        # Frontends without the widget manager (GitHub, nbconvert) fall back to this.
        data = {**data, "text/html": graph_to_html(self.graph)}
        return data, metadata
