"""Synalinks' custom object scope and custom objects dict, when loading a program."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from category_task import category_handler, make_program

import synalinks_nb as sn
from synalinks_nb.errors import UnknownObjectError
from tests.data_models.models import Answer, Query


def whisper(inputs: Any) -> dict[str, Any]:
    return {"answer": inputs.get_json()["query"].lower()}


async def _saved(tmp_path: Path) -> Path:
    x = sn.Input(data_model=Query)
    y = await sn.Lambda(function=whisper, data_model=Answer, name="whisper")(x)
    sn.Program(inputs=x, outputs=y, name="p").save(tmp_path / "p.json")
    return tmp_path / "p.json"


async def test_a_scope_provides_what_the_file_needs(tmp_path: Path) -> None:
    path = await _saved(tmp_path)
    with pytest.raises(UnknownObjectError, match="whisper"):
        sn.Program.load(path)
    with sn.saving.custom_object_scope({"whisper": whisper}):
        loaded = sn.Program.load(path)
    assert (await loaded(Query(query="LOUD")))["answer"] == "loud"
    with pytest.raises(UnknownObjectError, match="whisper"):
        sn.Program.load(path)  # the scope is over


async def test_the_global_custom_objects_dict(tmp_path: Path) -> None:
    path = await _saved(tmp_path)
    sn.utils.get_custom_objects()["whisper"] = whisper
    try:
        assert sn.Program.load(path).name == "p"
    finally:
        del sn.utils.get_custom_objects()["whisper"]


async def test_a_metric_wrapping_a_built_in_reward_function_loads_back(tmp_path: Path) -> None:
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await make_program(lm)
    program.compile(reward="exact_match", metrics=[sn.metrics.MeanMetricWrapper(
        fn=sn.rewards.exact_match, name="accuracy")])
    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json", language_model={"scripted": lm})
    assert [m.name for m in loaded.metrics] == ["accuracy"]
    assert loaded.metrics[0].fn is sn.rewards.exact_match
