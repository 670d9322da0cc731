"""The widget base: displays of a program share one widget, and nothing keeps widgets alive.

Before the base, every display of a program created a ProgramGraph subscribed to the
variables with strong references and never closed: each past display stayed alive and
re-synced after every accepted change.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

import pytest
from ipywidgets.widgets import widget as ipywidget

import synalinks_nb as sn
from synalinks_nb.notebook import VariableHistory
from synalinks_nb.notebook.program_graph import ProgramGraph
from synalinks_nb.notebook.widget_base import SynalinksWidget, Throttle
from tests.data_models.models import Answer, Query

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _program() -> Any:
    async def build() -> Any:
        inputs = sn.Input(data_model=Query)
        lm = sn.ScriptedLanguageModel(responses=[{}])
        outputs = await sn.Generator(data_model=Answer, name="gen", language_model=lm)(inputs)
        return sn.Program(inputs=inputs, outputs=outputs, name="qa")

    return asyncio.run(build())


def _listeners(variable: Any) -> int:
    return len(variable._listeners)


def _open_graphs() -> list[Any]:
    return [w for w in ipywidget._instances.values() if isinstance(w, ProgramGraph)]


def test_displaying_a_program_many_times_adds_one_widget_and_one_listener() -> None:
    program = _program()
    variable = program.get_variable("gen/instructions")
    before = len(_open_graphs())
    bundles = [program._repr_mimebundle_()[0] for _ in range(20)]
    assert {b[WIDGET_MIME]["model_id"] for b in bundles} == {bundles[0][WIDGET_MIME]["model_id"]}
    assert len(_open_graphs()) == before + 1
    assert _listeners(variable) == 1
    variable.assign({"instructions": "Be brief.", "examples": []}, source="human")
    assert "gen/instructions (2 versions)" in program._repr_mimebundle_()[0]["text/html"]


def test_a_program_that_goes_away_closes_its_widget_and_leaves_no_listener() -> None:
    program = _program()
    variable = program.get_variable("gen/instructions")
    model_id = program._repr_mimebundle_()[0][WIDGET_MIME]["model_id"]
    gone = weakref.ref(program)
    del program
    gc.collect()
    assert gone() is None  # neither the widget nor the variables kept the program alive
    assert model_id not in ipywidget._instances  # its widget was closed
    assert _listeners(variable) == 0


def test_a_closed_widget_is_replaced_on_the_next_display() -> None:
    program = _program()
    first = ProgramGraph.for_program(program)
    first.close()
    assert _listeners(program.get_variable("gen/instructions")) == 0
    assert ProgramGraph.for_program(program) is not first


@pytest.mark.parametrize("make", [VariableHistory, lambda v: ProgramGraph(_Holder(v))])
def test_a_variable_never_keeps_a_widget_alive(make: Any) -> None:
    variable = _program().get_variable("gen/instructions")
    widget = make(variable)
    assert _listeners(variable) == 1
    # Release it as ipywidgets does (registry and comm), without the base's unfollow: only
    # the variable's listener could still hold it.
    ipywidget.Widget.close(widget)
    gone = weakref.ref(widget)
    del widget
    gc.collect()
    assert gone() is None
    assert _listeners(variable) == 0  # a collected widget unsubscribes
    variable.assign({"instructions": "still fine", "examples": []}, source="human")


class _Holder:
    """A program-like object with one variable (ProgramGraph follows trainable_variables)."""

    def __init__(self, variable: Any) -> None:
        self.trainable_variables = [variable]

    def graph(self) -> dict[str, Any]:
        return {"name": "holder", "nodes": [], "edges": []}


def test_every_widget_shows_its_static_fallback() -> None:
    program = _program()
    for widget in (ProgramGraph(program), VariableHistory(program),
                   sn.notebook.TrainingDashboard(program)):
        data, _ = widget._repr_mimebundle_()
        assert data["text/plain"] == repr(widget)
        assert data["text/html"].startswith("<") and "<script" not in data["text/html"]
        widget.close()


def test_a_widget_without_fallback_says_so() -> None:
    class Bare(SynalinksWidget):
        _bundle = "program_graph"

    with pytest.raises(NotImplementedError, match="Bare must implement _fallback_html"):
        Bare()._repr_mimebundle_()


def test_throttle_refuses_a_negative_interval() -> None:
    with pytest.raises(ValueError, match="interval=-1"):
        Throttle(-1, lambda: None)


async def test_throttle_coalesces_a_burst_and_can_be_cancelled() -> None:
    calls: list[int] = []
    throttle = Throttle(0.01, lambda: calls.append(1))
    for _ in range(5):
        throttle.request()
    assert throttle.pending and calls == []
    await asyncio.sleep(0.05)
    assert calls == [1] and not throttle.pending
    throttle.request()
    throttle.cancel()
    await asyncio.sleep(0.05)
    assert calls == [1]
