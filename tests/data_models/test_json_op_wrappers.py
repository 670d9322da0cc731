"""Async ops on data models: masks (suffixed, plural, regex, nested), prefix, suffix, factorize."""

from __future__ import annotations

import asyncio
from typing import Any

import synalinks_nb as sn


class Item(sn.DataModel):
    answer: str
    note: str


class Report(sn.DataModel):
    thinking: str
    answer: str
    answer_1: str
    answers: list[str]
    item: Item
    items: list[Item]


report = Report(thinking="t", answer="a", answer_1="b", answers=["c"],
                item=Item(answer="x", note="n"), items=[Item(answer="y", note="m")])


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_in_mask_matches_suffixed_and_plural_keys() -> None:
    out = run(sn.ops.in_mask(report, mask=["answer"], recursive=False))
    assert set(out.get_json()) == {"answer", "answer_1", "answers"}
    assert set(out.get_schema()["properties"]) == {"answer", "answer_1", "answers"}


def test_out_mask_recurses_into_nested_objects_and_list_items() -> None:
    out = run(sn.ops.out_mask(report, mask=["note"]))
    assert out.get_json()["item"] == {"answer": "x"}
    assert out.get_json()["items"] == [{"answer": "y"}]
    sn.JsonDataModel(schema=out.get_schema(), json=out.get_json())


def test_mask_with_regex_pattern() -> None:
    out = run(sn.ops.out_mask(report, pattern="^answer", recursive=False))
    assert "answer" not in out.get_json()
    assert "answer_1" not in out.get_json()
    assert "thinking" in out.get_json()


class Scored(sn.DataModel):
    score: float


def test_prefix_and_suffix_rename_top_level_keys() -> None:
    out = run(sn.ops.prefix(Scored(score=0.5), prefix="draft"))
    assert out.get_json() == {"draft_score": 0.5}
    assert out.get_schema()["required"] == ["draft_score"]
    out = run(sn.ops.suffix(Scored(score=0.5), suffix="final"))
    assert out.get_json() == {"score_final": 0.5}


def test_factorize_groups_suffixed_keys_into_a_list() -> None:
    class Two(sn.DataModel):
        answer: str
        answer_1: str

    out = run(sn.ops.factorize(Two(answer="a", answer_1="b")))
    assert out.get_json() == {"answers": ["a", "b"]}
    sn.JsonDataModel(schema=out.get_schema(), json=out.get_json())


def test_ops_pass_none_through() -> None:
    assert run(sn.ops.in_mask(None, mask=["answer"])) is None
