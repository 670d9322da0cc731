"""Data models: fields, dict-like access, the operators and the JSON ops of Synalinks' guide."""

from __future__ import annotations

import synalinks_nb as synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


class Critique(synalinks.DataModel):
    critique: str = synalinks.Field(description="What is wrong with the answer")


async def test_concrete_data_models_and_operators() -> None:
    qa = Query(query="What is the French capital?") + Answer(answer="Paris")
    assert qa.get_json() == {"query": "What is the French capital?", "answer": "Paris"}
    assert qa["answer"] == "Paris" and "query" in qa
    assert (Answer(answer="Paris") & None) is None       # and: None if one side is missing
    assert (None | Answer(answer="Paris"))["answer"] == "Paris"  # or: whichever is there
    assert (Answer(answer="a") ^ Answer(answer="b")) is None     # xor: None if both are
    assert ~Answer(answer="Paris") is None


async def test_symbolic_data_models_and_json_ops() -> None:
    x = synalinks.Input(data_model=Query)
    y = synalinks.Input(data_model=Answer)
    both = x + y
    assert list(both.get_schema()["properties"]) == ["query", "answer"]
    only_answer = await synalinks.ops.out_mask(both, mask=["query"])
    assert list(only_answer.get_schema()["properties"]) == ["answer"]
    prefixed = await synalinks.ops.prefix(y, prefix="final")
    assert list(prefixed.get_schema()["properties"]) == ["final_answer"]
    concatenated = await synalinks.ops.json.concatenate(y, synalinks.Input(data_model=Critique))
    assert list(concatenated.get_schema()["properties"]) == ["answer", "critique"]
    assert list(Answer.keys()) == ["answer"]
