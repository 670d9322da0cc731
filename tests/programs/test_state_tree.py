"""``get_state_tree`` / ``set_state_tree``: Synalinks' nested dict of variable values."""

from __future__ import annotations

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import InvalidVariableValueError, VariableError
from tests.data_models.models import Answer, Query
from tests.modules.test_builtin_modules import answer_lm


def program() -> sn.Program:
    return sn.Sequential([sn.Input(data_model=Query),
                          sn.Generator(data_model=Answer, language_model=answer_lm(),
                                       name="gen", instructions="Answer.")], name="qa")


def test_the_tree_nests_each_value_under_its_path_in_synalinks_groups() -> None:
    tree = program().get_state_tree()
    assert tree["trainable_variables"]["gen"]["instructions"]["instructions"] == "Answer."
    assert tree["non_trainable_variables"] == {}
    assert tree["optimizer_trainable_variables"] == {} and tree["metrics_variables"] == {}


def test_setting_a_tree_assigns_new_versions_and_a_round_trip_changes_nothing() -> None:
    qa = program()
    variable = qa.trainable_variables[0]
    qa.set_state_tree({"trainable_variables": {"gen": {"instructions": {
        "instructions": "Be brief."}}}})
    assert variable.value["instructions"] == "Be brief."
    assert variable.value["examples"] == []  # fields not given are kept
    assert variable.versions[-1].source == "load"
    other = program()
    other.set_state_tree(qa.get_state_tree())
    assert other.get_state_tree() == qa.get_state_tree()


def test_a_bad_tree_is_refused_and_changes_nothing() -> None:
    qa = program()
    before = qa.get_state_tree()
    with pytest.raises(VariableError, match="paths of the program's variables"):
        qa.set_state_tree({"trainable_variables": {"nope": {"x": 1}}})
    with pytest.raises(VariableError, match="groups"):
        qa.set_state_tree({"weights": {}})
    with pytest.raises(VariableError, match="optimizer and metric"):
        qa.set_state_tree({"metrics_variables": {"m": {"total": 1.0}}})
    with pytest.raises(InvalidVariableValueError):
        qa.set_state_tree({"trainable_variables": {"gen": {"instructions": {
            "instructions": 3}}}})
    assert qa.get_state_tree() == before
