"""Reading traces: :class:`TraceList` (pandas, HTML), text for terminals, ``inspect_history``.

The HTML here is the static fallback of the trace widget
(``sn.notebook.TraceViewer``): nested ``<details>`` that GitHub and nbconvert
show without any JavaScript, one per module call, opening on the messages
as sent and the answer as received.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Sequence
from typing import Any, overload

from synalinks_nb.traces.records import CallTrace, LMCall, Span, as_json, message_text

__all__ = ["TraceList", "format_lm_call", "format_trace", "inspect_history"]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=repr)


def format_lm_call(call: LMCall, indent: str = "") -> str:
    """One model call as text: messages by role, raw answers, rejections, parsed answer.

    Example:
        >>> from synalinks_nb.traces import LMCall
        >>> call = LMCall(model="m", messages=[{"role": "user", "content": "2+2?"}],
        ...               schema=None, raw=["4"], rejections=[], output={"content": "4"},
        ...               latency_s=0.1)
        >>> print(format_lm_call(call))
        model m · 0.100 s · 0 tokens
        [user] 2+2?
        [answer] 4
        [parsed] {"content": "4"}
    """
    flags = [f"model {call.model}", f"{call.latency_s:.3f} s",
             f"{call.prompt_tokens + call.completion_tokens} tokens"]
    if call.cost:
        flags.append(f"${call.cost:.6f}")
    if call.cached:
        flags.append("cache hit")
    if call.phase != "inference":
        flags.append(f"phase {call.phase}")
    lines = [" · ".join(flags)]
    lines += [f"[{m['role']}] {m['content']}" for m in map(message_text, call.messages)]
    for i, raw in enumerate(call.raw_text()):
        lines.append(f"[{'answer' if i == 0 else 'repair answer'}] {raw}")
        if i < len(call.rejections):
            lines.append(f"[rejected] {call.rejections[i]}")
    if call.error:
        lines.append(f"[error] {call.error}")
    else:
        lines.append(f"[parsed] {_dumps(call.output)}")
    return "\n".join(indent + line for line in lines)


def _span_header(span: Span) -> str:
    variables = ", ".join(str(v) for v in span.variables)
    text = f"{span.module} ({span.kind}) · {span.latency_s:.3f} s"
    if variables:
        text += f" · {variables}"
    if span.error:
        text += f" · ERROR {span.error}"
    return text


def format_trace(trace: CallTrace) -> str:
    """A whole trace as indented text, one block per module call.

    Example:
        >>> from synalinks_nb.traces import CallTrace, Span
        >>> trace = CallTrace(id=1, root="qa", root_key=0, sample_id=3, timestamp=0.0,
        ...                   spans=[Span(index=0, parent=None, depth=0, module="qa",
        ...                               kind="Program", inputs={"q": "?"})])
        >>> print(format_trace(trace))
        trace 1 · qa · sample 3 · 0.000 s
          qa (Program) · 0.000 s
    """
    head = f"trace {trace.id} · {trace.root}"
    if trace.sample_id is not None:
        head += f" · sample {trace.sample_id}"
    lines = [f"{head} · {trace.latency_s:.3f} s"]
    for span in trace.spans:
        pad = "  " * (span.depth + 1)
        lines.append(pad + _span_header(span))
        if span.agent is not None:  # the agent's steps as a table, before its calls
            lines += [pad + "  " + line for line in str(span.agent).splitlines()]
        lines += [format_lm_call(c, pad + "  ") for c in span.lm_calls]
    if trace.dropped:
        lines.append(f"  ... {trace.dropped} more call(s) not kept")
    return "\n".join(lines)


def inspect_history(n: int = 1, traces: Sequence[CallTrace] | None = None) -> None:
    """Print the last ``n`` language-model calls (from every recorded trace).

    Args:
        n: how many calls to print, most recent last.
        traces: where to look; ``sn.config.traces`` by default.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> sn.config.traces.configure(enabled=True)
        >>> sn.config.traces.clear()
        >>> lm = sn.ScriptedLanguageModel(responses=["Paris."])
        >>> _ = asyncio.run(lm([{"role": "user", "content": "Capital of France?"}]))
        >>> sn.inspect_history(1)  # doctest: +ELLIPSIS
        --- scripted · call 1 of 1
        model scripted · ... s · 0 tokens
        [user] Capital of France?
        [answer] Paris.
        [parsed] {"role": "assistant", "content": "Paris."}
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"Expected n to be a positive int. Received: n={n!r}")
    if traces is None:
        from synalinks_nb.config import config

        traces = config.traces.all()
    calls = [(s.module, c) for t in traces for s in t.spans for c in s.lm_calls]
    if not calls:
        print("No model call recorded. Tracing is off outside notebooks: "
              "sn.config.traces.configure(enabled=True) turns it on.")
        return
    shown = calls[-n:]
    for i, (module, call) in enumerate(shown, start=len(calls) - len(shown) + 1):
        print(f"--- {module} · call {i} of {len(calls)}")
        print(format_lm_call(call))


def _html_span(trace: CallTrace, span: Span) -> str:
    parts = [f"<summary>{html.escape(_span_header(span))}</summary>"]
    if span.agent is not None:
        parts.append(span.agent._repr_html_())
    for call in span.lm_calls:
        parts.append(f"<pre class='sn-trace-call'>{html.escape(format_lm_call(call))}</pre>")
    parts += [_html_span(trace, child) for child in trace.children(span)]
    return f"<details class='sn-trace-span'>{''.join(parts)}</details>"


def trace_html(trace: CallTrace) -> str:
    """One trace as nested ``<details>`` (module calls), each showing its model calls."""
    inner = "".join(_html_span(trace, s) for s in trace.children(None))
    sample = "" if trace.sample_id is None else f" · sample {html.escape(str(trace.sample_id))}"
    return (f"<div class='sn-trace'><b>trace {trace.id} · {html.escape(trace.root)}{sample}"
            f"</b>{inner}</div>")


class TraceList(Sequence[CallTrace]):
    """Traces, oldest first: ``len``, indexing, ``to_dataframe()``, an HTML view.

    Example:
        >>> from synalinks_nb.traces import CallTrace, TraceList
        >>> traces = TraceList([CallTrace(id=7, root="qa", root_key=0, sample_id=None,
        ...                               timestamp=0.0)])
        >>> traces
        TraceList(1 trace(s): [7])
        >>> traces.to_dataframe().columns[:4].tolist()
        ['trace_id', 'sample_id', 'span', 'parent']
    """

    def __init__(self, traces: Sequence[CallTrace]) -> None:
        self._traces = list(traces)

    @overload
    def __getitem__(self, index: int) -> CallTrace: ...
    @overload
    def __getitem__(self, index: slice) -> TraceList: ...
    def __getitem__(self, index: int | slice) -> CallTrace | TraceList:
        if isinstance(index, slice):
            return TraceList(self._traces[index])
        return self._traces[index]

    def __len__(self) -> int:
        return len(self._traces)

    def __iter__(self) -> Iterator[CallTrace]:
        return iter(self._traces)

    def find(self, trace_id: int) -> CallTrace:
        """The trace with this id; ``KeyError`` saying which ids exist otherwise."""
        for trace in self._traces:
            if trace.id == trace_id:
                return trace
        raise KeyError(f"Expected one of the trace ids {[t.id for t in self._traces][-20:]}. "
                       f"Received: {trace_id!r}")

    def to_records(self) -> list[dict[str, Any]]:
        """One row per module call: ids, nesting, module, latency, usage, error, versions."""
        rows = []
        for trace in self._traces:
            for span in trace.spans:
                calls = span.lm_calls
                rows.append({
                    "trace_id": trace.id, "sample_id": trace.sample_id, "span": span.index,
                    "parent": span.parent, "depth": span.depth, "module": span.module,
                    "kind": span.kind, "latency_s": span.latency_s, "lm_calls": len(calls),
                    "tokens": sum(c.prompt_tokens + c.completion_tokens for c in calls),
                    "cost": sum(c.cost for c in calls),
                    "cache_hits": sum(c.cached for c in calls),
                    "repairs": sum(c.repaired for c in calls), "error": span.error,
                    "variables": ", ".join(str(v) for v in span.variables),
                    "inputs": as_json(span.inputs), "outputs": as_json(span.outputs),
                })
        return rows

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`to_records` (pandas is imported here only)."""
        import pandas as pd

        columns = ["trace_id", "sample_id", "span", "parent", "depth", "module", "kind",
                   "latency_s", "lm_calls", "tokens", "cost", "cache_hits", "repairs", "error",
                   "variables", "inputs", "outputs"]
        return pd.DataFrame(self.to_records(), columns=columns)

    def to_json(self) -> list[dict[str, Any]]:
        """Every trace as plain JSON."""
        return [t.to_dict() for t in self._traces]

    def __repr__(self) -> str:
        ids = [t.id for t in self._traces]
        shown = ids if len(ids) <= 10 else [*ids[:3], "...", *ids[-3:]]
        return f"TraceList({len(ids)} trace(s): {shown})".replace("'...'", "...")

    def _repr_html_(self) -> str:
        if not self._traces:
            return "<div class='sn-trace'>No trace recorded.</div>"
        return "".join(trace_html(t) for t in self._traces[-50:])
