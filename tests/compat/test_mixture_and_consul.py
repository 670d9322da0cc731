"""Mixture of models and consul of models (Synalinks' guides 29 and 30)."""

from __future__ import annotations

import json
from typing import Any

import synalinks_nb as synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="User request")


class Proposal(synalinks.DataModel):
    candidate: str = synalinks.Field(description="This model's answer")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="Final answer to the user")


def proposer(number: str) -> synalinks.ScriptedLanguageModel:
    return synalinks.ScriptedLanguageModel(
        handler=lambda messages, schema: {"thinking": "sum it", "candidate": number})


def majority(seen: list[dict[str, Any]]) -> synalinks.ScriptedLanguageModel:
    """The aggregator: answers the most frequent candidate among the fields it is given."""

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, str]:
        user = json.loads(messages[-1]["content"])
        seen.append(user)
        votes = [v for k, v in user.items() if k.startswith("candidate")]
        answer = {"thinking": "vote", "answer": max(set(votes), key=votes.count)}
        return {k: v for k, v in answer.items() if k in schema["properties"]}

    return synalinks.ScriptedLanguageModel(handler=handler)


async def test_proposers_are_merged_with_the_query_and_reconciled() -> None:
    seen: list[dict[str, Any]] = []
    inputs = synalinks.Input(data_model=Query)
    proposals = [
        await synalinks.ChainOfThought(data_model=Proposal, language_model=proposer(n),
                                       name=f"proposer_{i}")(inputs)
        for i, n in enumerate(["144", "144", "152"])
    ]
    merged = inputs
    for proposal in proposals:
        merged = merged | proposal
    final = await synalinks.ChainOfThought(
        data_model=Answer, language_model=majority(seen),
        instructions="Reconcile the candidate answers.", name="aggregator")(merged)
    program = synalinks.Program(inputs=inputs, outputs=final, name="mixture_of_models")

    result = await program(Query(query="How many books?"))
    assert result["answer"] == "144"
    assert list(seen[0]) == ["query", "thinking", "candidate", "thinking_1", "candidate_1",
                             "thinking_2", "candidate_2"]


async def test_a_proposer_that_gives_nothing_is_dropped_by_or() -> None:
    seen: list[dict[str, Any]] = []
    inputs = synalinks.Input(data_model=Query)
    silent = await synalinks.Not()(inputs)  # a branch that never gives a value
    proposals = [
        await synalinks.ChainOfThought(data_model=Proposal, language_model=proposer("7"))(inputs),
        await synalinks.ChainOfThought(data_model=Proposal, language_model=proposer("9"))(silent),
    ]
    merged = inputs | proposals[0] | proposals[1]
    final = await synalinks.Generator(data_model=Answer, language_model=majority(seen))(merged)
    program = synalinks.Program(inputs=inputs, outputs=final)

    assert (await program(Query(query="q")))["answer"] == "7"
    assert [k for k in seen[0] if k.startswith("candidate")] == ["candidate"]


class DebateState(synalinks.DataModel):
    question: str = synalinks.Field(description="The question under debate")
    transcript: str = synalinks.Field(description="Everything said so far")


class Position(synalinks.DataModel):
    position: str = synalinks.Field(description="This member's current position")


class Question(synalinks.DataModel):
    question: str = synalinks.Field(description="The question to deliberate")


def member_model(name: str) -> synalinks.ScriptedLanguageModel:
    """A member that concedes to 5 cents once someone said it, and says 10 cents before."""

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, str]:
        transcript = json.loads(messages[-1]["content"])["transcript"]
        first = name == "careful" or "0.05" in transcript
        return {"thinking": "...", "position": "$0.05" if first else "$0.10"}

    return synalinks.ScriptedLanguageModel(handler=handler)


async def build_member(name: str) -> synalinks.Program:
    inputs = synalinks.Input(data_model=DebateState)
    outputs = await synalinks.ChainOfThought(data_model=Position,
                                             language_model=member_model(name),
                                             name=f"member_{name}")(inputs)
    return synalinks.Program(inputs=inputs, outputs=outputs, name=f"member_{name}")


class Consul(synalinks.Program):
    """Members speak in rounds, each reading the transcript; the chair decides."""

    def __init__(self, members: dict[str, Any], chair: Any, rounds: int = 2, **kwargs: Any):
        super().__init__(**kwargs)
        self.members = members
        self.chair = chair
        self.rounds = rounds

    async def call(self, inputs: Any, training: bool = False) -> Any:
        question = inputs.get("question")
        lines: list[str] = []
        for r in range(self.rounds):
            for name, member in self.members.items():
                state = DebateState(question=question, transcript="\n".join(lines) or "(none)")
                opinion = await member(state)
                lines.append(f"Round {r + 1}, {name}: {opinion['position']}")
        return await self.chair(DebateState(question=question, transcript="\n".join(lines)))


async def test_a_consul_deliberates_in_rounds_and_the_chair_sees_the_transcript() -> None:
    seen: list[str] = []

    def chair_handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, str]:
        transcript = json.loads(messages[-1]["content"])["transcript"]
        seen.append(transcript)
        return {"thinking": "...", "answer": transcript.splitlines()[-1].split(": ")[1]}

    inputs = synalinks.Input(data_model=DebateState)
    chair_out = await synalinks.ChainOfThought(
        data_model=Answer, language_model=synalinks.ScriptedLanguageModel(handler=chair_handler),
        name="chair")(inputs)
    chair = synalinks.Program(inputs=inputs, outputs=chair_out, name="chair")
    members = {"hasty": await build_member("hasty"), "careful": await build_member("careful")}
    consul = Consul(members=members, chair=chair, rounds=2, name="consul")

    result = await consul(Question(question="Bat and ball: how much is the ball?"))
    assert result["answer"] == "$0.05"
    assert seen[0].splitlines() == ["Round 1, hasty: $0.10", "Round 1, careful: $0.05",
                                    "Round 2, hasty: $0.05", "Round 2, careful: $0.05"]
    assert {m.name for m in consul.submodules} >= {"member_hasty", "member_careful", "chair"}
