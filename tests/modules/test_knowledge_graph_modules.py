"""EmbedKnowledge and UpdateKnowledge on graph shapes, against a real LadybugDB graph."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

import synalinks_nb as sn
from synalinks_nb.testing import check_module


class Person(sn.Entity):
    label: Literal["Person"]
    name: str = sn.Field(description="The person's name")
    job: str = sn.Field(description="What the person does")


class Knows(sn.Relation):
    label: Literal["Knows"]
    subj: Person
    obj: Person


class People(sn.Relations):
    relations: list[Knows]


class Crowd(sn.Entities):
    entities: list[Person]


class Circle(sn.KnowledgeGraph):
    entities: list[Person]
    relations: list[Knows]


class Page(sn.DataModel):
    id: str
    text: str


ADA = Person(label="Person", name="Ada Lovelace", job="mathematician")
CHARLES = Person(label="Person", name="Charles Babbage", job="engineer")


async def test_embed_knowledge_puts_a_vector_on_every_entity_of_a_graph() -> None:
    graph = Circle(
        entities=[ADA], relations=[Knows(subj=ADA, label="Knows", obj=CHARLES)])
    module = sn.EmbedKnowledge(embedding_model="hashing/32", in_mask=["name"])
    out = (await check_module(module, graph)).get_json()
    vectors = [out["entities"][0]["embedding"], out["relations"][0]["subj"]["embedding"],
               out["relations"][0]["obj"]["embedding"]]
    assert [len(v) for v in vectors] == [32, 32, 32]
    assert vectors[0] == vectors[1]  # the same name, the same vector (in_mask=["name"])
    assert vectors[0] != vectors[2]
    assert "embedding" not in out["relations"][0]  # edges are not embedded
    plain = await sn.EmbedKnowledge(embedding_model="hashing/8")(Page(id="p", text="x"))
    assert len(plain["embedding"]) == 8  # a plain record: one vector on the record


async def test_update_knowledge_stores_relations_with_their_endpoints(tmp_path: Path) -> None:
    pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")
    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'kb.db'}",
                          graph_uri=f"ladybug://{tmp_path / 'kb.lb'}", data_models=[Page])
    update = sn.UpdateKnowledge(knowledge_base=kb)
    people = People(relations=[Knows(subj=ADA, label="Knows", obj=CHARLES)])
    assert (await update(people)).get_json() == people.get_json()  # passed on unchanged
    assert await kb.cypher("MATCH (a:Person)-[:Knows]->(b:Person) "
                           "RETURN a.job AS a, b.job AS b") == [
        {"a": "mathematician", "b": "engineer"}]
    # A module is built for the shape of its first input: one UpdateKnowledge per shape.
    await sn.UpdateKnowledge(knowledge_base=kb)(
        Crowd(entities=[Person(label="Person", name="Mary", job="writer")]))
    assert len(await kb.cypher("MATCH (p:Person) RETURN p")) == 3
    # A record that is not graph-shaped is a row of its table.
    await sn.UpdateKnowledge(knowledge_base=kb)(Page(id="p1", text="hello"))
    assert (await kb.get("p1", table_name="Page")).get_json() == {"id": "p1", "text": "hello"}
    assert len(await kb.cypher("MATCH (n) RETURN n")) == 3


class Question(sn.DataModel):
    question: str


async def test_local_graph_search_keeps_the_contract_and_lets_the_model_pick_the_label(
    tmp_path: Path,
) -> None:
    pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'kb.lb'}",
                          embedding_model="hashing/64")
    await kb.update_relations([Knows(subj=ADA, label="Knows", obj=CHARLES)])
    await kb.update_entities({"label": "City", "name": "London"})
    query = {"local_graph_search": ["Ada Lovelace"]}
    lm = sn.ScriptedLanguageModel(responses=[query, query])
    fixed = sn.LocalGraphSearch(knowledge_base=kb, entity_model=Person, k=1, max_hops=1,
                                language_model=lm)
    out = await check_module(fixed, Question(question="Whom did Ada know?"))
    assert out["question"] == "Whom did Ada know?"
    assert sorted(e["name"] for e in out["entities"]) == ["Ada Lovelace", "Charles Babbage"]
    assert out["relations"][0]["obj"]["job"] == "engineer"
    chooser = sn.ScriptedLanguageModel(
        responses=[{"local_graph_search": ["London"], "entity_label": "City"}])
    free = sn.LocalGraphSearch(knowledge_base=kb, k=1, language_model=chooser,
                               return_inputs=False, return_query=False)
    out = await free(Question(question="What about London?"))
    assert out.get_json() == {"entities": [{"label": "City", "name": "London"}],
                              "relations": []}
    assert chooser.calls[0].schema["properties"]["entity_label"]["enum"] == ["City", "Person"]
    with pytest.raises(sn.errors.ModuleError, match="max_hops"):
        sn.LocalGraphSearch(knowledge_base=kb, label="Person", max_hops=0)
