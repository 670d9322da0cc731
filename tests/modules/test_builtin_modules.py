"""Every built-in module, with the scripted model, through the module contract."""

from __future__ import annotations

from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import InputSchemaError, ModuleError
from synalinks_nb.testing import check_module
from synalinks_nb.utils.tree import flatten
from tests.data_models.models import Answer, Query


def answer_lm(**kwargs: Any) -> sn.ScriptedLanguageModel:
    """Answers whatever the schema asks for, with recognisable values."""

    def handler(messages: list[dict[str, str]], schema: dict[str, Any]) -> dict[str, Any]:
        props = schema["properties"]
        out: dict[str, Any] = {}
        for key, spec in props.items():
            if "enum" in spec:
                out[key] = spec["enum"][0]
            elif spec.get("type") == "number":
                out[key] = 0.5
            elif spec.get("type") == "integer":
                out[key] = 2
            else:
                out[key] = f"{key}!"
        return out

    return sn.ScriptedLanguageModel(handler=handler, **kwargs)


q = Query(query="What is 2+2?")


async def test_generator_contract_and_prompt() -> None:
    lm = answer_lm()
    gen = sn.Generator(data_model=Answer, language_model=lm, instructions="Be brief.",
                       examples=[({"query": "1+1"}, {"answer": "2"})])
    out = await check_module(gen, q)
    assert out.get_json() == {"answer": "answer!"}
    system, shown, answered, user = lm.calls[-1].messages
    assert system == {"role": "system", "content": "Be brief."}
    # The example is a turn of its own, as JSON (not a Python repr, not inside the system text)
    assert shown == {"role": "user", "content": '{"query": "1+1"}'}
    assert answered == {"role": "assistant", "content": '{"answer": "2"}'}
    assert user == {"role": "user", "content": '{"query": "What is 2+2?"}'}
    assert lm.calls[-1].schema == Answer.get_schema()


async def test_generator_value_without_optional_keys_still_works() -> None:
    # A value its schema accepts (optional keys absent, as a loaded file or an optimizer under
    # constrained decoding may give) must not crash the module.
    lm = answer_lm()
    gen = sn.Generator(data_model=Answer, language_model=lm, instructions="Be brief.")
    gen.trainable_variables[0].assign({}, source="human")
    assert (await gen(q)).get_json() == {"answer": "answer!"}
    assert lm.calls[-1].messages[0]["content"].startswith("Answer the user's input")


async def test_generator_variable_holds_only_instructions_and_examples() -> None:
    gen = sn.Generator(data_model=Answer, language_model=answer_lm(), instructions="x")
    (variable,) = gen.trainable_variables
    assert variable.path == f"{gen.name}/instructions"
    assert set(variable.get_json()) == {"instructions", "examples"}


async def test_generator_return_inputs_and_sampling_settings() -> None:
    lm = answer_lm()
    gen = sn.Generator(data_model=Answer, language_model=lm, return_inputs=True,
                       temperature=0.0, sampling={"seed": 7})
    out = await check_module(gen, q)
    assert out.get_json() == {"query": "What is 2+2?", "answer": "answer!"}
    assert lm.calls[-1].kwargs == {"temperature": 0.0, "seed": 7}


async def test_generator_without_schema_answers_a_chat_message() -> None:
    lm = sn.ScriptedLanguageModel(responses=["Hello!"])
    out = await sn.Generator(language_model=lm)(q)
    assert out.get_json() == {"role": "assistant", "content": "Hello!"}


async def test_chain_of_thought_puts_thinking_first() -> None:
    out = await check_module(sn.ChainOfThought(data_model=Answer, language_model=answer_lm(),
                                               k=2), q)
    assert list(out.get_json()) == ["thinking", "thinking_1", "answer"]


async def test_self_critique_scores_its_input() -> None:
    out = await check_module(sn.SelfCritique(language_model=answer_lm()), Answer(answer="4"))
    assert out.get_json() == {"answer": "4", "critique": "critique!", "reward": 0.0}


async def test_self_critique_grades_on_its_score_type_and_outputs_a_unit_reward() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"critique": "fine", "reward": 4}])
    critic = sn.SelfCritique(language_model=lm, score_type="Rating")
    out = await check_module(critic, Answer(answer="4"))
    assert out.get_json() == {"answer": "4", "critique": "fine", "reward": 0.75}
    assert out.get_schema()["properties"]["reward"]["maximum"] == 1.0
    asked = lm.calls[0].schema
    assert asked is not None and asked["properties"]["reward"]["enum"] == [1, 2, 3, 4, 5]
    assert "an integer between 1 and 5" in lm.calls[0].messages[0]["content"]
    assert critic.get_config()["score_type"] == "Rating"
    x = sn.Input(data_model=Answer)
    spec = await critic(x)
    assert spec.get_schema()["properties"]["reward"]["type"] == "number"
    words = sn.ScriptedLanguageModel(responses=[{"critique": "fine"}])
    silent = sn.SelfCritique(language_model=words, return_reward=False, return_inputs=False)
    assert list((await silent(Answer(answer="4"))).get_json()) == ["critique"]


async def test_decision_uses_an_enum_of_labels() -> None:
    lm = answer_lm()
    out = await check_module(sn.Decision(question="Topic?", labels=["math", "history"],
                                         language_model=lm), q)
    assert out["choice"] == "math"
    assert lm.calls[-1].schema["properties"]["choice"]["enum"] == ["math", "history"]
    with pytest.raises(ModuleError, match="distinct"):
        sn.Decision(question="?", labels=["a", "a"])


async def test_branch_runs_only_the_selected_branch() -> None:
    lm = answer_lm()
    hard_lm = answer_lm()
    branch = sn.Branch(question="Difficulty?", labels=["easy", "hard"], language_model=lm,
                       branches=[sn.Generator(data_model=Answer, language_model=lm),
                                 sn.Generator(data_model=Answer, language_model=hard_lm)])
    easy, hard = await check_module(branch, q)
    assert hard is None
    assert easy["answer"] == "answer!"
    assert easy["choice"] == "easy"
    assert hard_lm.calls == []  # the other branch never called its model
    # As in Synalinks, the decision comes first (and its keys keep their names).
    assert list(easy.keys()) == ["thinking", "choice", "answer"]


async def test_action_calls_the_tool_with_model_arguments() -> None:
    def add(a: int, b: int) -> int:
        """Add two numbers.

        Args:
            a: first number.
            b: second number.
        """
        return a + b

    out = await check_module(sn.Action(add, language_model=answer_lm()), q, roundtrip=False)
    assert out.get_json() == {"tool": "add", "arguments": {"a": 2, "b": 2}, "result": 4}


async def test_tool_validates_arguments() -> None:
    tool = sn.Tool(lambda city: city.upper(), name="shout")
    assert await tool(city="paris") == "PARIS"
    with pytest.raises(ValueError):
        await tool(town="paris")


async def test_lambda_identity_not() -> None:
    shout = sn.Lambda(lambda x: {"answer": x["query"].upper()}, data_model=Answer)
    out = await check_module(shout, q.to_json_data_model(), roundtrip=False)
    assert out.get_json() == {"answer": "WHAT IS 2+2?"}
    assert (await check_module(sn.Identity(), q)).query == q.query
    await check_module(sn.Not(), q, expect_none=True)


async def test_logical_modules_on_lists() -> None:
    a, b = Answer(answer="a"), Answer(answer="b")
    assert (await check_module(sn.Concat(), [a, b])).get_json() == {"answer": "a", "answer_1": "b"}
    assert (await check_module(sn.And(), [a, b])).get_json() == {"answer": "a", "answer_1": "b"}
    assert (await sn.And()([a, None])) is None
    assert (await sn.Or()([None, b])).get_json() == {"answer": "b"}
    assert (await sn.Xor()([a, None])).get_json() == {"answer": "a"}
    assert (await sn.Xor()([a, b])) is None


async def test_masks() -> None:
    out = await check_module(sn.InMask(mask=["answer"]), Answer(answer="a") + q)
    assert out.get_json() == {"answer": "a"}
    out = await check_module(sn.OutMask(mask=["answer"]), Answer(answer="a") + q)
    assert out.get_json() == {"query": "What is 2+2?"}


async def test_wrong_input_is_a_typed_error_naming_module_and_field() -> None:
    same = sn.Identity(name="same")
    await same(q)
    schema = {"type": "object", "properties": {"query": {"type": "integer"}}}
    wrong = sn.JsonDataModel(schema=schema, json={"query": 3})
    with pytest.raises(InputSchemaError, match=r"same.*\$\.query.*one module per input shape"):
        await same(wrong)


async def test_a_generator_formats_whatever_arrives_as_synalinks_does() -> None:
    lm = answer_lm()
    gen = sn.Generator(data_model=Answer, language_model=lm, name="answerer")
    await gen(q)
    other = sn.JsonDataModel(schema={"type": "object", "properties": {"topic": {
        "type": "string"}}}, json={"topic": "maths"})
    assert (await gen(other)) is not None
    assert '"topic": "maths"' in lm.calls[-1].messages[-1]["content"]


async def test_modules_skip_none_inputs_without_calling_the_model() -> None:
    lm = answer_lm()
    gen = sn.Generator(data_model=Answer, language_model=lm)
    assert await gen(None) is None
    assert lm.calls == []


def test_unknown_keyword_arguments_fail_loudly() -> None:
    with pytest.raises(TypeError, match="tempreature"):
        sn.Identity(tempreature=1)  # type: ignore[call-arg]


def test_trainable_propagates_to_sub_modules() -> None:
    branch = sn.Branch(question="?", labels=["a", "b"], language_model=answer_lm(),
                       branches=[sn.Generator(data_model=Answer, language_model=answer_lm()),
                                 sn.Identity()])
    assert len(branch.trainable_variables) == 2
    branch.trainable = False
    assert branch.trainable_variables == []
    assert len(branch.non_trainable_variables) == 2


async def test_chain_of_thought_reuses_a_declared_thinking_field() -> None:
    class Reasoned(sn.DataModel):
        thinking: str
        answer: str

    cot = sn.ChainOfThought(data_model=Reasoned, language_model=answer_lm())
    assert list(cot.output_schema["properties"]) == ["thinking", "answer"]


@pytest.mark.parametrize("k", [0, -1, True, 1.5, 33, 10**9])
def test_chain_of_thought_refuses_k_out_of_range(k: Any) -> None:
    with pytest.raises(ModuleError, match="from 1 to 32"):
        sn.ChainOfThought(data_model=Answer, language_model=answer_lm(), k=k)


@pytest.mark.parametrize("bad", [{"data_model": int}, {"data_model": "Query"}, {"schema": 5}])
def test_input_without_a_usable_schema_is_a_type_error_naming_what_it_got(
    bad: dict[str, Any],
) -> None:
    with pytest.raises(TypeError, match=r"Expected (data_model|schema) to be .* Received: "):
        sn.Input(**bad)


async def test_an_optional_input_is_marked_and_kept_through_saving(tmp_path: Any) -> None:
    x = sn.Input(data_model=Query, optional=True, name="maybe_query")
    module = x._history.operation
    assert module.optional is True and module.get_config()["optional"] is True
    program = sn.Program(inputs=x, outputs=await sn.Identity()(x))
    assert await program(None) is None  # as in Synalinks, None flows through
    program.save(tmp_path / "p.json")
    loaded = sn.Program.load(tmp_path / "p.json")
    [entry] = flatten(loaded.inputs)
    assert entry._history.operation.optional is True
    assert "optional" not in sn.Input(data_model=Query)._history.operation.get_config()
