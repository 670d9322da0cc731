from __future__ import annotations

import json
from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ConfigError


def test_home_follows_the_environment(tmp_path: Path) -> None:
    assert sn.config.home == tmp_path / "home"
    assert sn.config.home.is_dir()


def test_unwritable_home_falls_back_to_a_temp_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNALINKS_NB_HOME", "/proc/not-writable")
    sn.config.reset()
    assert sn.config.home.is_dir()
    assert not str(sn.config.home).startswith("/proc")


def test_config_file_is_read_once_and_setters_win(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "synalinks.json").write_text(json.dumps({"default_language_model": "ollama/x"}))
    assert sn.config.default_language_model == "ollama/x"
    sn.config.set_default_language_model("openai/gpt-4o-mini")
    assert sn.config.default_language_model == "openai/gpt-4o-mini"
    assert json.loads((home / "synalinks.json").read_text()) == {
        "default_language_model": "ollama/x"}


def test_default_model_is_the_embedded_one() -> None:
    assert sn.config.default_language_model == "local/smollm2"


def test_bad_config_file_is_a_typed_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "synalinks.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"synalinks\.json"):
        _ = sn.config.default_language_model


def test_seed_and_session_names() -> None:
    sn.set_seed(3)
    first = [sn.config.rng.random() for _ in range(3)]
    sn.set_seed(3)
    assert [sn.config.rng.random() for _ in range(3)] == first
    assert sn.get_seed() == 3
    with pytest.raises(ConfigError, match="seed"):
        sn.set_seed("3")  # type: ignore[arg-type]
    assert [sn.Identity().name, sn.Identity().name] == ["identity", "identity_1"]
    sn.clear_session()
    assert sn.Identity().name == "identity"


def test_approval_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sn.config.approval is None
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "Accept")
    assert sn.config.approval == "accept"
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "maybe")
    with pytest.raises(ConfigError, match="SYNALINKS_NB_APPROVAL"):
        _ = sn.config.approval
