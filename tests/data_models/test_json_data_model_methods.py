"""Synalinks' methods of ``JsonDataModel`` (masks, renames, factorize, update, clone),
``DataModel.get_config`` / ``from_config`` and ``SymbolicDataModel``'s keywords."""

from __future__ import annotations

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import SchemaValidationError, SymbolicValueError


class Draft(sn.DataModel):
    answer: str
    answer_1: str
    thinking: str


def draft() -> sn.JsonDataModel:
    return Draft(answer="a", answer_1="b", thinking="t").to_json_data_model()


def test_masks_and_renames_change_schema_and_value_together() -> None:
    kept = draft().in_mask(["thinking"])
    assert kept.get_json() == {"thinking": "t"}
    assert list(kept.get_schema()["properties"]) == ["thinking"]
    dropped = draft().out_mask(pattern="^answer")
    assert dropped.get_json() == {"thinking": "t"}
    renamed = draft().prefix("old").suffix("v")
    assert list(renamed.keys()) == ["old_answer_v", "old_answer_1_v", "old_thinking_v"]
    # The renamed value still matches its renamed schema.
    assert sn.JsonDataModel(schema=renamed.get_schema(), json=renamed.get_json())


def test_factorize_groups_numbered_fields_into_a_list() -> None:
    factorized = draft().factorize()
    assert factorized.get_json()["answers"] == ["a", "b"]
    assert factorized.get_schema()["properties"]["answers"]["type"] == "array"


def test_update_validates_and_leaves_the_value_alone_when_it_does_not_match() -> None:
    x = draft()
    x.update({"thinking": "more"})
    assert x["thinking"] == "more"
    with pytest.raises(SchemaValidationError):
        x.update({"thinking": 3})
    assert x["thinking"] == "more"


def test_clone_is_independent_and_renamed() -> None:
    x = draft()
    copy = x.clone()
    copy.update({"answer": "changed"})
    assert x["answer"] == "a" and copy.name == "clone_Draft"
    assert x.clone(name="mine").name == "mine"


def test_data_model_config_round_trip_is_its_fields() -> None:
    value = Draft(answer="a", answer_1="b", thinking="t")
    assert value.get_config() == value.get_json()
    assert Draft.from_config(value.get_config()) == value
    saved = sn.saving.serialize_synalinks_object(value)
    assert saved["config"] == value.get_json()


def test_symbolic_data_model_takes_record_history_and_get_refuses_like_synalinks() -> None:
    x = sn.SymbolicDataModel(data_model=sn.ChatMessage, record_history=False)
    assert x.record_history is False
    assert sn.SymbolicDataModel(data_model=sn.ChatMessage).record_history is True
    with pytest.raises(SymbolicValueError, match="only has a schema"):
        x.get("role", default="user")
