"""TraceViewer: what the view receives for traces, evaluation rows and comparisons."""

from __future__ import annotations

import asyncio

import pytest
from category_task import Query, category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb.notebook import TraceViewer
from synalinks_nb.trainers import compare_versions


def _program() -> sn.Program:
    program = asyncio.run(make_program(sn.ScriptedLanguageModel(handler=category_handler())))
    program.compile(reward="exact_match")
    return program


def test_traces_of_a_program_with_their_spans_and_model_calls() -> None:
    sn.config.traces.configure(enabled=True)
    program = _program()
    asyncio.run(program(Query(category="fruit", item="apple")))
    viewer = TraceViewer(program)
    assert viewer.kind == "traces" and viewer.rows == []
    (trace,) = viewer.traces
    assert [s["module"] for s in trace["spans"]] == ["classifier", "gen"]
    call = trace["spans"][1]["lm_calls"][0]
    assert call["messages"][-1]["content"] == '{"category": "fruit", "item": "apple"}'
    assert call["output"] == {"label": "UNKNOWN"}
    assert trace["spans"][1]["variables"] == [
        {"path": "gen/instructions", "version": 0, "candidate": False}]


def test_evaluation_rows_point_at_their_traces() -> None:
    program = _program()
    xs, ys = dataset(4)
    result = asyncio.run(program.evaluate(xs, ys, return_results=True))
    viewer = TraceViewer(result)
    assert viewer.kind == "evaluation"
    assert [r["index"] for r in viewer.rows] == [0, 1, 2, 3]
    ids = {t["id"] for t in viewer.traces}
    for row, trace in zip(viewer.rows, viewer.traces, strict=True):
        assert row["trace_id"] in ids and row["after"] is None
        assert trace["sample_id"] == row["index"]
    data, _ = viewer._repr_mimebundle_()
    assert data["text/plain"] == repr(viewer)
    assert "<table class='sn-eval'>" in data["text/html"]


def test_comparison_rows_carry_both_sides_and_status() -> None:
    program = _program()
    xs, ys = dataset(4)
    var = program.get_module("gen").state
    var.assign({"instructions": "", "examples": [
        {"inputs": {"category": "fruit", "item": "x"}, "outputs": {"label": "FRUIT"}}]},
        source="human")
    comparison = asyncio.run(compare_versions(program, xs, ys, var, before=0, after=1))
    viewer = TraceViewer(comparison)
    assert viewer.kind == "comparison"
    assert [r["status"] for r in viewer.rows] == ["fixed", "wrong", "wrong", "wrong"]
    first = viewer.rows[0]
    assert first["predicted"] == {"label": "UNKNOWN"}
    assert first["after"]["predicted"] == {"label": "FRUIT"}
    assert first["trace_id"] != first["after"]["trace_id"]
    assert len(viewer.traces) == 8


def test_a_wrong_source_is_refused() -> None:
    with pytest.raises(TypeError, match="Received: int"):
        TraceViewer(3)


def test_an_agent_trace_shows_its_steps_tool_calls_and_text_messages() -> None:
    sn.config.traces.configure(enabled=True)

    def double(x: int) -> int:
        """Double a number."""
        return 2 * x

    lm = sn.ScriptedLanguageModel(responses=[
        {"thinking": "double it", "tool_calls": [{"name": "double", "arguments": {"x": 21}}]},
        {"thinking": "", "tool_calls": []}, "42"])
    agent = sn.FunctionCallingAgent(tools=[double], language_model=lm, name="doubler")
    asyncio.run(agent(Query(category="n", item="21")))
    viewer = TraceViewer(agent)
    (trace,) = viewer.traces
    spans = trace["spans"]
    assert spans[0]["agent"]["steps"][0]["calls"][0]["result"] == {"result": 42}
    tool = next(s for s in spans if s["kind"] == "Tool")
    assert (tool["module"], tool["inputs"], tool["outputs"]) == ("double", {"x": 21},
                                                                {"result": 42})
    second = [s for s in spans if s["module"] == "tool_calls_generator_doubler"][1]
    contents = [m["content"] for m in second["lm_calls"][0]["messages"]]
    assert all(isinstance(c, str) for c in contents)  # the view's contract: text
    assert any(c.startswith("double it\ncalls double") for c in contents)
    assert "<td>double</td>" in viewer._fallback_html()
