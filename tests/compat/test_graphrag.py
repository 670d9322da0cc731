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
from typing import Any, Literal

import pytest

import synalinks_nb as synalinks

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")


class Researcher(synalinks.Entity):
    label: Literal["Researcher"]
    name: str = synalinks.Field(description="The researcher's name, e.g. 'Alice'.")
    focus: str = synalinks.Field(description="Their research focus.")


class CollaboratesWith(synalinks.Relation):
    label: Literal["CollaboratesWith"]
    subj: Researcher
    obj: Researcher


class LabCollaborations(synalinks.Relations):
    relations: list[CollaboratesWith] = synalinks.Field(
        description="Every collaboration in the lab.")


class Query(synalinks.DataModel):
    question: str = synalinks.Field(description="The user question")


FOCUS = {"Alice": "diffusion models for image generation",
         "Bob": "real-time image segmentation", "Carol": "video understanding",
         "Dan": "low-resource machine translation", "Eve": "speech recognition",
         "Frank": "task-oriented dialogue systems"}
PAIRS = [("Alice", "Bob"), ("Bob", "Carol"), ("Carol", "Alice"), ("Dan", "Eve"),
         ("Eve", "Frank"), ("Frank", "Dan"), ("Alice", "Dan")]


def researcher(name: str) -> Researcher:
    return Researcher(label="Researcher", name=name, focus=FOCUS[name])


def map_and_reduce(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
    prompt = messages[-1]["content"]
    if schema is not None and "relevance_score" in schema["properties"]:
        area = "vision" if "image" in prompt else "language"
        return {"partial_answer": f"a {area} team", "relevance_score": 90.0}
    return "The lab works on vision and on language."


async def test_guide_32_graphrag_global_search(tmp_path: Path) -> None:
    synalinks.clear_session()
    embedding_model = synalinks.EmbeddingModel(model="hashing/256")
    knowledge_base = synalinks.KnowledgeBase(
        graph_uri=f"ladybug://{tmp_path / 'lab.lb'}", entity_models=[Researcher],
        relation_models=[CollaboratesWith], embedding_model=embedding_model, metric="cosine",
        wipe_on_start=True)
    inputs = synalinks.Input(data_model=LabCollaborations)
    embedded = await synalinks.EmbedKnowledge(embedding_model=embedding_model,
                                              in_mask=["name"])(inputs)
    stored = await synalinks.UpdateKnowledge(knowledge_base=knowledge_base)(embedded)
    loader = synalinks.Program(inputs=inputs, outputs=stored, name="lab_graph_loader")
    await loader(LabCollaborations(relations=[
        CollaboratesWith(label="CollaboratesWith", subj=researcher(a), obj=researcher(b))
        for a, b in PAIRS]))

    stamped = await knowledge_base.build_communities(algorithm="louvain")
    assert stamped == 6

    inputs = synalinks.Input(data_model=Query)
    communities = await synalinks.GlobalGraphSearch(knowledge_base=knowledge_base,
                                                    k=3)(inputs)
    global_search = synalinks.Program(inputs=inputs, outputs=communities,
                                      name="global_graph_search")
    found = await global_search(Query(question="What are the lab's main research areas?"))
    teams = sorted(sorted(e["name"] for e in g["entities"])
                   for g in found.get("knowledge_graphs"))
    assert teams == [["Alice", "Bob", "Carol"], ["Dan", "Eve", "Frank"]]

    language_model = synalinks.ScriptedLanguageModel(handler=map_and_reduce)
    inputs = synalinks.Input(data_model=Query)
    answer = await synalinks.GlobalGraphMapReduce(
        knowledge_base=knowledge_base, language_model=language_model, k=3,
        return_community_answers=True)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=answer, name="global_graph_qa")
    result = await program(Query(question="What are the lab's main research areas?"))
    assert sorted(a["partial_answer"] for a in result.get("community_answers")) == [
        "a language team", "a vision team"]
    assert result.get("content") == "The lab works on vision and on language."
    assert len(program.trainable_variables) == 2  # the map and reduce instructions
