"""Synalinks' ``Module.get_variable``, ``clone`` and ``get_arity``."""

from __future__ import annotations

from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from tests.data_models.models import Answer, Query
from tests.modules.test_builtin_modules import answer_lm


def test_get_variable_by_name_or_index_and_clear_errors() -> None:
    gen = sn.Generator(data_model=Answer, language_model=answer_lm(), name="gen")
    variable = gen.get_variable(name="instructions")
    assert variable is gen.get_variable(index=0) is gen.variables[0]
    with pytest.raises(ModuleError, match="either a variable name or an index"):
        gen.get_variable(name="instructions", index=0)
    with pytest.raises(ModuleError, match="among"):
        gen.get_variable(name="missing")
    with pytest.raises(ModuleError, match="index below 1"):
        gen.get_variable(index=3)


async def test_programs_still_find_variables_by_path_and_now_by_index() -> None:
    inputs = sn.Input(data_model=Query)
    outputs = await sn.Generator(data_model=Answer, language_model=answer_lm(), name="gen")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs)
    assert program.get_variable("gen/instructions") is program.get_variable(index=0)


async def test_clone_is_a_new_module_with_the_same_config_and_its_own_variables() -> None:
    gen = sn.Generator(data_model=Answer, language_model=answer_lm(), name="gen",
                       instructions="Answer briefly.")
    gen.variables[0].assign({"instructions": "Changed.", "examples": []})
    copy = gen.clone(name="gen_copy")
    assert type(copy) is sn.Generator and copy.name == "gen_copy"
    assert copy.variables[0] is not gen.variables[0]
    assert copy.variables[0].value["instructions"] == "Changed."  # the config holds it
    copy.variables[0].assign({"instructions": "Copy only.", "examples": []})
    assert gen.variables[0].value["instructions"] == "Changed."
    assert (await copy(Query(query="q"))).get_json() == {"answer": "answer!"}
    assert gen.clone().name != gen.name


def test_get_arity_counts_call_arguments_besides_training() -> None:
    class Two(sn.Module):
        async def call(self, a: Any, b: Any, training: bool = False) -> Any:
            return a

    assert Two.get_arity() == 2 and sn.Identity.get_arity() == 1
