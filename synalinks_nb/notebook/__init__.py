"""The notebook layer: widgets, rich reprs and the human approval gate.

This is the only package that imports ``anywidget``, ``ipywidgets`` or
``IPython``; nothing in the core imports it (the core looks it up lazily at
display time only). It holds:

* :class:`ProgramGraph` — the interactive graph of a program;
* :class:`TrainingDashboard` — live progress, rewards, usage and proposals
  of a ``fit``; a callback and the transport for ``approval="human"``;
* :class:`VariableHistory` — versions, diffs, Revert and Edit outside fit;
* :class:`TraceViewer` — every call nested by module, evaluation rows with their
  traces, and comparisons of two versions sample by sample;
* :func:`run_in_background` — schedule ``program.fit(...)`` so the cell
  returns (ipykernel 6, where clicks only arrive between cells).

Example:
    >>> from synalinks_nb import notebook
    >>> sorted(notebook.__all__)  # doctest: +NORMALIZE_WHITESPACE
    ['BackgroundRun', 'ProgramGraph', 'TraceViewer', 'TrainingDashboard', 'VariableHistory',
     'run_in_background']
"""

from __future__ import annotations

from synalinks_nb.notebook.background import BackgroundRun, run_in_background
from synalinks_nb.notebook.program_graph import ProgramGraph
from synalinks_nb.notebook.trace_viewer import TraceViewer
from synalinks_nb.notebook.training_dashboard import TrainingDashboard
from synalinks_nb.notebook.variable_history import VariableHistory

__all__ = [
    "BackgroundRun",
    "ProgramGraph",
    "TraceViewer",
    "TrainingDashboard",
    "VariableHistory",
    "run_in_background",
]
