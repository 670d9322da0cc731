"""BackupAndRestore checks a whole backup before changing anything, and reads and writes it
like a program save (strict JSON, atomic replace)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb import callbacks
from synalinks_nb.errors import CorruptedFileError, SavingError


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


async def two_generators() -> sn.Program:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "a"}])
    x = sn.Input(data_model=Query)
    first = await sn.Generator(data_model=Answer, language_model=lm, name="first")(x)
    second = await sn.Generator(data_model=Answer, language_model=lm, name="second")(first)
    program = sn.Program(inputs=x, outputs=second)
    program.compile(reward="exact_match", optimizer=sn.optimizers.RandomFewShot())
    return program


def backup_of(program: sn.Program, **changes: Any) -> dict[str, Any]:
    """A valid backup of ``program`` at epoch 1, with ``changes`` applied."""
    document: dict[str, Any] = {
        "format": 1,
        "epoch": 1,
        "variables": {v.path: v.get_json() for v in program.variables},
        "optimizer": program.optimizer.get_state(),
        "rng": list(random.Random(3).getstate()),
    }
    document.update(changes)
    return document


def restore(program: sn.Program, path: Path) -> callbacks.BackupAndRestore:
    cb = callbacks.BackupAndRestore(path)
    cb.set_program(program)
    cb.on_train_begin()
    return cb


async def test_a_valid_backup_is_restored(tmp_path: Path) -> None:
    program = await two_generators()
    document = backup_of(program)
    document["variables"]["first/instructions"]["instructions"] = "Be brief."
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document))
    assert restore(program, path).restored_epoch == 1
    assert program.get_variable("first/instructions").get_json()["instructions"] == "Be brief."
    assert sn.config.rng.getstate() == random.Random(3).getstate()


async def test_an_invalid_second_variable_leaves_the_first_unchanged(tmp_path: Path) -> None:
    program = await two_generators()
    before = [(v.path, v.get_json(), len(v.versions)) for v in program.variables]
    document = backup_of(program)
    document["variables"]["first/instructions"]["instructions"] = "Changed."
    document["variables"]["second/instructions"] = {"instructions": 42}
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CorruptedFileError, match="second/instructions"):
        restore(program, path)
    assert [(v.path, v.get_json(), len(v.versions)) for v in program.variables] == before
    assert program.resume_epoch is None


@pytest.mark.parametrize(("changes", "message"), [
    ({"epoch": -5}, "non-negative int"),
    ({"epoch": "2"}, "non-negative int"),
    ({"epoch": True}, "non-negative int"),
    ({"variables": ["not", "a", "dict"]}, "map variable paths"),
    ({"variables": {}}, "Missing from the backup"),
    ({"optimizer": [1, 2]}, "'optimizer' to be an object"),
    ({"rng": [3, "not a state", None]}, "random generator state"),
    ({"rng": 7}, "random generator state"),
    ({"format": 99}, "BackupAndRestore file"),
])
async def test_a_corrupt_backup_is_a_corrupted_file_error_and_changes_nothing(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    program = await two_generators()
    state = program.optimizer.get_state()
    rng = sn.config.rng.getstate()
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(backup_of(program, **changes)))
    with pytest.raises(CorruptedFileError, match=message):
        restore(program, path)
    assert program.optimizer.get_state() == state and sn.config.rng.getstate() == rng


@pytest.mark.parametrize("text", ['{"format": 1, "epoch": 1, "epoch": 2}', '{"format": NaN}',
                                  '{"format": 1', "[]"])
async def test_the_backup_is_read_as_strictly_as_a_save(tmp_path: Path, text: str) -> None:
    path = tmp_path / "backup.json"
    path.write_text(text)
    with pytest.raises(CorruptedFileError, match=r"backup\.json"):
        restore(await two_generators(), path)


async def test_a_crash_while_backing_up_keeps_the_previous_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = await two_generators()
    path = tmp_path / "backup.json"
    cb = callbacks.BackupAndRestore(path)
    cb.set_program(program)
    cb.on_epoch_end(0)
    before = path.read_bytes()

    def crash(*args: Any) -> None:
        raise OSError("simulated crash: disk gone")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(SavingError, match="previous file is intact"):
        cb.on_epoch_end(1)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["backup.json"]


def test_synalinks_backup_dir_and_an_existing_folder_name_the_file_inside(
        tmp_path: Path) -> None:
    assert callbacks.BackupAndRestore(backup_dir=tmp_path / "b").backup_path == \
        tmp_path / "b" / "backup.json"
    assert callbacks.BackupAndRestore(tmp_path).backup_path == tmp_path / "backup.json"
    with pytest.raises(TypeError, match="one of backup_path or backup_dir"):
        callbacks.BackupAndRestore()
    with pytest.raises(TypeError, match="one of backup_path or backup_dir"):
        callbacks.BackupAndRestore(tmp_path / "a.json", backup_dir=tmp_path)
    with pytest.raises(ValueError, match='save_freq="epoch"'):
        callbacks.BackupAndRestore(backup_dir=tmp_path, save_freq=10)  # type: ignore[arg-type]


async def test_backups_go_through_the_atomic_writer_into_backup_dir(tmp_path: Path) -> None:
    program = await two_generators()
    cb = callbacks.BackupAndRestore(backup_dir=tmp_path / "backups", delete_checkpoint=False)
    cb.set_program(program)
    cb.on_epoch_end(0)
    written = tmp_path / "backups" / "backup.json"
    assert json.loads(written.read_text())["epoch"] == 1
    assert [p.name for p in (tmp_path / "backups").iterdir()] == ["backup.json"]  # no .tmp


async def test_double_checkpoint_restores_the_previous_backup_when_the_last_is_corrupted(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    program = await two_generators()
    path = tmp_path / "backup.json"
    cb = callbacks.BackupAndRestore(path, double_checkpoint=True)
    cb.set_program(program)
    cb.on_epoch_end(0)
    cb.on_epoch_end(1)
    assert json.loads(cb.previous_path.read_text())["epoch"] == 1
    path.write_text(path.read_text()[:40])  # a torn write of the last one
    with pytest.raises(CorruptedFileError, match="truncated"):
        restore(program, path)  # without double_checkpoint: the typed error, nothing restored
    assert program.resume_epoch is None
    again = callbacks.BackupAndRestore(path, double_checkpoint=True)
    again.set_program(program)
    again.on_train_begin()
    assert again.restored_epoch == 1 and program.resume_epoch == 1
    assert "restoring the previous backup instead" in caplog.text
    again.on_train_end()
    assert not path.exists() and not again.previous_path.exists()
