"""The public view of a module tree: ``submodules`` and ``rename``."""

from __future__ import annotations

import pytest

import synalinks_nb as sn
from tests.data_models.models import Answer


def _tree() -> sn.Module:
    lm = sn.ScriptedLanguageModel()
    outer = sn.Module(name="outer")
    outer.first = sn.Module(name="first")
    outer.second = sn.Generator(data_model=Answer, language_model=lm, name="second")
    outer.first.deep = sn.Generator(data_model=Answer, language_model=lm, name="deep")
    outer.again = outer.second  # held twice: listed once
    return outer


def test_submodules_are_every_nested_module_once_breadth_first() -> None:
    assert [m.name for m in _tree().submodules] == ["first", "second", "deep"]


def test_rename_moves_the_variables_paths_with_the_module() -> None:
    outer = _tree()
    deep = outer.submodules[2]
    deep.rename("renamed")
    assert [v.path for v in outer.variables] == ["second/instructions", "renamed/instructions"]
    with pytest.raises(ValueError, match="without '/'"):
        deep.rename("a/b")
