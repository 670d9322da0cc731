"""program_to_dot writes the program's graph as DOT text graphviz can read."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

import synalinks_nb as sn


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


async def nested() -> Any:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "x"}])
    x = sn.Input(data_model=Query)
    inner_out = await sn.Generator(data_model=Answer, language_model=lm, name="gen")(x)
    inner = sn.Program(inputs=x, outputs=inner_out, name="inner")
    y = sn.Input(data_model=Query)
    z = await inner(y)
    w = await sn.Identity(name="last")(z)
    return sn.Program(inputs=y, outputs=w, name="outer")


def edges(dot: str) -> list[tuple[str, str]]:
    return re.findall(r'^  "([^"]+)" -> "([^"]+)";$', dot, flags=re.MULTILINE)


def test_a_nested_program_is_one_node_unless_expanded() -> None:
    program = asyncio.run(nested())
    collapsed = sn.utils.program_to_dot(program)
    assert collapsed.startswith('digraph "outer" {')
    assert '"gen"' not in collapsed
    assert ("inner", "last") in edges(collapsed)
    expanded = sn.utils.program_to_dot(program, expand_nested=True)
    assert 'subgraph "cluster_inner" { "gen"' in expanded


def test_labels_follow_the_options() -> None:
    program = asyncio.run(nested())
    dot = sn.utils.program_to_dot(program, show_schemas=True, show_trainable=True,
                                  show_module_names=False, subgraph=True)
    assert dot.to_string().startswith('subgraph "cluster_outer" {')
    assert '"last" [label="Identity\\nin: answer\\nout: answer\\nfrozen"]' in dot
    assert '"inner" [label="Program\\nin: query\\nout: answer\\ntrainable"]' in dot


def test_an_unknown_rankdir_is_refused() -> None:
    with pytest.raises(ValueError, match="rankdir"):
        sn.utils.program_to_dot(asyncio.run(nested()), rankdir="up")
