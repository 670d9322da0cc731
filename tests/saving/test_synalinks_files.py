"""Files saved by Synalinks load as the program they describe, or fail naming what cannot.

The fixtures in ``tests/fixtures/synalinks/`` are written by hand in the layout
Synalinks' ``program.save()`` and ``save_variables()`` write: a functional program
(Input -> Generator, ChainOfThought, Decision), compiled, with trained states holding
examples and optimizer bookkeeping; and the same states as a variables-only file.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import FormatVersionError, MigrationError, UntrustedEndpointError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "synalinks"
PROGRAM = FIXTURES / "qa.program.json"
VARIABLES = FIXTURES / "qa.variables.json"


class Query(sn.DataModel):
    query: str = sn.Field(description="The user query")


class Answer(sn.DataModel):
    answer: str = sn.Field(description="The correct answer")


def recording_model(prompts: list[str]) -> sn.ScriptedLanguageModel:
    """Answers every schema; keeps each call's system prompt."""

    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        prompts.append(messages[0]["content"])
        props = (schema or {}).get("properties", {})
        return {k: (spec["enum"][-1] if "enum" in spec else f"{k}!") for k, spec in props.items()}

    return sn.ScriptedLanguageModel(handler=handler)


def load(path: Path = PROGRAM, **kwargs: Any) -> Any:
    kwargs.setdefault("language_model", sn.ScriptedLanguageModel(responses=[{"answer": "x"}]))
    return sn.Program.load(path, **kwargs)


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document))
    return path


def saved() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PROGRAM.read_text())
    return document


def test_the_graph_comes_back_with_its_modules_and_outputs() -> None:
    program = load()
    assert program.name == "qa"
    assert [(type(m).__name__, m.name) for m in program.submodules] == [
        ("Generator", "generator"), ("ChainOfThought", "chain_of_thought"),
        ("Decision", "decision")]
    decision = program.submodules[2]
    assert decision.question == "What kind of question is it?"
    assert decision.labels == ["geography", "maths"]
    assert program.submodules[1].get_config()["sampling"]["reasoning_effort"] == "low"


def test_trained_states_become_the_modules_variables() -> None:
    values = {v.path: v.get_json() for v in load().trainable_variables}
    state = json.loads(PROGRAM.read_text())["variables"]["trainable_variables"]
    cot = state["generator_chain_of_thought"]["state_generator_chain_of_thought"]
    assert values["chain_of_thought/instructions"] == {
        "instructions": cot["instructions"], "examples": cot["examples"]}
    assert values["generator/instructions"]["instructions"] == "Answer with the name only."
    assert values["decision/instructions"]["examples"][0]["outputs"]["choice"] == "maths"


def test_each_variable_says_it_was_migrated_and_what_was_left_behind() -> None:
    version = load().trainable_variables[0].versions[-1]
    assert version.source == "load"
    assert version.note is not None
    assert "Synalinks 0.10.14" in version.note
    assert "predictions=1" in version.note and "nb_visit=4" in version.note


def test_the_loaded_program_prompts_with_the_trained_instructions_and_runs() -> None:
    prompts: list[str] = []
    program = load(language_model=recording_model(prompts))
    generator, cot, decision = asyncio.run(program(Query(query="Capital of Italy?")))
    assert generator.get_json() == {"answer": "answer!"}
    assert list(cot.get_json()) == ["thinking", "answer"]
    assert decision.get_json()["choice"] == "maths"
    assert any("Think, then answer with a number." in p for p in prompts)
    assert any("Pick the subject of the question." in p for p in prompts)


def test_it_is_compiled_as_it_was() -> None:
    program = load()
    assert type(program.optimizer).__name__ == "RandomFewShot"
    assert program.optimizer.get_config()["population_size"] == 10
    [reward] = program.compiled_reward.rewards
    assert reward.get_config()["in_mask"] == ["answer"]


def test_the_file_endpoint_needs_trust_as_in_any_file() -> None:
    with pytest.raises(UntrustedEndpointError, match="localhost:11434"):
        sn.Program.load(PROGRAM)
    program = sn.Program.load(PROGRAM, trusted_api_bases=["http://localhost:11434"])
    model = program.submodules[0].language_model.spec
    assert (model.model, model.api_base, model.name) == (
        "ollama/mistral", "http://localhost:11434", "language_model")


def test_round_trip_through_our_format_is_identical(tmp_path: Path) -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "x"}])
    program = load(language_model=lm)
    first = tmp_path / "ours.json"
    program.save(first)
    assert json.loads(first.read_text())["format"] == "synalinks_nb.program"
    again = sn.Program.load(first, language_model=lm)
    assert again.to_json() == program.to_json()


async def build_same_program(lm: Any) -> Any:
    x = sn.Input(data_model=Query)
    a = await sn.Generator(data_model=Answer, language_model=lm, name="generator")(x)
    b = await sn.ChainOfThought(data_model=Answer, language_model=lm, name="chain_of_thought")(x)
    c = await sn.Decision(question="What kind of question is it?", labels=["geography", "maths"],
                          language_model=lm, name="decision")(x)
    return sn.Program(inputs=x, outputs=[a, b, c], name="qa")


def test_a_variables_file_restores_the_states_into_a_program_built_here() -> None:
    program = asyncio.run(build_same_program(sn.ScriptedLanguageModel(responses=[{}])))
    program.load_variables(VARIABLES)
    values = {v.path: v.get_json()["instructions"] for v in program.trainable_variables}
    assert values == {"generator/instructions": "Answer with the name only.",
                      "chain_of_thought/instructions": "Think, then answer with a number.",
                      "decision/instructions": "Pick the subject of the question."}
    program.load_variables(PROGRAM)  # a whole Synalinks program file: its states
    assert program.trainable_variables[0].get_json()["examples"][0]["outputs"] == {
        "answer": "Paris"}


def test_a_variables_file_with_a_state_no_variable_matches_is_refused(tmp_path: Path) -> None:
    tree = json.loads(VARIABLES.read_text())
    tree["trainable_variables"]["other"] = {"state_other": {"instructions": "x"}}
    program = asyncio.run(build_same_program(sn.ScriptedLanguageModel(responses=[{}])))
    with pytest.raises(MigrationError, match="other/state_other"):
        program.load_variables(write(tmp_path, tree))


def test_a_variables_file_is_not_a_program(tmp_path: Path) -> None:
    with pytest.raises(FormatVersionError, match="load_variables"):
        sn.Program.load(VARIABLES)


def test_a_file_without_states_starts_from_synalinks_defaults(tmp_path: Path) -> None:
    document = saved()
    del document["variables"]
    values = {v.path: v.get_json() for v in load(write(tmp_path, document)).trainable_variables}
    assert values["chain_of_thought/instructions"] == {"instructions": (
        "Your task is to answer with a JSON containing the following keys: "
        "['thinking', 'answer']"), "examples": []}


def edit(document: dict[str, Any], module: int, **changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document["config"]["modules"][module]["config"].update(changes)
    return document


def test_a_custom_jinja_template_is_kept_and_renders_the_trained_instructions(
        tmp_path: Path) -> None:
    prompts: list[str] = []
    document = edit(saved(), 1, prompt_template="{{ instructions }} -- be terse")
    program = load(write(tmp_path, document), language_model=recording_model(prompts))
    asyncio.run(program(Query(query="Capital of Italy?")))
    assert "Answer with the name only. -- be terse" in prompts
    assert program.submodules[0].prompt_template == "{{ instructions }} -- be terse"


def test_top_k_and_tool_schemas_are_kept(tmp_path: Path) -> None:
    add = {"type": "function", "function": {"name": "add", "description": "Add.", "parameters": {
        "type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}}}
    document = edit(saved(), 1, top_k=5, schema=None, tool_schemas=[add])
    lm = sn.ScriptedLanguageModel(responses=[
        {"thinking": "", "tool_calls": [{"name": "add", "arguments": {"a": 1}}]}] * 3)
    generator = load(write(tmp_path, document), language_model=lm).submodules[0]
    message = asyncio.run(generator(Query(query="1?")))
    assert message.get_json()["tool_calls"][0]["function"] == {"name": "add",
                                                               "arguments": {"a": 1}}
    assert lm.calls[0].kwargs["top_k"] == 5


@pytest.mark.parametrize(("changes", "key"), [
    ({"prompt_template": "{{ instructions }} {{ question }}"}, "prompt_template"),
    ({"prompt_template": "{% if instructions %}"}, "prompt_template"),
    ({"unheard_of": 1}, "unheard_of"),
    ({"tool_schemas": [{"type": "function"}]}, "tool_schemas"),
])
def test_settings_without_a_faithful_equivalent_are_refused_by_name(
    tmp_path: Path, changes: dict[str, Any], key: str
) -> None:
    with pytest.raises(MigrationError, match=rf"modules\[1\]\.config\.{key}"):
        load(write(tmp_path, edit(saved(), 1, **changes)))


def test_a_custom_module_class_is_refused_by_name(tmp_path: Path) -> None:
    document = saved()
    document["config"]["modules"][1]["class_name"] = "HintedAnswerer"
    with pytest.raises(MigrationError, match=r"modules\[1\]\.class_name.*HintedAnswerer"):
        load(write(tmp_path, document))


def test_an_unknown_state_field_is_refused_by_name(tmp_path: Path) -> None:
    document = saved()
    state = document["variables"]["trainable_variables"]["generator"]["state_generator"]
    state["prompt_template"] = "Dummy prompt template"
    with pytest.raises(MigrationError, match=r"state_generator\.prompt_template"):
        load(write(tmp_path, document))


def test_a_subclassed_program_file_says_how_to_load_its_states(tmp_path: Path) -> None:
    document = saved()
    document["class_name"] = "MyProgram"
    with pytest.raises(MigrationError, match="load_variables"):
        load(write(tmp_path, document))


@pytest.mark.parametrize(("setting", "match"), [("frobnicate", "frobnicate"),
                                                ("api_key", r"config\.api_key")])
def test_an_unknown_language_model_setting_is_refused(
    tmp_path: Path, setting: str, match: str
) -> None:
    document = saved()
    lm = document["config"]["modules"][1]["config"]["language_model"]["config"]
    lm[setting] = "sk-from-the-file"
    with pytest.raises(MigrationError, match=r"modules\[1\]\.config\.language_model") as info:
        load(write(tmp_path, document))
    assert re.search(match, str(info.value))
    assert "sk-from-the-file" not in str(info.value)


def sequential_file(tmp_path: Path, with_input: bool = True) -> Path:
    """A Synalinks Sequential file: the fixture's Input and ChainOfThought, in a chain."""
    document = saved()
    modules = [{k: v for k, v in m.items() if k not in ("name", "inbound_nodes")}
               for m in document["config"]["modules"][::2]]
    config: dict[str, Any] = {"name": "chain", "description": "A chain.", "trainable": True,
                              "modules": modules if with_input else modules[1:]}
    if not with_input:
        config["build_input_schema"] = modules[0]["config"]["schema"]
    tree = document["variables"]["trainable_variables"]
    return write(tmp_path, {
        "synalinks_version": "0.10.14", "module": "synalinks.src.programs.sequential",
        "class_name": "Sequential", "registered_name": "Sequential", "config": config,
        "variables": {"trainable_variables": {"generator_chain_of_thought": tree[
            "generator_chain_of_thought"]}, "non_trainable_variables": {},
            "metrics_variables": {}}})


@pytest.mark.parametrize("with_input", [True, False])
def test_a_sequential_file_becomes_a_sequential(tmp_path: Path, with_input: bool) -> None:
    prompts: list[str] = []
    program = load(sequential_file(tmp_path, with_input),
                   language_model=recording_model(prompts))
    assert isinstance(program, sn.Sequential)
    assert (program.name, program.description) == ("chain", "A chain.")
    assert [type(m).__name__ for m in program.layers] == ["ChainOfThought"]
    result = asyncio.run(program(Query(query="2 + 2?")))
    assert list(result.get_json()) == ["thinking", "answer"]
    assert "Think, then answer with a number." in prompts[0]


def symbolic(module: str) -> dict[str, Any]:
    return {"class_name": "__symbolic_data_model__",
            "config": {"schema": {}, "synalinks_history": [module, 0, 0]}}


def test_operator_steps_and_merging_modules_are_replayed(tmp_path: Path) -> None:
    """``generator | chain_of_thought`` and ``~decision`` (graph steps), then an Identity."""
    document = saved()
    ops = "synalinks.src.ops.json"
    document["config"]["modules"] += [
        {"module": ops, "class_name": "Or", "config": {"name": "or_1", "description": ""},
         "registered_name": None, "name": "or_1", "inbound_nodes": [
             {"args": [symbolic("generator"), symbolic("chain_of_thought")], "kwargs": {}}]},
        {"module": ops, "class_name": "Not", "config": {"name": "not_1", "description": ""},
         "registered_name": None, "name": "not_1",
         "inbound_nodes": [{"args": [symbolic("decision")], "kwargs": {}}]},
        {"module": "synalinks.modules", "class_name": "Identity",
         "config": {"name": "same", "description": "", "trainable": True},
         "registered_name": None, "name": "same",
         "inbound_nodes": [{"args": [symbolic("or_1")], "kwargs": {"training": False}}]},
    ]
    document["config"]["output_modules"] = [["same", 0, 0], ["not_1", 0, 0]]
    program = load(write(tmp_path, document), language_model=recording_model([]))
    merged, nothing = asyncio.run(program(Query(query="q")))
    assert list(merged.get_json()) == ["answer", "thinking", "answer_1"]
    assert nothing is None


def test_an_unmapped_graph_step_is_refused_by_name(tmp_path: Path) -> None:
    document = saved()
    document["config"]["modules"].append(
        {"module": "synalinks.src.ops.json", "class_name": "Factorize",
         "config": {"name": "f", "description": ""}, "registered_name": None, "name": "f",
         "inbound_nodes": []})
    with pytest.raises(MigrationError, match=r"modules\[4\]\.class_name.*Factorize"):
        load(write(tmp_path, document))
