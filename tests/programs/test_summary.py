"""``program.summary()`` with Synalinks' keywords: width, columns, nesting, range."""

from __future__ import annotations

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ConfigError
from tests.data_models.models import Answer, Query
from tests.modules.test_builtin_modules import answer_lm


async def nested() -> sn.Program:
    lm = answer_lm()
    inner_in = sn.Input(data_model=Query)
    inner_out = await sn.Generator(data_model=Answer, language_model=lm, name="thinker")(inner_in)
    inner = sn.Program(inputs=inner_in, outputs=inner_out, name="inner")
    inputs = sn.Input(data_model=Query, name="question")
    x = await inner(inputs)
    y = await sn.Identity(name="last")(x)
    return sn.Program(inputs=inputs, outputs=y, name="outer")


def summary(program: sn.Program, **kwargs: object) -> list[str]:
    lines: list[str] = []
    program.summary(print_fn=lines.append, **kwargs)  # type: ignore[arg-type]
    return lines[0].splitlines()


async def test_expand_nested_false_hides_the_modules_inside_a_nested_program() -> None:
    program = await nested()
    assert any("thinker (Generator)" in line for line in summary(program))
    folded = summary(program, expand_nested=False)
    assert not any("thinker (Generator)" in line for line in folded)
    assert any("inner (Program)" in line for line in folded)


async def test_show_trainable_adds_a_column_that_says_which_modules_train() -> None:
    program = await nested()
    lines = summary(program, show_trainable=True, expand_nested=False)
    assert lines[2].rstrip().endswith("Trainable")
    assert next(line for line in lines if "inner (Program)" in line).rstrip().endswith("Y")
    assert next(line for line in lines if "last (Identity)" in line).rstrip().endswith("N")
    assert "Trainable" not in summary(program)[2].replace("Trainable variables", "")


async def test_line_length_and_positions_set_the_width_and_the_columns() -> None:
    program = await nested()
    lines = summary(program, line_length=70, positions=[0.5, 0.8, 1.0])
    assert len(lines[1]) == 70  # the rule under the title spans the whole line
    # The first column takes half the line (35 characters), then comes " │ ".
    assert lines[2].index("│") == 36
    absolute = summary(program, line_length=70, positions=[20, 50, 70])
    assert absolute[2].index("│") == 21
    with pytest.raises(ConfigError, match="positions"):
        summary(program, positions=[0.5, 1.0])


async def test_module_range_prints_from_the_first_match_to_the_last() -> None:
    program = await nested()
    lines = summary(program, module_range=("inner", "last"), expand_nested=False)
    body = [line for line in lines if "│" in line and "Module (type)" not in line]
    assert [line.split(" (")[0].strip() for line in body] == ["inner", "last"]
    by_pattern = summary(program, module_range=("q.*", "q.*"))  # regular expressions
    rows = [line for line in by_pattern if "│" in line][1:]
    assert rows == ["question (Input) │ Query{query}  │ -"]
    with pytest.raises(ConfigError, match="match module names"):
        summary(program, module_range=("nothing", "last"))
