"""An agent's trajectory as recorded in a trace: its steps, tool calls, time and tokens.

A :class:`~synalinks_nb.modules.FunctionCallingAgent` call that is traced puts an
:class:`AgentRun` on its span (``span.agent``): one :class:`AgentStep` per decision of
the model, each with the tool calls it made (:class:`ToolCallRecord`: tool, arguments,
result or error, seconds), the decision's seconds and tokens, and how the run ended
(:attr:`AgentRun.outcome`). Each tool call is also a span of its own (kind ``Tool``), so
the TraceViewer shows it nested under the agent. ``trace.agent_runs()`` lists the runs of
a trace; an :class:`AgentRun` prints as a text table and shows as an HTML one.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["COLUMNS", "OUTCOMES", "AgentRun", "AgentStep", "ToolCallRecord"]

COLUMNS = ("step", "tool", "arguments", "result", "tool s", "model s", "tokens")
"""The columns of an :class:`AgentRun` table (seconds in the tool, in the model's decision)."""

OUTCOMES = {
    "running": "still running",
    "answered": "the model stopped calling tools and answered",
    "max_iterations": "stopped at max_iterations with tool calls still coming; the final "
                      "answer was written from an unfinished trajectory",
    "awaiting_approval": "interactive step: tool calls proposed, waiting for the caller",
}
"""Each :attr:`AgentRun.outcome` and what it means."""


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class ToolCallRecord:
    """One tool call of a step.

    Attributes:
        id: the call's id (the model's, or ours under constrained JSON).
        tool: the tool's name.
        arguments: the arguments the model gave.
        result: what the tool returned (``None`` when it failed).
        error: ``"<Type>: <message>"`` when the call failed (sent back to the model).
        latency_s: seconds the tool took.
    """

    id: str
    tool: str
    arguments: Any
    result: Any = None
    error: str | None = None
    latency_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The call as plain JSON."""
        return {"id": self.id, "tool": self.tool, "arguments": self.arguments,
                "result": self.result, "error": self.error, "latency_s": self.latency_s}


@dataclass(slots=True)
class AgentStep:
    """One decision of the model and the tool calls it made.

    Attributes:
        index: 1 for the first step.
        thinking: what the model said with its decision.
        calls: the tool calls made (empty: the model chose to answer).
        latency_s: seconds the decision took (the model call, without the tools).
        prompt_tokens, completion_tokens: what the decision cost.
    """

    index: int
    thinking: str = ""
    calls: list[ToolCallRecord] = field(default_factory=list)
    latency_s: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The step as plain JSON."""
        return {"index": self.index, "thinking": self.thinking,
                "calls": [c.to_dict() for c in self.calls], "latency_s": self.latency_s,
                "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens}


@dataclass(slots=True)
class AgentRun:
    """The trajectory of one agent call.

    Attributes:
        agent: the agent's name.
        mode: ``"autonomous"`` or ``"interactive"``.
        max_iterations: the step bound (autonomous mode).
        steps: the decisions, in order.
        outcome: a key of :data:`OUTCOMES`.
    """

    agent: str
    mode: str
    max_iterations: int
    steps: list[AgentStep] = field(default_factory=list)
    outcome: str = "running"

    def to_dict(self) -> dict[str, Any]:
        """The run as plain JSON."""
        return {"agent": self.agent, "mode": self.mode, "max_iterations": self.max_iterations,
                "outcome": self.outcome, "steps": [s.to_dict() for s in self.steps]}

    def rows(self) -> list[tuple[str, ...]]:
        """One row per tool call (or per decision without one), as text: see :data:`COLUMNS`.

        A decision's seconds and tokens are on the first row of its step.
        """
        out: list[tuple[str, ...]] = []
        for step in self.steps:
            model = (f"{step.latency_s:.3f}", str(step.prompt_tokens + step.completion_tokens))
            if not step.calls:
                out.append((str(step.index), "(no tool: answer)", "", _short(step.thinking), "",
                            *model))
            for call in step.calls:
                result = f"error: {call.error}" if call.error else _short(call.result)
                out.append((str(step.index), call.tool, _short(call.arguments), result,
                            f"{call.latency_s:.3f}", *model))
                model = ("", "")
        return out

    def __str__(self) -> str:
        rows = [COLUMNS, *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
        lines = [f"{self.agent} ({self.mode}): {OUTCOMES.get(self.outcome, self.outcome)}"]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                  for r in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self.rows()
        )
        head = "".join(f"<th>{h}</th>" for h in COLUMNS)
        summary = html.escape(f"{self.agent} ({self.mode}): "
                              f"{OUTCOMES.get(self.outcome, self.outcome)}")
        return (f'<div class="sn-agent-run"><p>{summary}</p><table class="sn-table">'
                f"<thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table></div>")

    def __repr__(self) -> str:
        calls = sum(len(s.calls) for s in self.steps)
        return (f"AgentRun(agent={self.agent!r}, steps={len(self.steps)}, tool_calls={calls}, "
                f"outcome={self.outcome!r})")
