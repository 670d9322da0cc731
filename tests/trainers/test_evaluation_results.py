"""evaluate(return_results=True): rows aligned with inputs, traces per sample, comparisons."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from category_task import Label, Query, category_handler, make_program

import synalinks_nb as sn
from synalinks_nb.trainers import Comparison, compare_versions


def _slow_first_handler(count: int, finished: list[int] | None = None) -> Any:
    """Right for even items, fails item 3. With ``finished``, item i answers only after
    item i+1 did, so the samples finish in reverse order whatever the timing."""
    done: dict[int, asyncio.Event] = {}

    async def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        query = json.loads(messages[-1]["content"])
        position = int(query["item"].split("-")[1])
        if finished is not None:
            for p in (position, position + 1):
                done.setdefault(p, asyncio.Event())
            if position + 1 < count:
                await done[position + 1].wait()
            finished.append(position)
            done[position].set()
        if position == 3:
            raise sn.errors.ProviderError("scripted outage", model="scripted", status_code=400)
        return {"label": query["category"].upper() if position % 2 == 0 else "WRONG"}

    return handler


def _data(n: int) -> tuple[list[Query], list[Label]]:
    xs = [Query(category=c, item=f"item-{i}")
          for i, c in enumerate(["fruit", "animal", "color", "country"] * (n // 4))]
    return xs, [Label(label=x.category.upper()) for x in xs]


def test_rows_follow_the_inputs_when_samples_finish_out_of_order() -> None:
    xs, ys = _data(8)
    finished: list[int] = []
    lm = sn.ScriptedLanguageModel(handler=_slow_first_handler(8, finished))
    program = asyncio.run(make_program(lm))
    program.compile(reward="exact_match", metrics=["accuracy"])
    result = asyncio.run(program.evaluate(xs, ys, batch_size=8, return_results=True))

    assert finished == [7, 6, 5, 4, 3, 2, 1, 0]
    assert [r.index for r in result] == list(range(8))
    for row, x in zip(result, xs, strict=True):
        assert row.inputs == x.get_json()
        assert row.trace is not None and row.trace.sample_id == row.index
        assert row.trace.spans[0].inputs.get_json() == x.get_json()
    assert [r.reward for r in result] == [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    assert [r.predicted for r in result][:2] == [{"label": "FRUIT"}, {"label": "WRONG"}]
    assert result[3].predicted is None and result[3].error is not None
    assert result[3].error.startswith("ProviderError") and result[3].trace is not None
    assert result[3].trace.error is not None
    assert result[0].metrics == {"accuracy": 1.0} and result[1].metrics == {"accuracy": 0.0}
    # Synalinks' Accuracy sums words over the run: 4 right words; 3 wrong answers share
    # none of 2 words; the failed sample misses its 1 word.
    assert result.logs == {"reward": 0.5, "accuracy": pytest.approx(4 / 11), "errors": 1}
    assert [r.index for r in result.failures()] == [1, 3, 5, 7]
    frame = result.to_dataframe()
    assert frame["index"].tolist() == list(range(8)) and "metric_accuracy" in frame.columns


def test_default_evaluate_still_returns_the_dict() -> None:
    xs, ys = _data(4)
    program = asyncio.run(make_program(sn.ScriptedLanguageModel(handler=_slow_first_handler(4))))
    program.compile(reward="exact_match")
    logs = asyncio.run(program.evaluate(xs, ys))
    assert logs == {"reward": 0.5, "errors": 1}
    assert len(program.traces) == 0  # tracing is off in tests unless asked


def test_compare_versions_finds_fixed_and_broken_samples_and_leaves_the_variable() -> None:
    xs, ys = _data(8)
    program = asyncio.run(make_program(sn.ScriptedLanguageModel(handler=category_handler())))
    program.compile(reward="exact_match")
    var = program.get_module("gen").state
    for category in ("fruit", "animal"):
        var.assign({"instructions": "", "examples": [
            {"inputs": {"category": category, "item": "x"},
             "outputs": {"label": category.upper()}}]}, source="human")

    comparison = asyncio.run(compare_versions(program, xs, ys, var, before=1, after=2))
    assert isinstance(comparison, Comparison)
    assert [(r.index, r.status) for r in comparison.flipped] == [
        (0, "broken"), (1, "fixed"), (4, "broken"), (5, "fixed")]
    assert {r.status for r in comparison.rows if r.index % 4 >= 2} == {"wrong"}
    fixed = comparison.fixed[0]
    assert fixed.before.predicted == {"label": "UNKNOWN"}
    assert fixed.after.predicted == {"label": "ANIMAL"}
    # Each side ran with its own version, and the trace says it was overlaid.
    uses = fixed.after.trace.spans[1].variables if fixed.after.trace else []
    assert [str(u) for u in uses] == ["gen/instructions@v2 (candidate)"]
    assert var.value["examples"][0]["inputs"]["category"] == "animal"
    assert len(var.versions) == 3
    assert comparison.to_dataframe()["status"].tolist()[:2] == ["broken", "fixed"]
    assert "broken" in comparison._repr_html_()


def test_comparing_different_inputs_is_refused() -> None:
    xs, ys = _data(4)
    program = asyncio.run(make_program(sn.ScriptedLanguageModel(handler=category_handler())))
    program.compile(reward="exact_match")
    first = asyncio.run(program.evaluate(xs, ys, return_results=True))
    other = asyncio.run(program.evaluate(xs[::-1], ys[::-1], return_results=True))
    with pytest.raises(ValueError, match="same inputs in the same order"):
        first.compare(other)
    assert first.compare(first).flipped == []
