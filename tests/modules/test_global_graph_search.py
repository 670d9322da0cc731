"""GlobalGraphSearch and GlobalGraphMapReduce over a real LadybugDB graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from synalinks_nb.testing import check_module

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")


class Question(sn.DataModel):
    question: str


class Answer(sn.DataModel):
    answer: str


async def lab(path: Path, build: bool = True) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{path}")
    pairs = [("Alice", "Bob"), ("Bob", "Carol"), ("Carol", "Alice"), ("Dan", "Eve")]
    await kb.update_relations([{"subj": {"label": "Researcher", "name": a},
                                "label": "CollaboratesWith",
                                "obj": {"label": "Researcher", "name": b}} for a, b in pairs])
    if build:
        await kb.build_communities()
    return kb


async def test_global_search_returns_communities_biggest_rank_first(tmp_path: Path) -> None:
    kb = await lab(tmp_path / "lab.lb")
    search = sn.GlobalGraphSearch(knowledge_base=kb, k=1, members_per_community=2)
    out = await check_module(search, Question(question="ignored"))
    (graph,) = out["knowledge_graphs"]
    assert len(graph["entities"]) == 2  # the 3-member community, cut to its best 2
    assert {e["name"] for e in graph["entities"]} <= {"Alice", "Bob", "Carol"}
    assert out["question"] == "ignored"
    everything = sn.GlobalGraphSearch(knowledge_base=kb, return_inputs=False)
    assert sorted(len(g["entities"]) for g in
                  (await everything(Question(question="?")))["knowledge_graphs"]) == [2, 3]
    with pytest.raises(ModuleError, match="members_per_community"):
        sn.GlobalGraphSearch(knowledge_base=kb, members_per_community=0)


def scorer(scores: dict[str, float]) -> Any:
    """Map answers name the community's members, scored per member; reduce joins them."""

    def answer(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
        prompt = messages[-1]["content"]
        if "relevance_score" in schema["properties"]:
            member = next(name for name in scores if name in prompt)
            return {"partial_answer": member, "relevance_score": scores[member]}
        return {"answer": prompt}

    return sn.ScriptedLanguageModel(handler=answer)


async def test_map_reduce_keeps_answers_above_the_threshold_best_first(tmp_path: Path) -> None:
    kb = await lab(tmp_path / "lab.lb")
    lm = scorer({"Alice": 80.0, "Dan": 5.0})
    module = sn.GlobalGraphMapReduce(knowledge_base=kb, language_model=lm, data_model=Answer,
                                     score_threshold=10.0, return_community_answers=True,
                                     return_inputs=True)
    out = await check_module(module, Question(question="What are the teams?"))
    assert [a["partial_answer"] for a in out["community_answers"]] == ["Alice"]
    assert "Dan" not in out["answer"] and "Alice" in out["answer"]  # reduce saw kept only
    assert out["question"] == "What are the teams?"

    lm = scorer({"Dan": 90.0, "Alice": 20.0})
    lenient = sn.GlobalGraphMapReduce(knowledge_base=kb, language_model=lm, data_model=Answer,
                                      return_community_answers=True, top_k=3)
    kept = (await lenient(Question(question="?")))["community_answers"]
    assert [a["relevance_score"] for a in kept] == [90.0, 20.0]
    assert {c.kwargs.get("top_k") for c in lm.calls} == {3}  # map and reduce calls alike
    assert lenient.get_config()["top_k"] == 3


async def test_map_reduce_without_communities_or_schema(tmp_path: Path) -> None:
    unbuilt = await lab(tmp_path / "a.lb", build=False)
    lm = scorer({"Alice": 50.0, "Dan": 50.0})
    module = sn.GlobalGraphMapReduce(knowledge_base=unbuilt, language_model=lm)
    assert await module(Question(question="?")) is None
    assert lm.calls == []
    built = await lab(tmp_path / "b.lb")
    chat = sn.ScriptedLanguageModel(handler=lambda messages, schema: (
        {"partial_answer": "x", "relevance_score": 1.0} if schema else "the lab has two teams"))
    out = await sn.GlobalGraphMapReduce(knowledge_base=built, language_model=chat)(
        Question(question="?"))
    assert out["role"] == "assistant" and out["content"] == "the lab has two teams"
    with pytest.raises(ModuleError, match="score_threshold"):
        sn.GlobalGraphMapReduce(knowledge_base=built, score_threshold=-1)
