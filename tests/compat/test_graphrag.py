"""GraphRAG's global side, the way Synalinks' guide 32 writes it.

The guide's program (``import synalinks_nb as synalinks``): the lab graph (two teams of
three and one bridge) is embedded and stored by a loader program, ``build_communities``
indexes it, ``GlobalGraphSearch`` returns the communities and ``GlobalGraphMapReduce``
answers the whole-lab question; a scripted model plays the map and reduce steps. The
engine is a real LadybugDB folder; communities come from our Louvain (LadybugDB's
``algo`` extension downloads at run time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as synalinks
from tests.compat.knowledge_setup import Question, lab_kb

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")


def map_and_reduce(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
    prompt = messages[-1]["content"]
    if schema is not None and "relevance_score" in schema["properties"]:
        area = "vision" if "image" in prompt else "language"
        return {"partial_answer": f"a {area} team", "relevance_score": 90.0}
    return "The lab works on vision and on language."


async def test_guide_32_graphrag_global_search(tmp_path: Path) -> None:
    synalinks.clear_session()
    knowledge_base = await lab_kb(tmp_path / "lab.lb", [
        ("Alice", "Bob"), ("Bob", "Carol"), ("Carol", "Alice"), ("Dan", "Eve"),
        ("Eve", "Frank"), ("Frank", "Dan"), ("Alice", "Dan")])

    stamped = await knowledge_base.build_communities(algorithm="louvain")
    assert stamped == 6

    inputs = synalinks.Input(data_model=Question)
    communities = await synalinks.GlobalGraphSearch(knowledge_base=knowledge_base,
                                                    k=3)(inputs)
    global_search = synalinks.Program(inputs=inputs, outputs=communities,
                                      name="global_graph_search")
    found = await global_search(Question(question="What are the lab's main research areas?"))
    teams = sorted(sorted(e["name"] for e in g["entities"])
                   for g in found.get("knowledge_graphs"))
    assert teams == [["Alice", "Bob", "Carol"], ["Dan", "Eve", "Frank"]]

    language_model = synalinks.ScriptedLanguageModel(handler=map_and_reduce)
    inputs = synalinks.Input(data_model=Question)
    answer = await synalinks.GlobalGraphMapReduce(
        knowledge_base=knowledge_base, language_model=language_model, k=3,
        return_community_answers=True)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=answer, name="global_graph_qa")
    result = await program(Question(question="What are the lab's main research areas?"))
    assert sorted(a["partial_answer"] for a in result.get("community_answers")) == [
        "a language team", "a vision team"]
    assert result.get("content") == "The lab works on vision and on language."
    assert len(program.trainable_variables) == 2  # the map and reduce instructions
