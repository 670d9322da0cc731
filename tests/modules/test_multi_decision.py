"""MultiDecision: one or more labels, never a label that does not exist."""

from __future__ import annotations

import pytest

import synalinks_nb as sn


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
