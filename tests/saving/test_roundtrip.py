"""Save, load, and get the same program back: functional, Sequential, subclassed, mixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import synalinks_nb as sn
from tests.saving import helpers
from tests.saving.helpers import QUERIES, Mixed, Pipeline, Query, history, run_all


async def test_functional_program_with_every_module_round_trips(tmp_path: Path) -> None:
    lm = helpers.scripted()
    program = await helpers.functional(lm)
    gen = program.get_variable("gen/instructions")
    gen.assign({"instructions": "Be very brief.", "examples": []}, source="human",
               epoch=1, batch=2, reward_before=0.25, reward_after=0.75, decided_by="human")
    expected = await run_all(program)

    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json", custom_objects=helpers.custom_objects(lm))

    assert await run_all(loaded) == expected
    assert (loaded.name, loaded.description) == (program.name, program.description)
    assert [n["type"] for n in loaded.graph()["nodes"]] == [
        n["type"] for n in program.graph()["nodes"]]
    assert history(loaded) == history(program)
    assert loaded.get_variable("gen/instructions").versions[-1].decided_by == "human"


async def test_loaded_program_uses_restored_instructions_not_constructor_defaults(
    tmp_path: Path,
) -> None:
    lm = helpers.scripted()
    program = await helpers.functional(lm)
    before = await run_all(program)
    program.get_variable("cot/instructions").assign(
        {"instructions": "Think in French.", "examples": []}, source="edit")
    after = await run_all(program)
    assert after != before  # the instructions reach the prompt

    loaded = sn.Program.load(_save(program, tmp_path), custom_objects=helpers.custom_objects(lm))
    assert await run_all(loaded) == after


async def test_branches_holding_code_round_trip_through_custom_objects(tmp_path: Path) -> None:
    lm = helpers.scripted()
    x = sn.Input(data_model=Query)
    route = sn.Branch(
        question="Which route?", labels=["tool", "shout"], language_model=lm, name="route",
        branches=[sn.Action(helpers.multiply, language_model=lm, name="act"),
                  sn.Lambda(helpers.echo, data_model=helpers.Text, name="echo")])
    program = sn.Program(inputs=x, outputs=await route(x), name="routed")
    expected = await run_all(program)

    path = _save(program, tmp_path)
    with pytest.raises(sn.errors.UnknownObjectError, match="echo"):
        sn.Program.load(path, custom_objects={helpers.LM_NAME: lm, "multiply": helpers.multiply})
    loaded = sn.Program.load(path, custom_objects=helpers.custom_objects(lm))
    assert await run_all(loaded) == expected


async def test_sequential_round_trips(tmp_path: Path) -> None:
    lm = helpers.scripted()
    program = helpers.sequential(lm)
    expected = await run_all(program)
    loaded = sn.Program.load(_save(program, tmp_path), custom_objects=helpers.custom_objects(lm))
    assert isinstance(loaded, sn.Sequential)
    assert [m.name for m in loaded.layers] == ["think", "drop", "polish"]
    assert await run_all(loaded) == expected
    assert loaded.description == "A Sequential chain."


async def test_registered_subclassed_program_round_trips_with_its_module_names(
    tmp_path: Path,
) -> None:
    program = Pipeline(label="kept", name="pipe", description="Subclassed.")
    expected = await run_all(program)
    program.get_variable(f"{program.think.name}/instructions").assign(
        {"instructions": "Changed.", "examples": []})
    expected = await run_all(program)
    path = _save(program, tmp_path)
    Pipeline()  # moves the automatic-name counter: a new instance gets other names

    loaded = sn.Program.load(path)
    assert isinstance(loaded, Pipeline)
    assert loaded.label == "kept" and loaded.description == "Subclassed."
    assert [v.path for v in loaded.variables] == [v.path for v in program.variables]
    assert await run_all(loaded) == expected
    assert history(loaded) == history(program)


async def test_mixed_program_round_trips(tmp_path: Path) -> None:
    program = Mixed(name="mixed", description="kept")
    expected = await run_all(program)
    loaded = sn.Program.load(_save(program, tmp_path))
    assert isinstance(loaded, Mixed) and loaded.built
    assert loaded.description == "kept"
    assert len(loaded.variables) == len(program.variables) == 2
    assert await run_all(loaded) == expected


async def test_unregistered_subclass_cannot_be_loaded(tmp_path: Path) -> None:
    class Unregistered(sn.Program):
        async def call(self, inputs: object, training: bool = False) -> object:
            return inputs

    program = Unregistered(name="u")
    await program(QUERIES[0])
    path = _save(program, tmp_path)
    with pytest.raises(sn.errors.UnknownObjectError, match="Unregistered"):
        sn.Program.load(path)
    loaded = sn.Program.load(path, custom_objects={"Unregistered": Unregistered})
    assert isinstance(loaded, Unregistered)


async def test_functions_are_given_back_through_custom_objects(tmp_path: Path) -> None:
    program = await helpers.functional(helpers.scripted())
    path = _save(program, tmp_path)
    with pytest.raises(sn.errors.UnknownObjectError, match="custom_objects"):
        sn.Program.load(path)  # Lambda's and Action's functions are code, not saved


async def test_to_json_and_program_from_json(tmp_path: Path) -> None:
    lm = helpers.scripted()
    program = helpers.sequential(lm)
    text = program.to_json()
    document = json.loads(text)
    assert document["format_version"] == sn.saving.FORMAT_VERSION
    assert document["package_version"] == sn.__version__
    loaded = sn.saving.program_from_json(text, custom_objects=helpers.custom_objects(lm))
    assert await run_all(loaded) == await run_all(program)


async def test_save_and_load_variables_restore_values_and_history(tmp_path: Path) -> None:
    lm = helpers.scripted()
    program = helpers.sequential(lm)
    variable = program.get_variable("polish/instructions")
    variable.assign({"instructions": "v1", "examples": []}, source="optimizer", epoch=0)
    variable.revert(0)
    program.save_variables(tmp_path / "v.json")

    fresh = helpers.sequential(lm)
    fresh.load_variables(tmp_path / "v.json")
    assert history(fresh) == history(program)
    assert [x.source for x in fresh.get_variable("polish/instructions").versions] == [
        "init", "optimizer", "revert"]


async def test_load_variables_refuses_another_program(tmp_path: Path) -> None:
    lm = helpers.scripted()
    helpers.sequential(lm).save_variables(tmp_path / "v.json")
    other = sn.Sequential([sn.Input(data_model=Query),
                           sn.Generator(data_model=helpers.Answer, language_model=lm,
                                        name="other")])
    with pytest.raises(sn.errors.CorruptedFileError, match="other/instructions"):
        other.load_variables(tmp_path / "v.json")
    assert [x.source for x in other.get_variable("other/instructions").versions] == ["init"]


def test_serialize_and_deserialize_registered_objects() -> None:
    @sn.saving.register_synalinks_serializable(package="SavingTests")
    class Echo(sn.Module):
        async def call(self, inputs: object, training: bool = False) -> object:
            return inputs

    config = sn.saving.serialize_synalinks_object(Echo(name="echo", description="d"))
    assert config["class_name"] == "SavingTests>Echo"
    clone = sn.saving.deserialize_synalinks_object(json.loads(json.dumps(config)))
    assert isinstance(clone, Echo) and clone.description == "d"
    with pytest.raises(sn.errors.UnknownObjectError):
        sn.saving.deserialize_synalinks_object({"class_name": "__import__", "config": {}})


def _save(program: sn.Program, tmp_path: Path) -> Path:
    path = tmp_path / f"{program.name}.json"
    program.save(path)
    return path
