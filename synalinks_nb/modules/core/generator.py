"""``Generator``: one structured language-model call, with trainable instructions and examples.

The Generator turns its input JSON into chat messages and asks its language
model for an answer valid for its output schema. With the default prompt the
messages are: a system prompt (the instructions and optional schemas), then one
user/assistant pair per few-shot example (the example's input JSON, then its
output JSON), then the input JSON as the last user message. Everything is
rendered as JSON, never Python reprs. Examples as turns rather than as text
inside the system prompt matter for small models: shown as ``Input:``/``Output:``
lines they tend to copy an example's answer instead of answering the input
(measured with SmolLM2-135M: an example's city came back in 14 of 48 answers).
A ``prompt_template`` (Synalinks' Jinja2 form, see
:mod:`~synalinks_nb.modules.core.prompt_template`) renders the whole system prompt,
examples included, as Synalinks' does; the input stays the last user message.

Its one trainable variable, ``<name>/instructions``, holds an
:class:`~synalinks_nb.data_models.Instructions` value: the instructions text
and the few-shot examples, nothing else. In training mode each prediction is
appended to the trainer's trace with the id of the sample it belongs to
(:mod:`synalinks_nb.modules.tracing`); the optimizer reads predictions from
there, not from the variable.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from synalinks_nb.data_models.builtins import Example, Instructions
from synalinks_nb.data_models.chat import ChatMessage, is_chat_messages
from synalinks_nb.data_models.data_model import schema_of
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.language_models.tool_calls import declarations, from_chat_message
from synalinks_nb.modules.core.language_model_ref import (
    LanguageModelRef,
    deserialize_language_model,
    serialize_language_model,
)
from synalinks_nb.modules.core.prompt_template import check_template, render_template
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.tracing import PredictionRecord, current_sample_id, current_trace

__all__ = ["DEFAULT_INSTRUCTIONS", "Generator", "default_prompt", "example_messages"]

DEFAULT_INSTRUCTIONS = "Answer the user's input with a JSON object that matches the output schema."


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def default_prompt(
    instructions: str,
    examples: list[dict[str, Any]],
    inputs_schema: dict[str, Any] | None,
    outputs_schema: dict[str, Any] | None,
) -> str:
    """The Generator's default system prompt: instructions and optional schemas.

    The examples are not part of it: :meth:`Generator.format_messages` sends
    them as user/assistant turns (see :func:`example_messages`). The argument
    stays for custom prompt functions that want them in the text.

    Example:
        >>> print(default_prompt("Be brief.", [], None, {"type": "object"}))
        Be brief.
        <BLANKLINE>
        Output schema:
        {"type": "object"}
    """
    parts = [instructions or DEFAULT_INSTRUCTIONS]
    if inputs_schema is not None:
        parts.append(f"Input schema:\n{_dumps(inputs_schema)}")
    if outputs_schema is not None:
        parts.append(f"Output schema:\n{_dumps(outputs_schema)}")
    return "\n\n".join(parts)


def example_messages(examples: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Few-shot examples as chat turns: the input JSON from the user, the output JSON answered.

    Example:
        >>> for message in example_messages([{"inputs": {"q": "1+1"}, "outputs": {"a": "2"}}]):
        ...     print(message)
        {'role': 'user', 'content': '{"q": "1+1"}'}
        {'role': 'assistant', 'content': '{"a": "2"}'}
    """
    messages = []
    for ex in examples:
        messages.append({"role": "user", "content": _dumps(ex["inputs"])})
        messages.append({"role": "assistant", "content": _dumps(ex["outputs"])})
    return messages


def _schema_of(schema: dict[str, Any] | None, data_model: Any) -> dict[str, Any] | None:
    if schema is not None:
        if not isinstance(schema, dict):
            raise TypeError(f"Expected schema to be a JSON schema dict. Received: "
                            f"{type(schema).__name__}")
        return schema
    if data_model is not None:
        return dict(schema_of(data_model))
    return None


def _offered_tools(tools: Any, tool_schemas: Any, schema: dict[str, Any] | None) -> list[Any]:
    """The tools a Generator always offers, checked when it is built."""
    offered = list(tools.values()) if isinstance(tools, dict) else list(tools or [])
    offered += list(tool_schemas or [])
    declarations(offered)  # a tool that cannot be declared fails now, not at the first call
    if offered and schema is not None:
        raise ValueError("Expected either a schema (data_model) or tools for a Generator, not "
                         "both: a schema forces the answer's shape, tools let the model choose. "
                         f"Received: schema with tools {[_tool_name(t) for t in offered]}")
    return offered


def _tool_name(tool: Any) -> str:
    return str(declarations([tool])[0]["function"]["name"])


def _examples_json(examples: Any) -> list[dict[str, Any]]:
    out = []
    for ex in examples or []:
        if isinstance(ex, tuple | list) and len(ex) == 2:
            ex = {"inputs": ex[0], "outputs": ex[1]}
        if isinstance(ex, dict):
            ex = {k: (v.get_json() if hasattr(v, "get_json") else v) for k, v in ex.items()}
        out.append(Example.model_validate(ex).get_json())
    return out


def _input_turns(inputs: Any) -> list[dict[str, Any]]:
    """The input as chat turns: a conversation's own messages, anything else as JSON.

    A conversation (a ``messages`` field, as Synalinks' chat programs and agents pass)
    is sent as its messages; the fields before ``messages`` (an agent's original
    inputs) come first as one user turn, those after it (a Decision's question) last.
    A conversation that brings its own system prompt keeps it, and the Generator's is
    left out.
    """
    data = inputs.get_json()
    if not is_chat_messages(inputs) or not isinstance(data.get("messages"), list):
        return [{"role": "user", "content": _dumps(data)}]
    keys = list(data)
    at = keys.index("messages")
    leading = {k: data[k] for k in keys[:at]}
    trailing = {k: data[k] for k in keys[at + 1:]}
    turns = [{"role": "user", "content": _dumps(leading)}] if leading else []
    turns += [{k: v for k, v in m.items() if v is not None} for m in data["messages"]]
    if trailing:
        turns.append({"role": "user", "content": _dumps(trailing)})
    return turns


class Generator(Module):
    """Ask a language model for structured output, with trainable instructions/examples.

    Args:
        schema: the output JSON schema (or give ``data_model``). Without either,
            the answer is a chat message ``{"role", "content"}``.
        data_model: a DataModel class for the output.
        language_model: a language model object, a model id, or ``None`` for
            the configured default (the embedded model unless set otherwise).
        prompt_template: a Jinja2 template of the system prompt, as Synalinks' (variables
            ``instructions``, ``examples`` as ``(inputs, outputs)`` pairs, ``inputs_schema``,
            ``outputs_schema``; dicts print as JSON); a template without Jinja syntax is
            read as ``str.format`` with the same fields. The default is
            :func:`default_prompt` with the examples as chat turns.
        examples: initial few-shot examples, as ``(inputs, outputs)`` pairs or dicts.
        instructions: initial instructions.
        use_inputs_schema: include the input schema in the prompt.
        use_outputs_schema: include the output schema in the prompt.
        return_inputs: return the inputs concatenated with the answer.
        sampling: :class:`SamplingSettings` (or a dict) for every call.
        temperature: shortcut for ``sampling.temperature`` (Synalinks' argument); so are
            ``max_tokens``, ``top_p`` and ``reasoning_effort``.
        streaming: show the answer as it arrives and time its tokens (see
            :mod:`~synalinks_nb.language_models.streaming`); the module still returns
            the validated answer. Unlike Synalinks, structured answers stream too.
        top_k: shortcut for ``sampling.top_k`` (Synalinks').
        tools: :class:`~synalinks_nb.modules.Tool` objects (a list or a ``{name: Tool}``
            mapping) offered on every call, with any given to the call: the answer is then
            the assistant's message naming the tools to run (``tool_calls``), not run by
            the Generator (an agent runs them). Saved as their declarations.
        tool_schemas: OpenAI tool declarations offered the same way.
        seed_instructions: other instructions worth trying (Synalinks'): an
            :class:`~synalinks_nb.optimizers.EvolutionaryOptimizer` (``OMEGA``) proposes
            each of them first, scored and decided like any proposal.
        name, description, trainable: as for every module.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        >>> gen = sn.Generator(data_model=Answer, language_model=lm, instructions="Be brief.")
        >>> asyncio.run(gen(Query(query="Capital of France?")))["answer"]
        'Paris'
        >>> lm.calls[0].messages[0]["content"]
        'Be brief.'

    A Generator renders whatever input it is given, as Synalinks' does: it is not bound
    to the input schema it was first built with (``checks_input_schema = False``), so a
    custom module may call the same Generator on inputs of several shapes.
    """

    checks_input_schema = False

    def __init__(
        self,
        schema: dict[str, Any] | None = None,
        data_model: Any = None,
        language_model: Any = None,
        prompt_template: str | None = None,
        examples: Any = None,
        instructions: str | None = None,
        use_inputs_schema: bool = False,
        use_outputs_schema: bool = False,
        return_inputs: bool = False,
        sampling: SamplingSettings | dict[str, Any] | None = None,
        temperature: float | None = None,
        name: str | None = None,
        description: str | None = None,
        trainable: bool = True,
        *,
        max_tokens: int | None = None,
        top_p: float | None = None,
        reasoning_effort: str | None = None,
        top_k: int | None = None,
        streaming: bool = False,
        seed_instructions: list[str] | None = None,
        tools: Any = None,
        tool_schemas: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if seed_instructions is not None and (
                not isinstance(seed_instructions, list | tuple)
                or not all(isinstance(i, str) for i in seed_instructions)):
            raise TypeError("Expected seed_instructions to be a list of strings. "
                            f"Received: seed_instructions={seed_instructions!r}")
        self.seed_instructions = list(seed_instructions or [])
        self.schema = _schema_of(schema, data_model)
        self.tools = _offered_tools(tools, tool_schemas, self.schema)
        self.language_model = LanguageModelRef(language_model)
        self.prompt_template = check_template(prompt_template)
        self.use_inputs_schema = use_inputs_schema
        self.use_outputs_schema = use_outputs_schema
        self.return_inputs = return_inputs
        self.streaming = bool(streaming)
        if isinstance(sampling, dict):
            sampling = SamplingSettings(**sampling)
        sampling = sampling or SamplingSettings()
        sampling = sampling.merged({"temperature": temperature, "max_tokens": max_tokens,
                                    "top_p": top_p, "reasoning_effort": reasoning_effort,
                                    "top_k": top_k})
        self.sampling = sampling
        self._sampling_kwargs = {k: v for k, v in sampling.to_dict().items() if v is not None}
        self.state = self.add_variable(
            initializer=Instructions(
                instructions=instructions or "",
                examples=[Example(**e) for e in _examples_json(examples)],
            ),
            data_model=Instructions,
            name="instructions",
            description="Instructions and few-shot examples of the prompt",
        )

    @property
    def output_schema(self) -> dict[str, Any]:
        """The schema of the model's answer (a chat message when none was given)."""
        return self.schema if self.schema is not None else ChatMessage.get_schema()

    def _render_template(self, instructions: str, examples: list[dict[str, Any]],
                         inputs_schema: dict[str, Any] | None,
                         outputs_schema: dict[str, Any] | None) -> str:
        assert self.prompt_template is not None
        pairs = [(ex["inputs"], ex["outputs"]) for ex in examples]
        try:
            return render_template(self.prompt_template, instructions or DEFAULT_INSTRUCTIONS,
                                   pairs, inputs_schema, outputs_schema)
        except jinja2.TemplateError as exc:
            raise ModuleError(f"Expected the prompt_template of Generator {self.name!r} to "
                              f"render. Received: {type(exc).__name__}: {exc}") from exc

    def format_messages(self, inputs: Any, tools: bool = False) -> list[dict[str, str]]:
        """The chat messages sent for ``inputs`` (useful to inspect prompts).

        With ``tools`` (a step that chooses tools), examples whose output is an
        assistant message are shown as the tool-calls JSON the model is asked for.
        """
        value = self.state.value
        # Optional keys may be absent from a value the schema accepts (a loaded file,
        # an optimizer's answer under constrained decoding): their defaults apply.
        instructions = value.get("instructions") or ""
        examples = value.get("examples") or []
        if tools:
            examples = [{**ex, "outputs": from_chat_message(ex["outputs"])}
                        if ex["outputs"].get("role") == "assistant" else ex for ex in examples]
        inputs_schema = inputs.get_schema() if self.use_inputs_schema else None
        outputs_schema = self.output_schema if self.use_outputs_schema else None
        turns: list[dict[str, str]] = []
        if self.prompt_template is None:
            system = default_prompt(instructions, examples, inputs_schema, outputs_schema)
            turns = example_messages(examples)
        else:
            system = self._render_template(instructions, examples, inputs_schema, outputs_schema)
        given = _input_turns(inputs)
        if any(t.get("role") in ("system", "developer") for t in given):
            return given  # a conversation with its own system prompt keeps it (Synalinks)
        return [{"role": "system", "content": system}, *turns, *given]

    async def call(self, inputs: Any, training: bool = False, tools: Any = None,
                   tool_schemas: list[dict[str, Any]] | None = None) -> Any:
        if inputs is None:
            return None
        if not hasattr(inputs, "get_json"):
            raise ModuleError(
                f"Expected one data model as input of Generator {self.name!r}. "
                f"Received: {type(inputs).__name__}. Combine several inputs with '+' first."
            )
        lm = self.language_model.get()
        if self.tools:  # offered on every call, before the call's own (Synalinks' order)
            tools = [*self.tools, *(tools.values() if isinstance(tools, dict) else tools or [])]
        offered = {"tools": tools, "tool_schemas": tool_schemas} if tools or tool_schemas else {}
        # Passed only when set: a custom model following the protocol may not know the flag.
        stream = {"streaming": True} if self.streaming and not offered else {}
        result = await lm(self.format_messages(inputs, tools=bool(offered)), schema=self.schema,
                          **offered, **stream, **self._sampling_kwargs)
        if training:
            trace = current_trace.get()
            if trace is not None:
                trace.record(PredictionRecord(
                    module=self.name,
                    variable_path=self.state.path,
                    sample_id=current_sample_id.get(),
                    inputs=inputs.get_json(),
                    outputs=result.get_json(),
                ))
        result = self._module_output(result)
        if self.return_inputs:
            return inputs + result
        return result

    def _module_output(self, answer: Any) -> Any:
        """The model's (validated, recorded) answer as the module gives it out.

        Subclasses that reshape the answer (``SelfCritique`` normalizes its reward)
        override this and :meth:`_module_output_schema`; the recorded trace keeps the answer.
        """
        return answer

    def _module_output_schema(self) -> dict[str, Any]:
        """The schema of :meth:`_module_output`'s result."""
        return self.output_schema

    async def compute_output_spec(self, inputs: Any, training: bool = False, tools: Any = None,
                                  tool_schemas: list[dict[str, Any]] | None = None) -> Any:
        out = SymbolicDataModel(schema=self._module_output_schema(), name=self.name)
        if self.return_inputs:
            return inputs + out
        return out

    def get_config(self) -> dict[str, Any]:
        value = self.state.value
        return {
            "schema": self.schema,
            "language_model": serialize_language_model(self.language_model),
            "prompt_template": self.prompt_template,
            "examples": value.get("examples") or [],
            "instructions": value.get("instructions") or "",
            "use_inputs_schema": self.use_inputs_schema,
            "use_outputs_schema": self.use_outputs_schema,
            "return_inputs": self.return_inputs,
            "streaming": self.streaming,
            "sampling": self.sampling.get_config(),
            **({"seed_instructions": self.seed_instructions} if self.seed_instructions else {}),
            # Tool objects hold code: a file keeps what the model is shown, their declarations.
            **({"tool_schemas": declarations(self.tools)} if self.tools else {}),
            **super().get_config(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Generator:
        return cls(**restored_generator_config(config))


def restored_generator_config(config: dict[str, Any]) -> dict[str, Any]:
    """A copy of a generator's config (or a config holding its keys) with the language
    model and the sampling settings rebuilt."""
    config = dict(config)
    config["language_model"] = deserialize_language_model(config.get("language_model"))
    if isinstance(config.get("sampling"), dict):
        config["sampling"] = SamplingSettings.from_config(config["sampling"])
    return config
