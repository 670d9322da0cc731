"""Getting started: data models in, a Generator, a Program, logging, the prompt template, plots."""

from __future__ import annotations

from pathlib import Path

import pytest

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    """A user's question."""

    query: str = synalinks.Field(description="The user query to answer")


class AnswerWithThinking(synalinks.DataModel):
    """An answer with its reasoning."""

    thinking: str = synalinks.Field(description="Your step by step thinking process")
    answer: str = synalinks.Field(description="The correct answer based on your thinking")


async def test_first_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    synalinks.enable_logging()
    synalinks.clear_session()
    language_model = answering(lambda user, field: "4" if field == "answer" else "2 + 2 = 4")
    synalinks.set_default_language_model(language_model)

    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(data_model=AnswerWithThinking)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="chain_of_thought_qa",
                                description="Answers with its reasoning")
    result = await program(Query(query="What is 2 + 2?"))

    assert (result["thinking"], result["answer"]) == ("2 + 2 = 4", "4")
    assert result.get("answer") == "4" and list(result.keys()) == ["thinking", "answer"]
    assert "inference call to scripted" in capsys.readouterr().err  # enable_logging shows it
    assert "{{ instructions }}" in synalinks.default_prompt_template()

    program.summary()
    assert "chain_of_thought_qa" in capsys.readouterr().out
    path = synalinks.utils.plot_program(program, to_folder=tmp_path, to_file="qa.svg",
                                        show_module_names=True, show_schemas=True)
    assert path._repr_svg_().startswith("<svg")  # what the notebook shows inline
