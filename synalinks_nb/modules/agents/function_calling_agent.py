"""``FunctionCallingAgent``: a model that calls tools in a loop, then answers (Synalinks' agent).

Each step, the step generator (a :class:`~synalinks_nb.modules.Generator` offered the
tools) reads the trajectory — the inputs and the messages so far — and answers an
assistant message whose ``tool_calls`` name tools and arguments. The calls run
concurrently (:mod:`.tool_dispatch`), their results join the trajectory as ``tool``
messages, and the next step sees them. An answer without tool calls ends the loop; the
final generator then writes the output (``data_model``/``schema``, or a chat message).

Tool choices go through the language model's ``tools=`` argument
(:mod:`~synalinks_nb.language_models.tool_calls`): native function calling on providers
that support it, an answer constrained to a tool-calls JSON schema elsewhere (the
embedded model, the scripted model). Both generators have trainable instructions, so
``fit`` can tune an agent like any program.

Two modes, as in Synalinks:

- **autonomous** (default): any inputs; up to ``max_iterations`` steps. Reaching the bound
  with tool calls still coming is logged as a warning and recorded as the run's outcome
  (``"max_iterations"``); the final answer is still written, from what was gathered.
- **interactive** (``autonomous=False``): inputs are ``ChatMessages``; one step per call.
  When the last message is the assistant's with ``tool_calls`` (validated or edited by
  the caller), those calls run first; the model then proposes the next calls (returned
  for validation) or, proposing none, answers.

Traced calls keep each step on the agent's span (:class:`~synalinks_nb.traces.AgentRun`:
tool, arguments, result, seconds, tokens) and each tool call as a span of its own.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from synalinks_nb.data_models.chat import ChatMessages, is_chat_messages
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.language_models.streaming import trajectory_scope
from synalinks_nb.modules.agents.agent_context import (
    agents_md_message,
    prepend_context,
    read_skill_tool,
    resolve_directories,
    skills_message,
)
from synalinks_nb.modules.agents.tool_dispatch import decision_usage, run_tool_calls, start_run
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.core.language_model_ref import LanguageModelRef
from synalinks_nb.modules.core.tool import Tool
from synalinks_nb.modules.module import Module
from synalinks_nb.traces.agents import AgentRun, AgentStep

__all__ = ["FunctionCallingAgent", "default_instructions"]

_log = logging.getLogger("synalinks_nb.agents")


def default_instructions() -> str:
    """The step generator's default instructions."""
    return ("Think step by step about what you observe and what remains to do. Review the "
            "results of earlier tool calls instead of repeating them. Call the tools you "
            "need now; when you have enough information to complete the task, call no tool.")


_FINAL_INSTRUCTIONS = ("Answer the task from the inputs and what the tool calls above "
                       "returned.")


def _compact(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if v is not None}


class FunctionCallingAgent(Module):
    """An agent that calls ``tools`` until it can answer (Synalinks' arguments).

    Args:
        schema: the final answer's JSON schema (or give ``data_model``); without
            either, the answer is an assistant chat message appended to the trajectory.
        data_model: the final answer's DataModel.
        language_model: the model (object, id, or ``None`` for the default).
        prompt_template, examples, instructions: the step generator's (see ``Generator``).
        final_instructions: the final generator's instructions (default: ``instructions``
            when given, else an instruction to answer from the trajectory).
        temperature, max_tokens, top_p, top_k, reasoning_effort: sampling, for both
            generators.
        use_inputs_schema, use_outputs_schema: show schemas in the step prompt.
        use_chain_of_thought: accepted; every step already carries its ``thinking``.
        tools: :class:`Tool` s or plain functions (sync or async; wrapped in a Tool).
        autonomous: run the loop (``True``) or one step per call (``False``).
        return_inputs_with_trajectory: with a schema, return the messages with the answer
            (interactive: all messages rather than this step's).
        max_iterations: the autonomous loop's bound on steps.
        workdir: an existing directory; its root ``AGENTS.md`` is sent as a user message
            at the front of the trajectory (see :mod:`.agent_context`).
        skills: Agent Skill root directories (``<root>/<name>/SKILL.md``): their names and
            descriptions are listed in a user message, and a ``read_skill(name)`` tool
            (unless ``tools`` has one) returns a skill's instructions.
        streaming: stream the final answer (see ``Generator``); its time to first token
            from the agent's start is measured (``AvgTrajectoryTimeToFirstToken``).
        name, description: as for every module.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: float
        >>> async def multiply(a: float, b: float) -> dict:
        ...     '''Multiply two numbers.
        ...
        ...     Args:
        ...         a: The first number.
        ...         b: The second number.
        ...     '''
        ...     return {"product": a * b}
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"thinking": "multiply", "tool_calls": [
        ...         {"name": "multiply", "arguments": {"a": 6, "b": 7}}]},
        ...     {"thinking": "I have it", "tool_calls": []},
        ...     {"answer": 42.0}])
        >>> agent = sn.FunctionCallingAgent(data_model=Answer, tools=[sn.Tool(multiply)],
        ...                                 language_model=lm)
        >>> result = asyncio.run(agent(Query(query="6 times 7?")))
        >>> result["answer"], [m["role"] for m in result["messages"]]
        (42.0, ['assistant', 'tool'])
        >>> result["messages"][1]["content"]
        {'product': 42}
    """

    def __init__(
        self, *, schema: dict[str, Any] | None = None, data_model: Any = None,
        language_model: Any = None, prompt_template: str | None = None, examples: Any = None,
        instructions: str | None = None, final_instructions: str | None = None,
        temperature: float | None = None, max_tokens: int | None = None,
        top_p: float | None = None, top_k: int | None = None,
        use_inputs_schema: bool = False, use_outputs_schema: bool = False,
        reasoning_effort: str | None = None, use_chain_of_thought: bool = False,
        tools: Any = None, autonomous: bool = True, return_inputs_with_trajectory: bool = True,
        max_iterations: int = 5, streaming: bool = False, workdir: str | None = None,
        skills: list[str] | None = None, name: str | None = None,
        description: str | None = None, trainable: bool = True,
    ) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        self._read_context(workdir, skills)
        if isinstance(max_iterations, bool) or not isinstance(max_iterations, int) or (
                max_iterations < 1):
            raise ModuleError("Expected max_iterations to be a positive int. "
                              f"Received: max_iterations={max_iterations!r}")
        self.schema = schema if schema is not None else (
            data_model.get_schema() if data_model is not None else None)
        builtin = [read_skill_tool(self.skills)] if self.skills else []
        self.tools = _tools(tools, builtin)
        self._builtin_tools = {n for n, t in self.tools.items() if any(t is b for b in builtin)}
        self.autonomous = bool(autonomous)
        self.return_inputs_with_trajectory = bool(return_inputs_with_trajectory)
        self.max_iterations = max_iterations
        self.use_chain_of_thought = bool(use_chain_of_thought)
        self.streaming = bool(streaming)
        self.instructions = instructions or default_instructions()
        # As in Synalinks, given instructions serve both generators; the default step
        # instructions (about calling tools) would only confuse the final answer.
        self.final_instructions = final_instructions or instructions or _FINAL_INSTRUCTIONS
        sampling = SamplingSettings(temperature=temperature, max_tokens=max_tokens, top_p=top_p,
                                    top_k=top_k, reasoning_effort=reasoning_effort)
        self.language_model = LanguageModelRef(language_model)
        # (id(schema), inputs first) -> (schema, concatenated schema); see _schema_with_messages.
        self._concat_cache: dict[tuple[int, bool], tuple[dict[str, Any], dict[str, Any]]] = {}
        self.tool_calls_generator = Generator(
            language_model=language_model, prompt_template=prompt_template, examples=examples,
            instructions=self.instructions, use_inputs_schema=use_inputs_schema,
            use_outputs_schema=use_outputs_schema, name=f"tool_calls_generator_{self.name}",
            sampling=sampling)
        self.final_generator = Generator(
            schema=self.schema, language_model=language_model,
            instructions=self.final_instructions, name=f"final_generator_{self.name}",
            sampling=sampling, streaming=self.streaming)

    def _read_context(self, workdir: str | None, skills: list[str] | None) -> None:
        """Read ``AGENTS.md`` and the skills once: every call sends the same messages."""
        if skills is not None and not (isinstance(skills, list | tuple)
                                       and all(isinstance(p, str | Path) for p in skills)):
            raise ModuleError("Expected skills to be a list of directory paths. "
                              f"Received: skills={skills!r}")
        if workdir is not None and not isinstance(workdir, str | Path):
            raise ModuleError(f"Expected workdir to be a directory path. Received: "
                              f"workdir={workdir!r}")
        self.workdir = resolve_directories([str(workdir)], "workdir")[0] if workdir else None
        self.skills = resolve_directories([str(p) for p in skills or []], "skills")
        # Skills first, then AGENTS.md in front of them, as Synalinks orders them.
        self._context = (skills_message(self.skills), agents_md_message(self.workdir))

    # -- running -----------------------------------------------------------------------

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        if not self.autonomous and not is_chat_messages(inputs):
            raise ModuleError(f"Expected ChatMessages as the inputs of the interactive agent "
                              f"{self.name!r}. Received: {type(inputs).__name__} with fields "
                              f"{list(inputs.get_json())}")
        data = inputs.get_json()
        messages = prepend_context([_compact(m) for m in data.get("messages") or []],
                                   *self._context)
        base = {**data, "messages": messages}
        schema = inputs.get_schema() if is_chat_messages(inputs) else self._schema_with_messages(
            inputs)
        with trajectory_scope():  # a streamed final answer is timed from here
            if self.autonomous:
                return await self._run_autonomous(base, schema)
            return await self._run_interactive(base, schema)

    async def _decide(self, run: AgentRun, trajectory: JsonDataModel
                      ) -> tuple[AgentStep, dict[str, Any]]:
        started = time.perf_counter()
        message = _compact((await self.tool_calls_generator(
            trajectory, tools=list(self.tools.values()))).get_json())
        step = AgentStep(index=run.steps[-1].index + 1 if run.steps else 1,
                         thinking=str(message.get("content") or ""),
                         latency_s=time.perf_counter() - started)
        decision_usage(step, self.tool_calls_generator.name)
        run.steps.append(step)
        return step, message

    async def _act(self, step: AgentStep, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
        messages, records = await run_tool_calls(self.tools, calls)
        step.calls.extend(records)
        return messages

    async def _run_autonomous(self, base: dict[str, Any], schema: dict[str, Any]) -> Any:
        run = start_run(self, "autonomous")
        messages: list[dict[str, Any]] = list(base["messages"])
        for _ in range(self.max_iterations):
            trajectory = JsonDataModel(schema=schema, json={**base, "messages": messages})
            step, message = await self._decide(run, trajectory)
            if not message.get("tool_calls"):
                run.outcome = "answered"
                break
            messages.append(message)
            messages.extend(await self._act(step, message["tool_calls"]))
        else:
            run.outcome = "max_iterations"
            _log.warning("agent %r reached max_iterations=%d with tool calls still coming; "
                         "its final answer is written from an unfinished trajectory",
                         self.name, self.max_iterations)
        trajectory = JsonDataModel(schema=schema, json={**base, "messages": messages})
        final = await self.final_generator(trajectory)
        return self._wrap(messages, final)

    async def _run_interactive(self, base: dict[str, Any], schema: dict[str, Any]) -> Any:
        run = start_run(self, "interactive")
        messages: list[dict[str, Any]] = list(base["messages"])
        new: list[dict[str, Any]] = []
        last = messages[-1] if messages else {}
        if last.get("role") == "assistant" and last.get("tool_calls"):
            step = AgentStep(index=0, thinking=str(last.get("content") or ""))
            run.steps.append(step)  # step 0: the calls the caller validated
            results = await self._act(step, last["tool_calls"])
            messages += results
            new += results
        trajectory = JsonDataModel(schema=schema, json={**base, "messages": messages})
        _, message = await self._decide(run, trajectory)
        if message.get("tool_calls"):
            run.outcome = "awaiting_approval"
            messages.append(message)
            new.append(message)
            return _chat_messages(messages if self.return_inputs_with_trajectory else new)
        run.outcome = "answered"
        final = await self.final_generator(trajectory)
        return self._wrap(messages if self.return_inputs_with_trajectory else new, final)

    def _wrap(self, messages: list[dict[str, Any]], final: Any) -> Any:
        if self.schema is None:
            return _chat_messages([*messages, _compact(final.get_json())])
        if self.autonomous and not self.return_inputs_with_trajectory:
            return final
        answer = final.get_json()
        if "messages" in answer:  # a clash: the concatenation renames, as `+` does
            return _chat_messages(messages) + final
        schema = self._schema_with_messages(final, first=False)
        return JsonDataModel(schema=schema, json={"messages": messages, **answer})

    def _schema_with_messages(self, model: Any, first: bool = True) -> dict[str, Any]:
        """``model``'s schema concatenated with ChatMessages' (after it, or before it).

        Computed once per schema object: concatenating schemas costs far more than the
        rest of a step (measured: 1.7 ms per agent call before, 0.35 ms after).
        """
        schema = model.get_schema()
        key = (id(schema), first)
        hit = self._concat_cache.get(key)
        if hit is not None and hit[0] is schema:
            return hit[1]
        value = JsonDataModel(schema=schema, json=model.get_json())
        joined: dict[str, Any] = (
            value + ChatMessages() if first else ChatMessages() + value).get_schema()
        if len(self._concat_cache) > 16:
            self._concat_cache.clear()
        self._concat_cache[key] = (schema, joined)
        return joined

    # -- graph building ----------------------------------------------------------------

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        if not self.autonomous and not is_chat_messages(inputs):
            raise ModuleError(f"Expected ChatMessages as the inputs of the interactive agent "
                              f"{self.name!r}. Received a data model with fields "
                              f"{list(inputs.get_schema().get('properties') or {})}")
        trajectory = inputs if is_chat_messages(inputs) else (
            inputs + ChatMessages.to_symbolic_data_model())
        await self.tool_calls_generator(trajectory)
        final = await self.final_generator(trajectory)
        chat = ChatMessages.to_symbolic_data_model(name=self.name)
        if self.schema is None:
            return chat
        if self.autonomous and not self.return_inputs_with_trajectory:
            return SymbolicDataModel(schema=self.schema, name=self.name)
        return chat + final

    # -- config ------------------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        step = self.tool_calls_generator.get_config()
        final = self.final_generator.get_config()
        return {
            **super().get_config(),
            "schema": self.schema, "language_model": step["language_model"],
            "prompt_template": step["prompt_template"], "examples": step["examples"],
            "instructions": step["instructions"], "final_instructions": final["instructions"],
            **{k: step["sampling"].get(k) for k in
               ("temperature", "max_tokens", "top_p", "top_k", "reasoning_effort")},
            "use_inputs_schema": step["use_inputs_schema"],
            "use_outputs_schema": step["use_outputs_schema"],
            "use_chain_of_thought": self.use_chain_of_thought,
            # The built-in read_skill is rebuilt from `skills` (Synalinks saves only the user's).
            "tools": sorted(n for n in self.tools if n not in self._builtin_tools),
            "workdir": self.workdir, "skills": self.skills, "autonomous": self.autonomous,
            "return_inputs_with_trajectory": self.return_inputs_with_trajectory,
            "max_iterations": self.max_iterations, "streaming": self.streaming,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> FunctionCallingAgent:
        from synalinks_nb.modules.core.language_model_ref import deserialize_language_model
        from synalinks_nb.modules.serialization import resolve_function

        config = dict(config)
        owner = f"FunctionCallingAgent {config.get('name')!r}"
        config["tools"] = [resolve_function(name, custom_objects, owner)
                           for name in config.get("tools") or []]
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)


def _tools(tools: Any, builtin: list[Tool]) -> dict[str, Tool]:
    """The user's tools by name, then each built-in whose name the user did not take."""
    items = list(tools.values()) if isinstance(tools, dict) else list(tools or [])
    if not items and not builtin:
        raise ModuleError("Expected at least one tool for FunctionCallingAgent (or skills, "
                          f"which bring read_skill). Received: tools={tools!r}")
    found: dict[str, Tool] = {}
    for item in items:
        tool = item if isinstance(item, Tool) else Tool(item)
        if tool.name.startswith("_") or tool.name in found:
            raise ModuleError(f"Expected tools with distinct public names. Received: "
                              f"{[getattr(t, 'name', t) for t in items]}")
        found[tool.name] = tool
    for tool in builtin:  # a user's own read_skill wins over the built-in (Synalinks)
        found.setdefault(tool.name, tool)
    return found


def _chat_messages(messages: list[dict[str, Any]]) -> JsonDataModel:
    return JsonDataModel(schema=ChatMessages.get_schema(), json={"messages": messages})
