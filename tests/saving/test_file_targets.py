"""Where a save goes: through symlinks to their target, never over a device or a folder;
and text UTF-8 cannot hold is a SavingError before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import SavingError
from synalinks_nb.saving import file_io
from tests.saving import helpers


def test_saving_through_a_symlink_replaces_the_target_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "model.json"
    target.write_text("{}")
    link = tmp_path / "model.json"
    link.symlink_to(target)

    helpers.sequential(helpers.scripted()).save(link)

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert sn.Program.load(target, language_model=helpers.scripted()).name == "chain"
    assert sorted(os.listdir(shared)) == ["model.json"]  # the temporary file went next to it


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "model.json"
    link.symlink_to(tmp_path / "real.json")
    file_io.atomic_write_text(link, "{}")
    assert link.is_symlink() and (tmp_path / "real.json").read_text() == "{}"


def test_overwrite_false_refuses_a_symlink_even_a_dangling_one(tmp_path: Path) -> None:
    link = tmp_path / "model.json"
    link.symlink_to(tmp_path / "real.json")
    with pytest.raises(sn.errors.SaveTargetExistsError):
        file_io.atomic_write_text(link, "{}", overwrite=False)


# Never a device path itself: a regression (or this test before the fix, run as root)
# would replace it. Through a link, a regression only replaces the link.
@pytest.mark.skipif(not Path("/dev/null").is_char_device(), reason="needs /dev/null")
@pytest.mark.parametrize("kind", ["link to a device", "folder", "fifo"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "model.json"
    if kind == "link to a device":
        path.symlink_to("/dev/null")
    elif kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    with pytest.raises(SavingError, match="Expected a regular file"):
        file_io.atomic_write_text(path, "{}")
    assert Path("/dev/null").is_char_device()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_a_lone_surrogate_is_a_saving_error_and_the_old_file_stays(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{}")
    with pytest.raises(SavingError, match="lone surrogate"):
        file_io.atomic_write_text(path, '{"note": "broken \ud800 text"}')
    assert path.read_text() == "{}"
    assert os.listdir(tmp_path) == ["model.json"]
