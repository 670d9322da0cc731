"""FunctionCallingAgent: the loop, the interactive step, failures as observations, traces."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.language_models.base import Completion


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: float


async def calculate(expression: str) -> dict[str, Any]:
    """Calculate an arithmetic expression.

    Args:
        expression: The expression, such as '2 + 2'.
    """
    if not all(c in "0123456789+-*/(). " for c in expression):
        raise ValueError(f"invalid characters in {expression!r}")
    return {"result": float(eval(expression, {"__builtins__": None}, {}))}


def call(expression: str) -> dict[str, Any]:
    return {"name": "calculate", "arguments": {"expression": expression}}


class CountingScripted(sn.ScriptedLanguageModel):
    """Scripted answers reported with tokens, as a provider reports them."""

    async def _generate(self, messages: Any, schema: Any, settings: Any) -> Any:
        answer = await super()._generate(messages, schema, settings)
        return Completion(json=answer, prompt_tokens=10, completion_tokens=3)


def agent(lm: sn.ScriptedLanguageModel, **kwargs: Any) -> sn.FunctionCallingAgent:
    kwargs.setdefault("data_model", Answer)
    return sn.FunctionCallingAgent(tools=[sn.Tool(calculate)], language_model=lm, **kwargs)


async def test_the_agent_calls_tools_until_it_answers_and_the_trace_keeps_each_step() -> None:
    sn.config.traces.configure(enabled=True)
    lm = CountingScripted(responses=[
        {"thinking": "two sums at once", "tool_calls": [call("152648 + 485"), call("1 + 1")]},
        {"thinking": "done", "tool_calls": []},
        {"answer": 153133.0}])
    result = await agent(lm, name="math")(Query(query="How much is 152648 + 485?"))
    assert result["answer"] == 153133.0
    roles = [m["role"] for m in result["messages"]]
    assert roles == ["assistant", "tool", "tool"]
    assert result["messages"][1]["content"] == {"result": 153133.0}
    ids = [c["id"] for c in result["messages"][0]["tool_calls"]]
    assert [m["tool_call_id"] for m in result["messages"][1:]] == ids
    # The second step saw the tool results.
    assert "153133.0" in str(lm.calls[1].messages)
    trace = sn.config.traces.last()
    assert trace is not None
    (run,) = trace.agent_runs()
    assert run.outcome == "answered" and len(run.steps) == 2
    first = run.steps[0]
    assert [(c.tool, c.arguments, c.result) for c in first.calls] == [
        ("calculate", {"expression": "152648 + 485"}, {"result": 153133.0}),
        ("calculate", {"expression": "1 + 1"}, {"result": 2.0})]
    assert (first.prompt_tokens, first.completion_tokens) == (10, 3)
    assert [s.kind for s in trace.spans].count("Tool") == 2
    assert "calculate" in str(run) and "<table class=\"sn-table\">" in run._repr_html_()
    text = sn.traces.format_trace(trace)
    assert "the model stopped calling tools and answered" in text
    assert '{"expression": "1 + 1"}         {"result": 2.0}' in text
    assert 'calls calculate({"expression": "1 + 1"})' in text  # the model's turn, as text
    assert "<td>calculate</td>" in sn.traces.TraceList([trace])._repr_html_()
    assert trace.to_dict()["spans"][0]["agent"]["steps"][0]["calls"][0]["tool"] == "calculate"


async def test_a_failing_tool_goes_back_to_the_model_as_an_observation() -> None:
    lm = sn.ScriptedLanguageModel(responses=[
        {"thinking": "", "tool_calls": [call("two plus two")]},
        {"thinking": "", "tool_calls": [call("2 + 2")]},
        {"thinking": "", "tool_calls": []},
        {"answer": 4.0}])
    result = await agent(lm)(Query(query="2+2?"))
    error, ok = result["messages"][1]["content"], result["messages"][3]["content"]
    assert error.startswith("error: ValueError: invalid characters") and ok == {"result": 4.0}
    assert "invalid characters" in str(lm.calls[1].messages)


async def test_max_iterations_bounds_the_loop_and_says_so(caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(handler=lambda messages, schema: (
        {"answer": 1.0} if schema.get("title") != "ToolCalls"
        else {"thinking": "again", "tool_calls": [call("1 + 0")]}))
    with caplog.at_level(logging.WARNING, logger="synalinks_nb.agents"):
        result = await agent(lm, max_iterations=3)(Query(query="loop"))
    assert result["answer"] == 1.0 and len(result["messages"]) == 6
    assert "max_iterations=3" in caplog.text
    trace = sn.config.traces.last()
    assert trace is not None and trace.agent_runs()[0].outcome == "max_iterations"


async def test_without_a_schema_the_answer_is_the_last_chat_message() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"thinking": "", "tool_calls": []},
                                             "It is 4."])
    result = await agent(lm, data_model=None)(Query(query="2+2?"))
    assert result.get_json() == {"messages": [{"role": "assistant", "content": "It is 4."}]}


async def test_interactive_mode_proposes_then_runs_the_validated_calls() -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(responses=[
        {"thinking": "sum", "tool_calls": [call("152648 + 485")]},
        {"thinking": "", "tool_calls": []},
        "The sum is 153133."])
    inputs = sn.Input(data_model=sn.ChatMessages)
    outputs = await agent(lm, data_model=None, autonomous=False)(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="interactive_math_agent")
    chat = sn.ChatMessages(messages=[sn.ChatMessage(role="user", content="152648 + 485?")])
    response = await program(chat)
    proposal = response.get("messages")[-1]
    assert proposal["tool_calls"][0]["function"]["arguments"] == {"expression": "152648 + 485"}
    proposal["tool_calls"][0]["function"]["arguments"] = {"expression": "152648 + 486"}  # edited
    chat.messages.append(sn.ChatMessage(**proposal))
    response = await program(chat)
    messages = response.get("messages")
    assert messages[-2]["content"] == {"result": 153134.0}  # the edited call ran
    assert messages[-1] == {"role": "assistant", "content": "The sum is 153133."}
    run = sn.config.traces.last().agent_runs()[0]  # type: ignore[union-attr]
    assert run.outcome == "answered" and [s.index for s in run.steps] == [0, 1]
    assert run.steps[0].calls[0].arguments == {"expression": "152648 + 486"}


async def test_interactive_mode_reports_unknown_tools_and_bad_arguments_and_wants_chat() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"thinking": "", "tool_calls": []}, "ok"])
    interactive = agent(lm, data_model=None, autonomous=False,
                        return_inputs_with_trajectory=False)
    chat = sn.ChatMessages(messages=[
        {"role": "user", "content": "hi"},
        {"role": "assistant", "tool_calls": [
            {"id": "a", "function": {"name": "shell", "arguments": {"cmd": "ls"}}},
            {"id": "b", "function": {"name": "calculate", "arguments": {"expr": "1"}}}]}])
    response = (await interactive(chat)).get_json()["messages"]
    assert [m["role"] for m in response] == ["tool", "tool", "assistant"]
    assert "Expected one of the tools ['calculate']. Received: 'shell'" in response[0]["content"]
    assert response[1]["content"].startswith("error: SchemaValidationError")
    with pytest.raises(sn.errors.ModuleError, match="Expected ChatMessages"):
        await agent(lm, data_model=None, autonomous=False)(Query(query="hi"))


async def test_an_agent_program_is_saved_and_loaded(tmp_path: Path) -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"thinking": "", "tool_calls": []},
                                             {"answer": 2.0}], name="lm")
    inputs = sn.Input(data_model=Query)
    outputs = await agent(lm, max_iterations=2, instructions="Use the calculator.")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="math_agent")
    assert set(outputs.get_schema()["properties"]) == {"messages", "answer"}
    program.save(tmp_path / "agent.json")
    loaded = sn.Program.load(tmp_path / "agent.json", custom_objects={"calculate": calculate,
                                                                      "lm": lm})
    (restored,) = [m for m in loaded.modules if isinstance(m, sn.FunctionCallingAgent)]
    assert restored.max_iterations == 2 and list(restored.tools) == ["calculate"]
    assert restored.tool_calls_generator.state.value["instructions"] == "Use the calculator."
    assert (await loaded(Query(query="1+1")))["answer"] == 2.0


def test_bad_arguments_fail_at_construction() -> None:
    with pytest.raises(sn.errors.ModuleError, match="at least one tool"):
        sn.FunctionCallingAgent(tools=[])
    with pytest.raises(sn.errors.ModuleError, match="max_iterations"):
        sn.FunctionCallingAgent(tools=[calculate], max_iterations=0)
    with pytest.raises(sn.errors.ModuleError, match=r"workdir.*'no/such/dir' \(missing\)"):
        sn.FunctionCallingAgent(tools=[calculate], workdir="no/such/dir")
    with pytest.raises(sn.errors.ModuleError, match="skills to be a list"):
        sn.FunctionCallingAgent(tools=[calculate], skills="skills")


async def test_an_agent_program_trains_like_any_program() -> None:
    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        if schema is not None and schema.get("title") == "ToolCalls":
            if any(m.get("role") == "tool" for m in messages):
                return {"thinking": "done", "tool_calls": []}
            return {"thinking": "", "tool_calls": [call(messages[-1]["content"][11:-2])]}
        return {"answer": [m for m in messages if m.get("role") == "tool"][-1]["content"]
                ["result"]}

    inputs = sn.Input(data_model=Query)
    outputs = await agent(sn.ScriptedLanguageModel(handler=handler),
                          return_inputs_with_trajectory=False)(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs)
    program.compile(reward=sn.rewards.ExactMatch(), optimizer=sn.optimizers.RandomFewShot())
    assert sorted(v.path.split("_generator")[0] for v in program.trainable_variables) == [
        "final", "tool_calls"]
    xs = [Query(query=f"{i} + {i}") for i in range(8)]
    ys = [Answer(answer=2.0 * i) for i in range(8)]
    history = await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0)
    assert history.history["reward"] == [1.0]


async def test_a_step_s_few_shot_examples_show_the_tool_calls_json_it_must_answer() -> None:
    step = {"role": "assistant", "content": "sum",
            "tool_calls": [{"id": "c9", "type": "function",
                            "function": {"name": "calculate",
                                         "arguments": {"expression": "1 + 1"}}}]}
    lm = sn.ScriptedLanguageModel(responses=[{"thinking": "", "tool_calls": []}, {"answer": 2.0}])
    solver = agent(lm, examples=[({"query": "1+1?", "messages": []}, step)])
    await solver(Query(query="2+2?"))
    shown = lm.calls[0].messages[2]  # system, then the example's input and output turns
    assert shown == {"role": "assistant", "content": '{"thinking": "sum", "tool_calls": '
                     '[{"name": "calculate", "arguments": {"expression": "1 + 1"}}]}'}


async def test_an_answer_with_its_own_messages_field_is_renamed_not_lost() -> None:
    class Reply(sn.DataModel):
        messages: str

    lm = sn.ScriptedLanguageModel(responses=[{"thinking": "", "tool_calls": []},
                                             {"messages": "two"}] * 2)
    solver = agent(lm, data_model=Reply)
    for _ in range(2):  # the second call uses the cached schemas
        result = (await solver(Query(query="1+1?"))).get_json()
        assert result == {"messages": [], "messages_1": "two"}
