"""``Sequential.add`` / ``pop`` with Synalinks' ``rebuild`` keyword."""

from __future__ import annotations

import synalinks_nb as sn
from tests.data_models.models import Answer, Query
from tests.modules.test_builtin_modules import answer_lm


def test_add_rebuilds_at_once_so_the_summary_shows_the_new_output_schema() -> None:
    program = sn.Sequential([sn.Input(data_model=Query)], name="chain")
    program.add(sn.Generator(data_model=Answer, language_model=answer_lm(), name="gen"))
    assert program.built
    lines: list[str] = []
    program.summary(print_fn=lines.append)
    row = next(line for line in lines[0].splitlines() if line.startswith("gen (Generator)"))
    assert "Answer{answer}" in row


async def test_add_without_rebuild_waits_for_the_next_call() -> None:
    program = sn.Sequential([sn.Input(data_model=Query)], name="chain")
    program.add(sn.Generator(data_model=Answer, language_model=answer_lm()), rebuild=False)
    assert not program.built
    assert (await program(Query(query="q"))).get_json() == {"answer": "answer!"}
    assert program.built


async def test_pop_rebuilds_the_shorter_chain_unless_told_not_to() -> None:
    program = sn.Sequential([sn.Input(data_model=Query), sn.Identity(name="same"),
                             sn.Generator(data_model=Answer, language_model=answer_lm())])
    program.pop()
    assert program.built
    assert (await program(Query(query="q"))).get_json() == {"query": "q"}
    program.pop(rebuild=False)
    assert not program.built
