"""VariableHistory driven by the messages ``js/variable_history.ts`` sends, outside fit."""

from __future__ import annotations

from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.notebook import VariableHistory, protocol


def make_variable() -> Any:
    return sn.Variable(
        initializer={"instructions": "Be brief."},
        data_model=sn.Instructions,
        name="instructions",
        module="gen",
    )


def capture(widget: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    def send(content: dict[str, Any], buffers: Any = None) -> None:
        protocol.parse_backend_message(content)
        sent.append(content)

    widget.send = send
    return sent


def click(widget: Any, content: dict[str, Any]) -> None:
    widget._handle_custom_msg(content, [])


def test_edit_outside_fit_is_validated_then_recorded_as_human() -> None:
    var = make_variable()
    history = VariableHistory(var)
    sent = capture(history)
    click(history, {"type": "edit_variable", "variable_path": var.path, "value": {"x": 1}})
    assert sent and sent[0]["type"] == "edit_variable_error"
    assert sent[0]["variable_path"] == var.path
    assert len(var.versions) == 1
    new = {"instructions": "Answer in one word.", "examples": []}
    click(history, {"type": "edit_variable", "variable_path": var.path, "value": new})
    assert var.get_json() == new
    assert (var.versions[-1].source, var.versions[-1].decided_by) == ("human", "human")
    entry = history.variables[0]
    assert entry["value"] == new and len(entry["versions"]) == 2


def test_revert_restores_and_errors_are_reported() -> None:
    var = make_variable()
    history = VariableHistory(var)
    sent = capture(history)
    var.assign({"instructions": "Changed.", "examples": []}, source="optimizer")
    click(history, {"type": "revert", "variable_path": var.path, "index": 0})
    assert var.get_json()["instructions"] == "Be brief."
    assert [v["source"] for v in history.variables[0]["versions"]] == [
        "init",
        "optimizer",
        "revert",
    ]
    click(history, {"type": "revert", "variable_path": var.path, "index": 7})
    click(history, {"type": "revert", "variable_path": "nope/x", "index": 0})
    assert [m["type"] for m in sent] == ["revert_error", "revert_error"]
    assert len(var.versions) == 3


async def test_follows_every_trainable_variable_of_a_program() -> None:
    class Query(sn.DataModel):
        query: str

    class Answer(sn.DataModel):
        answer: str

    lm = sn.ScriptedLanguageModel(responses=[{"answer": "x"}])
    inputs = sn.Input(data_model=Query)
    outputs = await sn.Generator(data_model=Answer, language_model=lm, name="gen")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="qa")
    history = VariableHistory(program)
    paths = [v.path for v in program.trainable_variables]
    assert [e["path"] for e in history.variables] == paths
    assert history.variables[0]["schema"] == program.trainable_variables[0].schema


def test_repr_html_fallback_and_wrong_source() -> None:
    var = make_variable()
    history = VariableHistory(var)
    assert repr(history) == "VariableHistory(variables=['gen/instructions'], versions=1)"
    data, _ = history._repr_mimebundle_()
    assert "gen/instructions" in data["text/html"] and "<script" not in data["text/html"]
    history.close()
    var.assign({"instructions": "After close.", "examples": []}, source="human")
    assert len(history.variables[0]["versions"]) == 1, "a closed widget stops following"
    with pytest.raises(TypeError, match="Expected a Variable"):
        VariableHistory(42)
