"""A Generator's ``prompt_template`` is a Jinja2 template rendered as Synalinks renders it."""

from __future__ import annotations

from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from tests.data_models.models import Answer, Query

q = Query(query="What is 2+2?")
EXAMPLE = ({"query": "1+1?"}, {"answer": "2"})


async def messages_sent(**kwargs: object) -> list[dict[str, str]]:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "4"}])
    await sn.Generator(data_model=Answer, language_model=lm, **kwargs)(q)
    return lm.calls[0].messages


async def test_synalinks_default_template_renders_its_tagged_sections_with_json_values() -> None:
    messages = await messages_sent(prompt_template=sn.default_prompt_template(),
                                   instructions="Add.", examples=[EXAMPLE],
                                   use_outputs_schema=True)
    schema = ('{"additionalProperties": false, "properties": {"answer": {"description": '
              '"The answer", "title": "Answer", "type": "string"}}, "required": ["answer"], '
              '"title": "Answer", "type": "object"}')
    assert messages == [
        {"role": "system", "content":
            "<instructions>\nAdd.\n</instructions>\n\n<output_schema>\n" + schema
            + "\n</output_schema>\n\n<examples>\n\n<example>\n<input>\n"
            '{"query": "1+1?"}\n</input>\n<output>\n{"answer": "2"}\n</output>\n'
            "</example>\n\n</examples>\n"},
        {"role": "user", "content": '{"query": "What is 2+2?"}'},
    ]


async def test_a_custom_template_reaches_example_fields_and_replaces_example_turns() -> None:
    template = ("{{ instructions }}{% for inputs, outputs in examples %}\n"
                "Q: {{ inputs.query }} A: {{ outputs['answer'] }}{% endfor %}"
                "{% if inputs_schema %}\nnever shown{% endif %}")
    messages = await messages_sent(prompt_template=template, instructions="Add.",
                                   examples=[EXAMPLE])
    assert [m["content"] for m in messages] == ["Add.\nQ: 1+1? A: 2",
                                                '{"query": "What is 2+2?"}']


async def test_without_a_template_examples_stay_chat_turns() -> None:
    messages = await messages_sent(instructions="Add.", examples=[EXAMPLE])
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[0]["content"] == "Add."


async def test_an_older_str_format_template_renders_as_before() -> None:
    messages = await messages_sent(prompt_template="Do this: {instructions}",
                                   instructions="Add.")
    assert messages[0]["content"] == "Do this: Add."


async def test_the_sandbox_refuses_python_internals() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "4"}])
    gen = sn.Generator(data_model=Answer, language_model=lm,
                       prompt_template="{{ instructions.__class__.__mro__ }}")
    with pytest.raises(ModuleError, match="SecurityError"):
        await gen(q)
    assert lm.calls == []


@pytest.mark.parametrize(("template", "match"), [
    ("{{ instructions }} {{ question }}", r"Received: \['question'\]"),
    ("{% for x in examples %}", "valid Jinja2 template"),
])
def test_a_template_that_cannot_render_is_refused_when_built(template: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sn.Generator(data_model=Answer, prompt_template=template)


async def test_a_saved_program_keeps_its_template(tmp_path: Path) -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "4"}] * 2)
    template = "{{ instructions }}{% for i, o in examples %} | {{ i }} -> {{ o }}{% endfor %}"
    x = sn.Input(data_model=Query)
    y = await sn.Generator(data_model=Answer, language_model=lm, prompt_template=template,
                           instructions="Add.", examples=[EXAMPLE])(x)
    sn.Program(inputs=x, outputs=y, name="p").save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json", language_model=lm)
    await loaded(q)
    assert lm.calls[0].messages[0]["content"] == (
        'Add. | {"query": "1+1?"} -> {"answer": "2"}')
