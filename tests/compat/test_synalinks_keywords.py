"""Synalinks' keyword names for serialization and scopes (gaps closed by test_signatures.py)."""

from __future__ import annotations

import pytest

import synalinks_nb as synalinks
from synalinks_nb.errors import UnknownObjectError


def test_rewards_deserialize_takes_synalinks_name_keyword() -> None:
    config = synalinks.rewards.serialize(synalinks.rewards.ExactMatch(in_mask=["answer"]))
    reward = synalinks.rewards.deserialize(name=config)
    assert isinstance(reward, synalinks.rewards.ExactMatch) and reward.in_mask == ["answer"]


def test_modules_deserialize_takes_synalinks_config_keyword() -> None:
    config = synalinks.modules.serialize(synalinks.Identity(name="same"))
    module = synalinks.modules.deserialize(config=config)
    assert isinstance(module, synalinks.Identity) and module.name == "same"


def test_language_models_deserialize_finds_custom_classes_only_when_given() -> None:
    class Echo(synalinks.ScriptedLanguageModel):
        pass

    config = {"class_name": "Echo", "config": {"responses": ["hi"]}}
    assert isinstance(synalinks.language_models.deserialize(config, custom_objects={"Echo": Echo}),
                      Echo)
    with pytest.raises(UnknownObjectError, match="Echo"):
        synalinks.language_models.deserialize(config)
    with pytest.raises(UnknownObjectError):  # a name mapped to something else is refused
        synalinks.language_models.deserialize(config, custom_objects={"Echo": print})


def test_custom_object_scope_takes_synalinks_custom_objects_keyword() -> None:
    def whisper(x: object) -> object:
        return x

    from synalinks_nb.utils.registry import effective_custom_objects

    with synalinks.saving.CustomObjectScope(custom_objects={"whisper": whisper}):
        assert effective_custom_objects(None)["whisper"] is whisper
    assert "whisper" not in effective_custom_objects(None)
