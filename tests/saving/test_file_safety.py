"""Atomic writes, overwrite refusal, secrets, format versions, migrations, precise errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.saving import file_io
from tests.saving import helpers
from tests.saving.helpers import Query, run_all

SECRET = "sk-test-SECRET-0123456789"


def _program(name: str = "chain") -> sn.Sequential:
    program = helpers.sequential(helpers.scripted())
    program.name = name
    return program


def _document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document))
    return path


# -- atomic writes ---------------------------------------------------------------------------


@pytest.mark.parametrize("crash_in", ["replace", "fsync"])
def test_crash_mid_save_leaves_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_in: str
) -> None:
    path = tmp_path / "p.json"
    _program("first").save(path)
    before = path.read_bytes()

    def crash(*args: Any) -> None:
        raise OSError("simulated crash: disk gone")

    monkeypatch.setattr(os, crash_in, crash)
    with pytest.raises(sn.errors.SavingError, match="previous file is intact"):
        _program("second").save(path)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert sn.Program.load(path, language_model=helpers.scripted()).name == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temporary file left


def test_interrupt_mid_save_leaves_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.json"
    _program("first").save(path)

    def interrupt(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _program("second").save(path)
    monkeypatch.undo()
    assert sn.Program.load(path, language_model=helpers.scripted()).name == "first"
    assert len(list(tmp_path.iterdir())) == 1


def test_overwrite_false_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    _program("first").save(path, overwrite=False)
    with pytest.raises(sn.errors.SaveTargetExistsError, match="overwrite=False"):
        _program("second").save(path, overwrite=False)
    with pytest.raises(FileExistsError):  # also the built-in type
        _program("second").save_variables(path, overwrite=False)
    assert sn.Program.load(path, language_model=helpers.scripted()).name == "first"
    _program("second").save(path)  # overwrite=True is the default, as in Keras
    assert sn.Program.load(path, language_model=helpers.scripted()).name == "second"


def test_saving_into_a_missing_folder_is_a_saving_error(tmp_path: Path) -> None:
    with pytest.raises(sn.errors.SavingError, match="existing folder"):
        _program().save(tmp_path / "missing" / "p.json")


def test_saved_file_keeps_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    _program().save(path)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    _program().save(path)
    assert path.stat().st_mode & 0o777 == 0o600


# -- secrets -----------------------------------------------------------------------------------


async def test_api_key_never_appears_in_saved_files(tmp_path: Path) -> None:
    lm = sn.LanguageModel("openai/gpt-4o-mini", api_key=SECRET, name="provider",
                          fallback=[sn.LanguageModel("openai/gpt-4o", api_key=SECRET)])
    x = sn.Input(data_model=Query)
    y = await sn.Generator(data_model=helpers.Answer, language_model=lm, name="gen")(x)
    program = sn.Program(inputs=x, outputs=y, name="with_key")
    program.save(tmp_path / "p.json")
    program.save_variables(tmp_path / "v.json")
    for name in ("p.json", "v.json"):
        assert SECRET not in (tmp_path / name).read_text()
    assert SECRET not in program.to_json()
    loaded = sn.Program.load(tmp_path / "p.json")
    assert loaded.get_module("gen").language_model.spec.model == "openai/gpt-4o-mini"


async def test_secrets_leaking_through_a_custom_config_are_scrubbed(tmp_path: Path) -> None:
    @sn.saving.register_synalinks_serializable(package="SavingTests")
    class Leaky(sn.Identity):
        def __init__(self, token: str = "", **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.token = token

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "token": self.token, "api_key": self.token,
                    "headers": {"Authorization": f"Bearer {SECRET}"}}

    x = sn.Input(data_model=Query)
    program = sn.Program(inputs=x, outputs=await Leaky(token=SECRET, name="leaky")(x))
    text = program.to_json()
    assert SECRET not in text
    assert '"token"' not in text and '"api_key"' not in text


def test_fields_named_like_secrets_in_schemas_are_kept(tmp_path: Path) -> None:
    class Login(sn.DataModel):
        password: str
        token: str

    program = sn.Sequential([sn.Input(data_model=Login), sn.Identity(name="same")])
    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json")
    assert list(loaded.inputs.get_schema()["properties"]) == ["password", "token"]


# -- format versions and migrations -------------------------------------------------------------


def _format_1_file(path: Path, program: sn.Program) -> Path:
    """A file in format 1: variables as path -> value, no history (see saving.migrations)."""
    current = json.loads(program.to_json())
    program_section = {k: current["program"][k] for k in ("class_name", "config")}
    return _write(path, {
        "format_version": 1,
        "synalinks_nb_version": "0.0.9",
        "program": program_section,
        "compile": None,
        "variables": {v.path: {"instructions": f"old {v.path}", "examples": []}
                      for v in program.variables},
    })


async def test_format_1_files_still_load(tmp_path: Path) -> None:
    path = _format_1_file(tmp_path / "old.json", _program())
    loaded = sn.Program.load(path, custom_objects={helpers.LM_NAME: helpers.scripted()})
    variable = loaded.get_variable("polish/instructions")
    assert variable.get_json()["instructions"] == "old polish/instructions"
    assert [(v.index, v.source) for v in variable.versions] == [(0, "load")]
    assert len(await run_all(loaded)) == 3


def test_newer_format_version_is_refused(tmp_path: Path) -> None:
    document = json.loads(_program().to_json())
    document["format_version"] = sn.saving.FORMAT_VERSION + 1
    with pytest.raises(sn.errors.FormatVersionError, match="newer release"):
        sn.Program.load(_write(tmp_path / "p.json", document))


@pytest.mark.parametrize("version", [0, -3, "2", None, 2.0, True])
def test_unrecognised_format_version_is_refused(tmp_path: Path, version: Any) -> None:
    document = json.loads(_program().to_json())
    document["format_version"] = version
    with pytest.raises(sn.errors.FormatVersionError, match="format_version"):
        sn.Program.load(_write(tmp_path / "p.json", document))


# -- precise errors -------------------------------------------------------------------------------


def test_truncated_file_is_reported_as_truncated(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    _program().save(path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(sn.errors.CorruptedFileError, match=r"p\.json.*truncated"):
        sn.Program.load(path)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe{}", b"[1, 2]", b'{"a": NaN}',
                                     b'{"format_version": 2, "format_version": 2}'])
def test_not_a_save_file_is_a_corrupted_file_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    with pytest.raises(sn.errors.CorruptedFileError):
        sn.Program.load(path)


def test_schema_invalid_variable_value_names_the_variable(tmp_path: Path) -> None:
    program = _program()
    program.get_variable("polish/instructions").assign({"instructions": "ok", "examples": []})
    document = json.loads(program.to_json())
    entry = next(e for e in document["variables"] if e["path"] == "polish/instructions")
    entry["versions"][1]["value"] = {"instructions": 42}
    with pytest.raises(sn.errors.CorruptedFileError,
                       match=r"variables\[\d\]\.versions\[1\].*'polish/instructions'"):
        sn.Program.load(_write(tmp_path / "p.json", document))


@pytest.mark.parametrize("class_name", ["os.system", "__import__", "builtins.eval",
                                        "subprocess>Popen", "Program.__subclasses__"])
def test_class_names_are_never_imported(tmp_path: Path, class_name: str) -> None:
    document = json.loads(_program().to_json())
    document["program"]["config"]["layers"][0]["class_name"] = class_name
    with pytest.raises(sn.errors.UnknownObjectError, match="registered"):
        sn.Program.load(_write(tmp_path / "p.json", document))


def test_only_package_language_models_are_created(tmp_path: Path) -> None:
    document = json.loads(_program().to_json())
    layer = document["program"]["config"]["layers"][0]["config"]
    layer["language_model"] = {"class_name": "Cache", "config": {"path": str(tmp_path / "x")}}
    with pytest.raises(sn.errors.UnknownObjectError, match="language model"):
        sn.Program.load(_write(tmp_path / "p.json", document))
    assert not (tmp_path / "x").exists()


def test_a_wrong_constructor_argument_is_a_corrupted_file_error(tmp_path: Path) -> None:
    document = json.loads(_program().to_json())
    document["program"]["config"]["layers"][1]["config"]["surprise"] = 1
    with pytest.raises(sn.errors.CorruptedFileError, match="surprise"):
        sn.Program.load(_write(tmp_path / "p.json", document))


def test_strict_json_reader_refuses_duplicate_keys() -> None:
    with pytest.raises(sn.errors.CorruptedFileError, match="twice"):
        file_io.loads('{"a": 1, "a": 2}')
