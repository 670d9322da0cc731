"""StatelessScope, SymbolicScope and name_scope, as Synalinks code uses them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import InvalidVariableValueError, VariableError
from synalinks_nb.variables.scopes import get_stateless_scope, in_stateless_scope


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


def variable(text: str = "Be brief.") -> sn.Variable:
    return sn.Variable({"instructions": text}, data_model=sn.Instructions, name="state")


def test_inside_a_stateless_scope_reads_see_the_mapping_and_writes_are_collected() -> None:
    v = variable()
    with sn.StatelessScope([(v, {"instructions": "Mapped."})]) as scope:
        assert in_stateless_scope() and get_stateless_scope() is scope
        assert v.get("instructions") == "Mapped." and v["instructions"] == "Mapped."
        v.assign({"instructions": "Written.", "examples": []})
        assert v.get_json()["instructions"] == "Written."
    assert not in_stateless_scope()
    assert v.get("instructions") == "Be brief."
    assert [x.source for x in v.versions] == ["init"]
    assert scope.get_current_value(v) == {"instructions": "Written.", "examples": []}


def test_the_mapping_is_checked() -> None:
    with pytest.raises(InvalidVariableValueError):
        sn.StatelessScope([(variable(), {"instructions": 3})])
    with pytest.raises(VariableError, match="Variable"):
        sn.StatelessScope([("state", {"instructions": "x"})])


def test_variables_created_inside_a_stateless_scope_keep_their_initial_value() -> None:
    with sn.StatelessScope():
        v = variable("Made inside.")
    assert v.get("instructions") == "Made inside." and len(v.versions) == 1


def test_a_module_run_in_a_stateless_scope_uses_the_mapped_instructions() -> None:
    prompts: list[str] = []

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, str]:
        prompts.append(messages[0]["content"])
        return {"answer": "ok"}

    generator = sn.Generator(data_model=Answer, instructions="Original.",
                             language_model=sn.ScriptedLanguageModel(handler=handler))
    [state] = generator.variables
    with sn.StatelessScope([(state, {"instructions": "Scoped.", "examples": []})]):
        asyncio.run(generator(Query(query="q")))
    asyncio.run(generator(Query(query="q")))
    assert "Scoped." in prompts[0] and "Original." in prompts[1]
    assert state.get("instructions") == "Original."


def test_the_scope_holds_only_for_the_code_inside_it() -> None:
    v = variable()

    async def main() -> tuple[str, str]:
        seen_outside = asyncio.Event()
        outside: list[str] = []

        async def elsewhere() -> None:
            await seen_outside.wait()
            outside.append(v.get("instructions"))

        task = asyncio.create_task(elsewhere())  # started before the scope: not inside it
        with sn.StatelessScope([(v, {"instructions": "Scoped."})]):
            inside = v.get("instructions")
            seen_outside.set()
            await task
        return inside, outside[0]

    assert asyncio.run(main()) == ("Scoped.", "Be brief.")


def test_symbolic_scope_is_a_marker() -> None:
    from synalinks_nb.variables.scopes import in_symbolic_scope

    with sn.SymbolicScope():
        assert in_symbolic_scope()
    assert not in_symbolic_scope()


def test_name_scope_prefixes_module_less_variables() -> None:
    with sn.name_scope("outer"):
        with sn.name_scope("inner") as path:
            assert path == "outer/inner"
            assert variable().path == "outer/inner/state"
        with sn.name_scope("other", override_parent="root"):
            assert variable().path == "root/other/state"
    assert variable().path == "state"


def test_name_scope_deduplicates_the_same_caller() -> None:
    owner = object()
    with sn.name_scope("block", caller=owner), sn.name_scope("block", caller=owner) as path:
        assert path == "block"
    with sn.name_scope("block"), sn.name_scope("block") as path:
        assert path == "block/block"


def test_name_scope_leaves_module_variables_under_their_module() -> None:
    with sn.name_scope("outer"):
        generator = sn.Generator(data_model=Answer, name="gen",
                                 language_model=sn.ScriptedLanguageModel(responses=[{}]))
    assert [v.path for v in generator.variables] == ["gen/instructions"]


def test_name_scope_refuses_a_slash() -> None:
    with pytest.raises(VariableError, match="without '/'"), sn.name_scope("a/b"):
        pass
