"""Traces of program calls: which module, which messages, which variable version; the bound."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ConfigError, StructuredOutputError
from synalinks_nb.variables import candidate_values


class Question(sn.DataModel):
    question: str


class Draft(sn.DataModel):
    draft: str


class Answer(sn.DataModel):
    answer: str


def _handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    last = json.loads(messages[-1]["content"])
    if "draft" in (schema or {}).get("properties", {}):
        return {"draft": "draft of " + last["question"]}
    return {"answer": last["draft"].upper()}


async def _two_step_program(lm: Any) -> sn.Program:
    inputs = sn.Input(data_model=Question)
    draft = await sn.Generator(data_model=Draft, language_model=lm, name="drafter",
                               instructions="Write a draft.",
                               examples=[({"question": "hi?"}, {"draft": "hello"})])(inputs)
    answer = await sn.Generator(data_model=Answer, language_model=lm, name="finisher",
                                instructions="Polish the draft.")(draft)
    return sn.Program(inputs=inputs, outputs=answer, name="two_step")


def test_tracing_is_off_outside_a_kernel_by_default() -> None:
    lm = sn.ScriptedLanguageModel(handler=_handler)
    program = asyncio.run(_two_step_program(lm))
    asyncio.run(program(Question(question="why?")))
    assert len(program.traces) == 0
    assert sn.config.traces.settings == (False, 1.0)


def test_trace_of_a_two_module_program_names_modules_messages_and_versions() -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(handler=_handler)
    program = asyncio.run(_two_step_program(lm))
    finisher = program.get_module("finisher")
    finisher.state.assign({"instructions": "Polish it well.", "examples": []}, source="human")
    asyncio.run(program(Question(question="why?")))

    (trace,) = program.traces
    by_module = {s.module: s for s in trace.spans}
    root, drafter, finish = by_module["two_step"], by_module["drafter"], by_module["finisher"]
    assert root.parent is None and drafter.parent == root.index == finish.parent
    assert (drafter.depth, finish.depth) == (1, 1)
    (draft_call,) = drafter.lm_calls
    roles = [m["role"] for m in draft_call.messages]
    assert roles == ["system", "user", "assistant", "user"]  # system, one example turn, input
    assert draft_call.messages[0]["content"].startswith("Write a draft.")
    assert json.loads(draft_call.messages[2]["content"]) == {"draft": "hello"}
    assert draft_call.output == {"draft": "draft of why?"}
    assert finish.lm_calls[0].messages[0]["content"].startswith("Polish it well.")
    assert [str(v) for v in drafter.variables] == ["drafter/instructions@v0"]
    assert [str(v) for v in finish.variables] == ["finisher/instructions@v1"]
    assert root.outputs.get_json() == {"answer": "DRAFT OF WHY?"}
    assert trace.error is None and trace.latency_s >= finish.latency_s


def test_candidate_values_are_marked_as_candidates() -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(handler=_handler)
    program = asyncio.run(_two_step_program(lm))
    var = program.get_module("finisher").state

    async def scored_with_candidate() -> None:
        with candidate_values({var: {"instructions": "Candidate text.", "examples": []}}):
            await program(Question(question="q"))

    asyncio.run(scored_with_candidate())
    finish = next(s for s in program.traces[-1].spans if s.module == "finisher")
    assert [str(v) for v in finish.variables] == ["finisher/instructions@v0 (candidate)"]
    assert finish.lm_calls[0].messages[0]["content"].startswith("Candidate text.")


def test_rejected_answer_and_repair_are_recorded() -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(responses=["not json", {"answer": "ok"}])
    gen = sn.Generator(data_model=Answer, language_model=lm, name="fixer")
    asyncio.run(gen(Question(question="q")))
    (call,) = gen.traces[-1].lm_calls
    assert call.repaired and call.raw_text() == ["not json", '{"answer": "ok"}']
    assert "Expected the answer to be a JSON object" in call.rejections[0]
    assert call.output == {"answer": "ok"}


def test_a_failed_call_keeps_its_error_and_both_answers() -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(responses=["nope"])
    gen = sn.Generator(data_model=Answer, language_model=lm, name="broken")
    with pytest.raises(StructuredOutputError):
        asyncio.run(gen(Question(question="q")))
    trace = gen.traces[-1]
    assert trace.error is not None and trace.error.startswith("StructuredOutputError")
    assert trace.lm_calls[0].raw_text() == ["nope", "nope"]
    assert len(trace.lm_calls[0].rejections) == 2


def test_the_ring_keeps_only_the_last_capacity_calls() -> None:
    sn.config.traces.configure(enabled=True, capacity=3)
    gen = sn.Generator(data_model=Answer, language_model=sn.ScriptedLanguageModel(),
                       name="g")
    for i in range(7):
        asyncio.run(gen(Question(question=str(i))))
    kept = gen.traces
    assert len(kept) == 3 and len(sn.config.traces) == 3
    assert [t.spans[0].inputs.get_json()["question"] for t in kept] == ["4", "5", "6"]


def test_sampling_and_environment_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    gen = sn.Generator(data_model=Answer, language_model=sn.ScriptedLanguageModel(), name="g")
    sn.config.traces.configure(enabled=True, sample_rate=0.0)
    for _ in range(5):
        asyncio.run(gen(Question(question="x")))
    assert len(gen.traces) == 0
    with pytest.raises(ConfigError, match="capacity=0"):
        sn.config.traces.configure(enabled=True, capacity=0)
    monkeypatch.setenv("SYNALINKS_NB_TRACES", "0.5")
    sn.config.reset()
    assert sn.config.traces.settings == (True, 0.5)
    monkeypatch.setenv("SYNALINKS_NB_TRACES", "sometimes")
    with pytest.raises(ConfigError, match="Received: 'sometimes'"):
        _ = sn.config.traces.settings


def test_a_model_called_alone_is_its_own_trace_and_inspect_history_prints_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(responses=["Paris."], name="geo")
    asyncio.run(lm([{"role": "user", "content": "Capital of France?"}]))
    trace = sn.config.traces.last()
    assert trace is not None and trace.root == "geo"
    assert trace.spans[0].kind == "ScriptedLanguageModel"
    sn.inspect_history(1)
    out = capsys.readouterr().out
    assert "[user] Capital of France?" in out and "[answer] Paris." in out


def test_traces_export_to_a_dataframe_and_html() -> None:
    sn.config.traces.configure(enabled=True)
    program = asyncio.run(_two_step_program(sn.ScriptedLanguageModel(handler=_handler)))
    asyncio.run(program(Question(question="<b>?")))
    frame = program.traces.to_dataframe()
    assert frame["module"].tolist() == ["two_step", "drafter", "finisher"]
    assert frame["lm_calls"].tolist() == [0, 1, 1]
    page = program.traces._repr_html_()
    assert "&lt;b&gt;?" in page and "<b>?" not in page
    assert page.count("<details") == 3


def test_a_long_loop_keeps_the_first_spans_and_counts_the_rest() -> None:
    from synalinks_nb.traces import MAX_SPANS

    sn.config.traces.configure(enabled=True)
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "step"}])
    step = sn.Generator(data_model=Answer, language_model=lm, name="step")

    class Loop(sn.Module):
        async def call(self, inputs: Any, training: bool = False) -> Any:
            answer = None
            for _ in range(MAX_SPANS + 9):
                answer = await step(inputs)
            return answer

    asyncio.run(Loop(name="agent")(Question(question="go")))
    (trace,) = sn.config.traces.all()
    assert len(trace.spans) == MAX_SPANS and trace.dropped == 10
    assert [s.module for s in trace.spans[:2]] == ["agent", "step"]
    assert all(len(s.lm_calls) == 1 for s in trace.spans[1:])
    assert len(trace.spans[0].lm_calls) == 0  # the dropped steps' calls are not pinned on it


def test_tracing_is_on_by_default_inside_a_jupyter_kernel(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    class ZMQInteractiveShell:  # the class name ipykernel's shell has
        pass

    fake = types.ModuleType("IPython")
    fake.get_ipython = ZMQInteractiveShell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert sn.config.traces.settings == (True, 1.0)
    monkeypatch.setenv("SYNALINKS_NB_TRACES", "off")  # the environment wins
    assert sn.config.traces.settings == (False, 1.0)
