"""Control flow: parallel branches, Decision, Branch and the logical operators."""

from __future__ import annotations

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


class AnswerWithCritique(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")
    critique: str = synalinks.Field(description="What could be better")


def classify(user: dict[str, object], field: str) -> str:
    if field == "choice":
        return "easy" if len(str(user.get("query"))) < 10 else "difficult"
    return f"{field} for {user.get('query')}"


async def test_parallel_branches_run_and_merge() -> None:
    language_model = answering(classify)
    inputs = synalinks.Input(data_model=Query)
    x1 = await synalinks.Generator(data_model=Answer, language_model=language_model)(inputs)
    x2 = await synalinks.Generator(data_model=AnswerWithCritique,
                                   language_model=language_model)(inputs)
    outputs = x1 + x2
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="parallel")
    result = await program(Query(query="2+2?"))
    assert list(result.keys()) == ["answer", "answer_1", "critique"]


async def test_decision_and_branches_with_or() -> None:
    language_model = answering(classify)
    inputs = synalinks.Input(data_model=Query)
    decision = await synalinks.Decision(question="Is the query easy or difficult?",
                                        labels=["easy", "difficult"],
                                        language_model=language_model)(inputs)
    assert decision.get_schema()["properties"]["choice"]["enum"] == ["easy", "difficult"]
    (easy, difficult) = await synalinks.Branch(
        question="Is the query easy or difficult?",
        labels=["easy", "difficult"],
        branches=[synalinks.Generator(data_model=Answer, language_model=language_model),
                  synalinks.ChainOfThought(data_model=Answer, language_model=language_model)],
        language_model=language_model,
    )(inputs)
    program = synalinks.Program(inputs=inputs, outputs=easy | difficult, name="router")
    short = await program(Query(query="hi"))
    long = await program(Query(query="prove Fermat's last theorem"))
    # Each branch's answer comes with the decision (its thinking and choice), as in Synalinks.
    assert (short["choice"], short["answer"]) == ("easy", "answer for hi")
    assert long["choice"] == "difficult"
    assert sorted(long.keys()) == ["answer", "choice", "thinking", "thinking_1"]  # + CoT's
