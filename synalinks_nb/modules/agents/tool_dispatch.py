"""Running an agent step's tool calls, and recording the step in the trace.

Every call of a step runs concurrently (``asyncio.gather``, as in Synalinks). A call that
fails — an unknown tool, arguments that do not match the tool's schema, a tool that
raises, a result that is not JSON — does not stop the agent: its ``tool`` message says
``"error: <Type>: <message>"`` and the model sees it on its next step, which is bounded
by the agent's ``max_iterations``. The failure is also logged and kept in the trace
(the tool's span error and the step's :class:`~synalinks_nb.traces.ToolCallRecord`).
Each call is also shown to the hooks the settings ask for (:mod:`synalinks_nb.hooks`):
logged with ``enable_logging``, a ``TOOL`` span with ``enable_observability``.

Calls the model itself chose have already been validated against the tools' schemas by
the language model (with its one repair attempt); unknown tools and bad arguments reach
this module when the caller edited the calls (interactive mode) or wrote them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.hooks.dispatch import begin as hooks_begin
from synalinks_nb.hooks.dispatch import end as hooks_end
from synalinks_nb.traces.agents import AgentRun, AgentStep, ToolCallRecord
from synalinks_nb.traces.recorder import close_span, current_span, open_span

__all__ = ["as_tool_content", "decision_usage", "run_tool_calls", "start_run"]

_log = logging.getLogger("synalinks_nb.agents")


class _UnknownTool:
    """Stands for a tool the model named but the agent does not have (for its span)."""

    def __init__(self, name: str) -> None:
        self.name = name


def as_tool_content(result: Any) -> str | dict[str, Any]:
    """A tool's result as a ``tool`` message's content: text or a JSON object.

    Example:
        >>> as_tool_content(42), as_tool_content({"r": 1}), as_tool_content("ok")
        ({'result': 42}, {'r': 1}, 'ok')
    """
    if hasattr(result, "get_json"):
        result = result.get_json()
    if isinstance(result, str):
        return result
    try:
        json.dumps(result)
    except (TypeError, ValueError) as exc:
        raise ModuleError(f"Expected a tool to return JSON (a dict, a list, text, a number). "
                          f"Received: {type(result).__name__}") from exc
    return result if isinstance(result, dict) else {"result": result}


def _arguments(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else {}
    if not isinstance(raw, dict):
        raise ModuleError(f"Expected tool-call arguments to be a JSON object. Received: {raw!r}")
    return raw


async def _run_one(tools: dict[str, Any], call: dict[str, Any]
                   ) -> tuple[dict[str, Any], ToolCallRecord]:
    function = call.get("function") or {}
    name, call_id = str(function.get("name")), str(call.get("id") or "")
    tool = tools.get(name)
    raw_arguments = function.get("arguments")
    record = ToolCallRecord(id=call_id, tool=name, arguments=raw_arguments)
    owner = tool if tool is not None else _UnknownTool(name)
    # A tool is called with keyword arguments, as in Synalinks (where a Tool is a module).
    hooked = hooks_begin(owner, None, kwargs=raw_arguments if isinstance(raw_arguments, dict)
                         else {"arguments": raw_arguments})
    span = open_span(owner, raw_arguments)
    started = time.perf_counter()
    try:
        if tool is None:
            raise ModuleError(f"Expected one of the tools {sorted(tools)}. Received: {name!r}")
        content = as_tool_content(await tool(**_arguments(raw_arguments)))
    except Exception as exc:  # sent back to the model as an observation, not raised
        record.error = f"{type(exc).__name__}: {exc}"
        content = f"error: {record.error}"
        _log.warning("tool call %s(%s) failed: %s", name, raw_arguments, record.error)
        if span is not None:
            close_span(span, error=exc)
        hooks_end(hooked, error=exc)
    else:
        record.result = content
        if span is not None:
            close_span(span, content)
        hooks_end(hooked, content)
    record.latency_s = time.perf_counter() - started
    message = {"role": "tool", "tool_call_id": call_id, "content": content}
    return message, record


async def run_tool_calls(tools: dict[str, Any], calls: list[dict[str, Any]]
                         ) -> tuple[list[dict[str, Any]], list[ToolCallRecord]]:
    """Run ``calls`` concurrently; their ``tool`` messages and records, in call order."""
    done = await asyncio.gather(*(_run_one(tools, call) for call in calls))
    return [message for message, _ in done], [record for _, record in done]


def start_run(agent: Any, mode: str) -> AgentRun:
    """A new :class:`AgentRun`, attached to the agent's span when the call is traced."""
    run = AgentRun(agent=agent.name, mode=mode, max_iterations=agent.max_iterations)
    here = current_span()
    if here is not None:
        here[1].agent = run
    return run


def decision_usage(step: AgentStep, generator: str) -> None:
    """Fill ``step``'s tokens from the trace's last call of ``generator`` in this span."""
    here = current_span()
    if here is None:
        return
    trace, span = here
    for child in reversed(trace.spans):
        if child.parent == span.index and child.module == generator:
            step.prompt_tokens = sum(c.prompt_tokens for c in child.lm_calls)
            step.completion_tokens = sum(c.completion_tokens for c in child.lm_calls)
            return
