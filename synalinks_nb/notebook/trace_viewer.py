"""TraceViewer: calls nested by module, evaluation rows and comparisons (``js/trace_viewer.ts``).

One widget for the three ways of looking inside a program:

* traces (``TraceViewer(program)``, ``TraceViewer(program.traces)``): the list of
  calls; each opens into its module calls, nested, each showing its variable
  versions and its model calls (messages labelled system / example / input, raw
  answers, rejections and the repair, parsed answer, usage);
* an :class:`~synalinks_nb.trainers.EvaluationResult`: one row per sample, sortable
  by reward, filterable to failures; **Open trace** shows that sample's trace;
* a :class:`~synalinks_nb.trainers.Comparison`: the same rows with both outputs side
  by side and the status (fixed, broken, right, wrong), filterable to flipped samples.

Everything is in the synced traits (a saved notebook shows it again); the view sends
nothing back. The static ``text/html`` fallback is the source's own HTML.
"""

from __future__ import annotations

from typing import Any

import traitlets

from synalinks_nb.notebook.widget_base import SynalinksWidget
from synalinks_nb.traces import CallTrace, TraceList
from synalinks_nb.trainers.evaluation import Comparison, EvaluationResult, SampleResult

__all__ = ["MAX_TRACES", "TraceViewer"]

MAX_TRACES = 500
"""Traces sent to the view at most (the most recent), to bound the widget's state."""


def _outcome(row: SampleResult) -> dict[str, Any]:
    return {"predicted": row.predicted, "reward": row.reward, "error": row.error,
            "trace_id": row.trace_id}


def _row(row: SampleResult, status: str = "", after: SampleResult | None = None
         ) -> dict[str, Any]:
    return {"index": row.index, "inputs": row.inputs, "expected": row.expected,
            **_outcome(row), "status": status,
            "after": None if after is None else _outcome(after)}


def _traces_of(items: list[Any]) -> list[dict[str, Any]]:
    seen: dict[int, CallTrace] = {}
    for trace in items:
        if trace is not None:
            seen[trace.id] = trace
    return [t.to_dict() for t in list(seen.values())[-MAX_TRACES:]]


class TraceViewer(SynalinksWidget):
    """See every call, every sample, every change: traces, evaluation rows, comparisons.

    Args:
        source: a program or module (its ``traces``), a
            :class:`~synalinks_nb.traces.TraceList`, an
            :class:`~synalinks_nb.trainers.EvaluationResult` or a
            :class:`~synalinks_nb.trainers.Comparison`.
        threshold: a row is a failure when its reward is below it.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> from synalinks_nb.notebook import TraceViewer
        >>> sn.config.traces.configure(enabled=True)
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> gen = sn.Generator(data_model=Answer, name="qa_viewer",
        ...                    language_model=sn.ScriptedLanguageModel(responses=[{"answer": "4"}]))
        >>> _ = asyncio.run(gen(Answer(answer="2+2?")))
        >>> viewer = TraceViewer(gen)
        >>> viewer
        TraceViewer(kind='traces', traces=1, rows=0)
        >>> viewer.traces[0]["spans"][0]["lm_calls"][0]["output"]
        {'answer': '4'}
    """

    _bundle = "trace_viewer"

    kind = traitlets.Unicode("traces").tag(sync=True)
    """``"traces"``, ``"evaluation"`` or ``"comparison"``: what the rows are."""
    title = traitlets.Unicode("").tag(sync=True)
    """A heading (the source's summary)."""
    traces: traitlets.List[Any] = traitlets.List().tag(sync=True)
    """``CallTrace.to_dict()`` of each trace shown (rows refer to them by ``id``)."""
    rows: traitlets.List[Any] = traitlets.List().tag(sync=True)
    """One row per sample: index, inputs, expected, predicted, reward, error, trace_id,
    status and, in a comparison, ``after`` (predicted, reward, error, trace_id)."""
    threshold = traitlets.Float(1.0).tag(sync=True)
    """Rewards below it are failures (and, in a comparison, wrong)."""

    def __init__(self, source: Any, threshold: float = 1.0) -> None:
        super().__init__()
        self.threshold = float(threshold)
        self._source = source
        self.refresh()

    def refresh(self) -> None:
        """Read the source again (a program's traces grow with each call)."""
        source = self._source
        if isinstance(source, Comparison):
            self.threshold = source.threshold
            self.kind, self.title = "comparison", repr(source)
            self.traces = _traces_of([r.trace for pair in source.rows
                                      for r in (pair.before, pair.after)])
            self.rows = [_row(p.before, p.status, p.after) for p in source.rows]
        elif isinstance(source, EvaluationResult):
            self.kind, self.title = "evaluation", repr(source)
            self.traces = _traces_of([r.trace for r in source])
            self.rows = [_row(r) for r in source]
        else:
            traces = source.traces if hasattr(source, "traces") else source
            if not isinstance(traces, TraceList):
                raise TypeError("Expected a program, a TraceList, an EvaluationResult or a "
                                f"Comparison. Received: {type(source).__name__}")
            self.kind, self.title = "traces", repr(traces)
            self.traces, self.rows = _traces_of(list(traces)), []

    def __repr__(self) -> str:
        return f"TraceViewer(kind={self.kind!r}, traces={len(self.traces)}, rows={len(self.rows)})"

    def _fallback_html(self) -> str:
        source = self._source
        if isinstance(source, Comparison | EvaluationResult | TraceList):
            return source._repr_html_()
        return TraceList(getattr(source, "traces", []))._repr_html_()
