"""What a trace holds: one :class:`CallTrace` per top-level call, made of :class:`Span` s.

A span is one module call (or, for a language model called outside any
module, the model itself). Spans are kept flat, in start order, each naming
its parent, so concurrent branches and nested modules need no tree surgery;
:meth:`CallTrace.children` rebuilds the nesting. A span lists the language
model calls made directly inside it as :class:`LMCall` records.

Inputs and outputs are kept as the objects the modules exchanged and turned
into JSON only when asked (:meth:`Span.to_dict`): converting every value at
call time would cost more than the rest of the tracing together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.traces.agents import AgentRun

__all__ = ["CallTrace", "LMCall", "Span", "VariableUse", "as_json", "message_text"]


def as_json(value: Any) -> Any:
    """A data model's JSON, a list of them as a list, plain JSON unchanged.

    Example:
        >>> as_json([None, {"a": 1}])
        [None, {'a': 1}]
    """
    if value is None or isinstance(value, str | int | float | bool | dict):
        return value
    if hasattr(value, "get_json"):
        return value.get_json()
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if hasattr(value, "message") and hasattr(value, "error"):  # a PredictionFailure
        return {"error": str(value.message)}
    return repr(value)


def message_text(message: dict[str, Any]) -> dict[str, str]:
    """A chat message as ``{"role", "content"}`` text: JSON content dumped, tool calls shown.

    Example:
        >>> message_text({"role": "assistant", "content": "adding", "tool_calls": [
        ...     {"id": "c1", "function": {"name": "add", "arguments": {"a": 1}}}]})
        {'role': 'assistant', 'content': 'adding\\ncalls add({"a": 1}) [c1]'}
    """
    content = message.get("content")
    text = content if isinstance(content, str) else (
        "" if content is None else json.dumps(content, ensure_ascii=False, default=repr))
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        arguments = json.dumps(function.get("arguments"), ensure_ascii=False, default=repr)
        text += f"\ncalls {function.get('name')}({arguments}) [{call.get('id')}]"
    if message.get("tool_call_id"):
        text = f"[{message['tool_call_id']}] {text}"
    return {"role": str(message.get("role")), "content": text.strip("\n")}


@dataclass(frozen=True, slots=True)
class VariableUse:
    """The version of a variable a module read during a call.

    Attributes:
        path: the variable's path (``module/name``).
        version: index of the accepted version at call time.
        candidate: ``True`` when a candidate value (not yet a version) was
            overlaid for this call, as the trainer does while scoring proposals.
    """

    path: str
    version: int
    candidate: bool = False

    def __str__(self) -> str:
        return f"{self.path}@v{self.version}" + (" (candidate)" if self.candidate else "")


@dataclass(slots=True)
class LMCall:
    """One request to a language model, as sent and as answered.

    Attributes:
        model: the model id that answered.
        messages: the chat messages sent (system, example turns, user).
        schema: the JSON schema asked for, or ``None`` for a chat answer.
        raw: the raw answers in order: the first, then the repair attempt's if any.
        rejections: why each rejected answer was rejected (parse or schema errors).
        output: the validated JSON answer (``None`` when the call failed).
        latency_s: seconds from request to answer (0 for a cache hit).
        prompt_tokens, completion_tokens, cost: as reported by the backend.
        cached: answered from the on-disk cache.
        error: the exception's class and message when the call failed.
        phase: the usage phase (``"inference"``, ``"reward"``, ``"optimizer"``).
    """

    model: str
    messages: list[dict[str, Any]]
    schema: dict[str, Any] | None
    raw: list[Any]
    rejections: list[str]
    output: Any
    latency_s: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    cached: bool = False
    error: str | None = None
    phase: str = "inference"

    @property
    def repaired(self) -> bool:
        """Whether a first answer was rejected and a repair attempt was made."""
        return bool(self.rejections)

    def raw_text(self) -> list[str]:
        """The raw answers as text."""
        return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in self.raw]

    def to_dict(self) -> dict[str, Any]:
        """The call as plain JSON."""
        return {
            "model": self.model, "messages": [message_text(m) for m in self.messages],
            "schema_title": (self.schema or {}).get("title"), "raw": self.raw_text(),
            "rejections": list(self.rejections), "repaired": self.repaired,
            "output": self.output, "latency_s": self.latency_s,
            "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
            "cost": self.cost, "cached": self.cached, "error": self.error, "phase": self.phase,
        }


@dataclass(slots=True)
class Span:
    """One module call inside a :class:`CallTrace`.

    Attributes:
        index: position in the trace's ``spans``.
        parent: the index of the calling span, ``None`` for the root.
        depth: nesting depth (0 for the root).
        module: the module's name.
        kind: the module's class name.
        inputs, outputs: what the module received and returned.
        error: ``"<Type>: <message>"`` when the call raised.
        start_s: seconds from the trace's start.
        latency_s: seconds the call took.
        variables: the variable versions the module read.
        lm_calls: the language model calls made directly by this module.
        agent: an agent's steps, when the module is an agent.
    """

    index: int
    parent: int | None
    depth: int
    module: str
    kind: str
    inputs: Any
    outputs: Any = None
    error: str | None = None
    start_s: float = 0.0
    latency_s: float = 0.0
    variables: list[VariableUse] = field(default_factory=list)
    lm_calls: list[LMCall] = field(default_factory=list)
    agent: AgentRun | None = None

    def to_dict(self) -> dict[str, Any]:
        """The span as plain JSON (``agent`` only on an agent's span)."""
        extra = {} if self.agent is None else {"agent": self.agent.to_dict()}
        return {
            "index": self.index, "parent": self.parent, "depth": self.depth,
            "module": self.module, "kind": self.kind, "inputs": as_json(self.inputs),
            "outputs": as_json(self.outputs), "error": self.error, "start_s": self.start_s,
            "latency_s": self.latency_s,
            "variables": [{"path": v.path, "version": v.version, "candidate": v.candidate}
                          for v in self.variables],
            "lm_calls": [c.to_dict() for c in self.lm_calls], **extra,
        }


@dataclass(slots=True)
class CallTrace:
    """Every module and model call made by one top-level call.

    Attributes:
        id: a number unique in the process, increasing with start time.
        root: the name of the module (or model) called.
        root_key: identifies the called object (``program.traces`` filters on it).
        sample_id: the sample's index when the trainer ran the call, else ``None``.
        timestamp: wall-clock start (``time.time()``).
        spans: the calls made, in start order; ``spans[0]`` is the root.
        dropped: spans not kept because the trace reached its size bound.
        started_perf: ``time.perf_counter()`` at the start (spans' ``start_s`` origin).
    """

    id: int
    root: str
    root_key: int
    sample_id: Any
    timestamp: float
    spans: list[Span] = field(default_factory=list)
    dropped: int = 0
    started_perf: float = 0.0

    @property
    def latency_s(self) -> float:
        """Seconds the whole call took."""
        return self.spans[0].latency_s if self.spans else 0.0

    @property
    def error(self) -> str | None:
        """The root call's error, if it raised."""
        return self.spans[0].error if self.spans else None

    @property
    def lm_calls(self) -> list[LMCall]:
        """Every language model call, in the order their modules started."""
        return [c for s in self.spans for c in s.lm_calls]

    def agent_runs(self) -> list[AgentRun]:
        """The trajectories of the agents called, in the order they started."""
        return [s.agent for s in self.spans if s.agent is not None]

    def children(self, span: Span | None = None) -> list[Span]:
        """The spans called directly by ``span`` (by the root when ``None``)."""
        parent = None if span is None else span.index
        return [s for s in self.spans if s.parent == parent]

    def to_dict(self) -> dict[str, Any]:
        """The trace as plain JSON (what the widget shows)."""
        return {
            "id": self.id, "root": self.root, "sample_id": _json_id(self.sample_id),
            "timestamp": self.timestamp, "latency_s": self.latency_s, "error": self.error,
            "dropped": self.dropped, "spans": [s.to_dict() for s in self.spans],
        }

    def __repr__(self) -> str:
        return (f"CallTrace(id={self.id}, root={self.root!r}, spans={len(self.spans)}, "
                f"lm_calls={len(self.lm_calls)}, error={self.error!r})")


def _json_id(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float) else repr(value)
