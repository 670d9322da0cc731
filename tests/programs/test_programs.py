"""Functional, sequential, subclassed, mixed and nested programs; concurrency; sample ids."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import GraphError
from synalinks_nb.modules.tracing import Trace, sample_scope, trace_scope
from tests.data_models.models import Answer, Query
from tests.modules.test_builtin_modules import answer_lm

q = Query(query="hi")


async def functional(lm: Any) -> sn.Program:
    inputs = sn.Input(data_model=Query)
    x = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
    return sn.Program(inputs=inputs, outputs=x, name="qa", description="Answers questions")


async def test_functional_program_runs_and_describes_itself() -> None:
    program = await functional(answer_lm())
    assert (await program(q)).get_json() == {"answer": "answer!"}
    assert (await program({"query": "plain dicts work too"})).get_json() == {"answer": "answer!"}
    graph = program.graph()
    assert [n["type"] for n in graph["nodes"]] == ["Input", "Generator"]
    assert graph["edges"] == [{"source": graph["nodes"][0]["id"],
                               "target": graph["nodes"][1]["id"]}]
    assert graph["nodes"][1]["trainable"] is True
    assert graph["nodes"][1]["output_schema"] == Answer.get_schema()
    path = graph["nodes"][1]["variables"][0]
    assert graph["variables"][path]["versions"] == 1


async def test_summary_lists_modules_and_variables(capsys: pytest.CaptureFixture[str]) -> None:
    program = await functional(answer_lm())
    program.summary()
    text = capsys.readouterr().out
    assert 'Program: "qa"' in text
    assert "Generator" in text
    assert "Answer{answer}" in text
    assert "/instructions" in text


async def test_multiple_inputs_and_outputs_as_nested_structures() -> None:
    lm = answer_lm()
    a = sn.Input(data_model=Query, name="first")
    b = sn.Input(data_model=Answer, name="second")
    x = await sn.Generator(data_model=Answer, language_model=lm)(a + b)
    program = sn.Program(inputs=[a, b], outputs={"answer": x, "echo": b})
    out = await program([q, Answer(answer="given")])
    assert out["answer"].get_json() == {"answer": "answer!"}
    assert out["echo"].answer == "given"


async def test_sequential_add_and_pop() -> None:
    lm = answer_lm()
    program = sn.Sequential([sn.Input(data_model=Query)])
    program.add(sn.ChainOfThought(data_model=Answer, language_model=lm))
    program.add(sn.OutMask(mask=["thinking"]))
    assert (await program(q)).get_json() == {"answer": "answer!"}
    program.pop()
    assert list((await program(q)).get_json()) == ["thinking", "answer"]


async def test_subclassed_program_traces_its_graph() -> None:
    lm = answer_lm()

    class Pipeline(sn.Program):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.think = sn.ChainOfThought(data_model=Answer, language_model=lm)
            self.mask = sn.InMask(mask=["answer"])

        async def call(self, inputs: Any, training: bool = False) -> Any:
            return await self.mask(await self.think(inputs))

    program = Pipeline(name="pipeline")
    assert (await program(q)).get_json() == {"answer": "answer!"}
    types = [n["type"] for n in program.graph()["nodes"]]
    assert types == ["Input", "ChainOfThought", "InMask"]
    assert len(program.trainable_variables) == 1
    assert len(lm.calls) == 1  # tracing the graph did not call the model


async def test_mixed_program_builds_its_graph_in_build() -> None:
    lm = answer_lm()

    class Mixed(sn.Program):
        async def build(self, inputs: Any) -> None:
            outputs = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
            super().__init__(inputs=inputs, outputs=outputs, name=self.name)

    program = Mixed(name="mixed", description="kept")
    assert (await program(q)).get_json() == {"answer": "answer!"}
    assert program.description == "kept"
    assert [n["type"] for n in program.graph()["nodes"]] == ["Input", "Generator"]


async def test_programs_nest_and_show_as_groups() -> None:
    inner = await functional(answer_lm())
    inputs = sn.Input(data_model=Query)
    outputs = await inner(inputs)
    outer = sn.Program(inputs=inputs, outputs=outputs, name="outer")
    assert (await outer(q)).get_json() == {"answer": "answer!"}
    nodes = {n["id"]: n for n in outer.graph()["nodes"]}
    assert nodes["qa"]["type"] == "Program"
    assert [n["type"] for n in nodes.values() if n["parent"] == "qa"] == ["Input", "Generator"]
    assert outer.trainable_variables == inner.trainable_variables


async def test_branch_and_logical_operators_propagate_none() -> None:
    lm = answer_lm()
    inputs = sn.Input(data_model=Query)
    easy, hard = await sn.Branch(
        question="Difficulty?", labels=["easy", "hard"], language_model=lm,
        return_decision=False, inject_decision=False,
        branches=[sn.Generator(data_model=Answer, language_model=lm),
                  sn.ChainOfThought(data_model=Answer, language_model=lm)])(inputs)
    program = sn.Program(inputs=inputs, outputs=[easy | hard, easy & hard, easy ^ hard])
    either, both, exactly_one = await program(q)
    assert either.get_json() == {"answer": "answer!"}
    assert both is None
    assert exactly_one.get_json() == {"answer": "answer!"}


class PassThrough(sn.Module):
    """A module that hands back the very object it received."""

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return inputs


async def test_a_module_returning_its_input_is_a_step_of_its_own() -> None:
    inputs = sn.Input(data_model=Query)
    passed = await PassThrough(name="pass")(inputs)
    answer = await sn.Generator(data_model=Answer, language_model=answer_lm())(passed)
    program = sn.Program(inputs=inputs, outputs=[passed, answer], name="p")
    assert [n["type"] for n in program.graph()["nodes"]] == ["Input", "PassThrough", "Generator"]
    echoed, answered = await program(q)
    assert echoed.get_json() == {"query": "hi"} and answered.get_json() == {"answer": "answer!"}


async def test_disconnected_graph_is_a_typed_error() -> None:
    a = sn.Input(data_model=Query)
    b = sn.Input(data_model=Query)
    out = await sn.Identity()(a + b)
    with pytest.raises(GraphError, match="not among the program's inputs"):
        sn.Program(inputs=a, outputs=out)


async def test_independent_generators_run_concurrently() -> None:
    lm = answer_lm(latency=0.2)
    inputs = sn.Input(data_model=Query)
    a = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
    b = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
    program = sn.Program(inputs=inputs, outputs=a & b)
    started = time.perf_counter()
    await program(q)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.35, f"two 0.2 s calls took {elapsed:.2f}s: they ran one after the other"


async def test_training_predictions_carry_their_sample_id_out_of_order() -> None:
    rng = random.Random(0)

    async def handler(messages: list[dict[str, str]], schema: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(rng.uniform(0.0, 0.05))
        return {"answer": messages[-1]["content"]}  # echo the input, to check attribution

    program = await functional(sn.ScriptedLanguageModel(handler=handler))
    trace = Trace()

    async def one(i: int) -> None:
        with sample_scope(i):
            await program(Query(query=f"q{i}"), training=True)

    with trace_scope(trace):
        await asyncio.gather(*(one(i) for i in range(20)))
    order = [r.sample_id for r in trace.records]
    assert sorted(order) == list(range(20))
    assert order != list(range(20))
    for record in trace.records:
        assert record.inputs == {"query": f"q{record.sample_id}"}
        assert f"q{record.sample_id}" in record.outputs["answer"]


async def test_inference_mode_records_nothing() -> None:
    program = await functional(answer_lm())
    trace = Trace()
    with trace_scope(trace):
        await program(q)
    assert trace.records == []


async def test_get_module_and_get_variable() -> None:
    program = await functional(answer_lm())
    gen = program.get_module(index=-1)
    assert isinstance(gen, sn.Generator)
    assert program.get_module(gen.name) is gen
    assert program.get_variable(f"{gen.name}/instructions") is gen.state
    with pytest.raises(sn.errors.ModuleError, match="Expected the name"):
        program.get_module("nope")


async def test_a_chain_of_a_thousand_modules_builds_runs_and_round_trips(tmp_path: Any) -> None:
    x = sn.Input(data_model=Query)
    y = x
    for _ in range(1000):
        y = await sn.Identity()(y)
    program = sn.Program(inputs=x, outputs=y, name="long_chain")
    assert len(program.modules) == 1000
    assert (await program(Query(query="deep"))).get_json() == {"query": "deep"}
    program.save(tmp_path / "chain.json")
    loaded = sn.Program.load(tmp_path / "chain.json")
    assert len(loaded.modules) == 1000


async def test_a_subclassed_program_whose_call_reads_values_runs_without_a_traced_graph() -> None:
    class Router(sn.Program):
        def __init__(self, lm: Any) -> None:
            super().__init__(name="router")
            self.answer = sn.Generator(data_model=Answer, language_model=lm)

        async def call(self, inputs: Any, training: bool = False) -> Any:
            if inputs.get("query") == "":  # a value: cannot be read while tracing
                return None
            return await self.answer(inputs, training=training)

    lm = sn.ScriptedLanguageModel(responses=[{"answer": "4"}])
    program = Router(lm)
    assert (await program(Query(query="2+2?")))["answer"] == "4"
    assert await program(Query(query="")) is None
    assert [v.path for v in program.trainable_variables] == ["generator/instructions"]
    assert "router" in program._repr_html_()  # still displayable
