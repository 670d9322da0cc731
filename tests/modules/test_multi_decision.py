"""MultiDecision: one or more labels, never a label that does not exist."""

from __future__ import annotations

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from tests.data_models.models import Answer, Query


class Article(sn.DataModel):
    text: str


async def test_choices_are_among_the_labels_and_the_question_is_asked() -> None:
    lm = sn.ScriptedLanguageModel(responses=[
        {"thinking": "", "choices": ["sports", "weather"]},  # not a label: repaired
        {"thinking": "", "choices": ["science", "technology"]}])
    topics = sn.MultiDecision(question="Which topics?", labels=["science", "technology"],
                              language_model=lm)
    result = await topics(Article(text="A new chip"))
    assert result["choices"] == ["science", "technology"]
    assert '"question": "Which topics?"' in lm.calls[0].messages[-1]["content"]
    assert len(lm.calls) == 2  # the invalid label was rejected and repaired


async def test_multi_decision_in_a_program_round_trips_its_config() -> None:
    lm = sn.ScriptedLanguageModel(name="lm")
    inputs = sn.Input(data_model=sn.ChatMessages)
    outputs = await sn.MultiDecision(question="Topics?", labels=["a", "b"], language_model=lm,
                                     instructions="Pick.", temperature=0.3)(inputs)
    assert outputs.get_schema()["properties"]["choices"]["items"]["enum"] == ["a", "b"]
    program = sn.Program(inputs=inputs, outputs=outputs)
    clone = sn.Program.from_config(program.get_config(), custom_objects={"lm": lm})
    (module,) = [m for m in clone.modules if isinstance(m, sn.MultiDecision)]
    assert module.labels == ["a", "b"] and module.decision.state.value["instructions"] == "Pick."
    assert module.decision.sampling.temperature == 0.3


def test_labels_and_question_are_required() -> None:
    with pytest.raises(sn.errors.ModuleError, match="labels"):
        sn.MultiDecision(question="Topics?", labels=["a", "a"])
    with pytest.raises(sn.errors.ModuleError, match="question"):
        sn.MultiDecision(labels=["a"])


async def test_on_a_conversation_the_messages_are_turns_and_the_question_comes_last() -> None:
    lm = sn.ScriptedLanguageModel()
    topics = sn.MultiDecision(question="Topics?", labels=["a", "b"], language_model=lm)
    await topics(sn.ChatMessages(messages=[{"role": "user", "content": "Tell me about a."}]))
    sent = lm.calls[0].messages
    assert [m["role"] for m in sent] == ["system", "user", "user"]
    assert sent[1] == {"role": "user", "content": "Tell me about a."}
    assert sent[2]["content"] == '{"question": "Topics?"}'


async def test_a_branch_with_a_multi_decision_runs_every_chosen_branch() -> None:
    lm = sn.ScriptedLanguageModel(handler=lambda messages, schema: (
        {"thinking": "both", "choices": ["a", "c"]} if "choices" in schema["properties"]
        else {"answer": "ran"}))
    branch = sn.Branch(question="Which?", labels=["a", "b", "c"],
                       branches=[sn.Generator(data_model=Answer, language_model=lm)
                                 for _ in range(3)],
                       language_model=lm, decision_type=sn.MultiDecision,
                       return_decision=False)
    first, second, third = await branch(Query(query="q"))
    assert first["answer"] == "ran" and second is None and third["answer"] == "ran"
    again = sn.Branch.from_config(branch.get_config())
    assert again.decision_type is sn.MultiDecision
    assert isinstance(again.decision, sn.MultiDecision)
    with pytest.raises(ModuleError, match="decision_type"):
        sn.Branch(question="Which?", labels=["a"], branches=[sn.Identity()],
                  decision_type=sn.Generator)
