"""Synalinks' program operational metrics count the program's entry calls and their time."""

from __future__ import annotations

from category_task import Query, category_handler, dataset, make_program

import synalinks_nb as sn


async def test_evaluate_reports_program_calls_and_time() -> None:
    lm = sn.ScriptedLanguageModel(handler=category_handler(), latency=0.01)
    program = await make_program(lm)
    program.compile(reward="exact_match", metrics=[
        sn.metrics.ProgramCalls(), sn.metrics.ProgramElapsedTime(), "program_calls_per_second",
        sn.metrics.ProgramCost(), sn.metrics.ProgramAvgCostPerInvocation()])
    xs, ys = dataset(4)
    logs = await program.evaluate(xs, ys, verbose=0)
    assert logs["program_calls"] == 4.0
    assert logs["program_elapsed_time"] > 0.0
    assert logs["program_calls_per_second"] > 0.0
    assert logs["program_cost"] == logs["program_avg_cost_per_invocation"] == 0.0
    logs = await program.evaluate(xs[:2], ys[:2], verbose=0)  # counted from the reset
    assert logs["program_calls"] == 2.0


async def test_a_program_inside_a_program_is_part_of_its_callers_call() -> None:
    inner = await make_program(sn.ScriptedLanguageModel(handler=category_handler()), "inner")
    x = sn.Input(data_model=Query)
    outer = sn.Program(inputs=x, outputs=await inner(x), name="outer")
    await outer(Query(category="fruit", item="apple"))
    assert outer.invocations["inference"].calls == 1
    assert "inference" not in inner.invocations
    await inner(Query(category="fruit", item="pear"))  # called directly: its own entry call
    assert inner.invocations["inference"].calls == 1
