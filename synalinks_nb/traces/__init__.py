"""Traces: what every module and model call saw and answered, kept in a bounded buffer.

Each top-level call (a program, a module, or a model called on its own) becomes
a :class:`CallTrace`: one :class:`Span` per module call, nested by parent, each
with its inputs, outputs, error, latency, the variable versions it read
(``candidate`` when the trainer overlaid a proposal) and its language-model
calls (:class:`LMCall`: messages as sent, raw answers, rejections and the
repair, parsed answer, tokens, cost, cache hit). :class:`TraceStore` on
``sn.config.traces`` keeps the last 500 (configurable); see
:mod:`~synalinks_nb.traces.recorder` for when calls are recorded.
``program.traces`` lists a program's traces (:class:`TraceList`, with
``to_dataframe()`` and an HTML view); an agent's span carries its steps
(:class:`AgentRun`, ``trace.agent_runs()``); :func:`inspect_history` prints the last
model calls as text.

This package is below language models and modules in the layering: it imports
only the standard library and ``errors``.
"""

from __future__ import annotations

from synalinks_nb.traces.agents import AgentRun, AgentStep, ToolCallRecord
from synalinks_nb.traces.recorder import (
    DEFAULT_CAPACITY,
    MAX_SPANS,
    TraceStore,
    collecting,
    current_span,
)
from synalinks_nb.traces.records import CallTrace, LMCall, Span, VariableUse
from synalinks_nb.traces.views import TraceList, format_lm_call, format_trace, inspect_history

__all__ = [
    "DEFAULT_CAPACITY",
    "MAX_SPANS",
    "AgentRun",
    "AgentStep",
    "CallTrace",
    "LMCall",
    "Span",
    "ToolCallRecord",
    "TraceList",
    "TraceStore",
    "VariableUse",
    "collecting",
    "current_span",
    "format_lm_call",
    "format_trace",
    "inspect_history",
]
