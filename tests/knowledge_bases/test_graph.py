"""The graph side of KnowledgeBase on a real LadybugDB database (a folder in tmp_path).

Covers: typed and free-form tables, reopening a file, de-duplication by embedding,
relations landing on de-duplicated endpoints, the read-only Cypher guard, local
graph search, CRUD, and the error when the ``graph`` extra is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import KnowledgeBaseError, MissingDependencyError, ReadOnlyQueryError

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")

EMBEDDING = "hashing/256"


class Country(sn.Entity):
    label: Literal["Country"]
    name: str = sn.Field(description="Country name")


class City(sn.Entity):
    label: Literal["City"]
    name: str = sn.Field(description="City name")
    population: int | None = None


class Landmark(sn.Entity):
    label: Literal["Landmark"]
    name: str = sn.Field(description="A notable place")


class IsCapitalOf(sn.Relation):
    label: Literal["IsCapitalOf"]
    subj: City
    obj: Country


class IsLocatedIn(sn.Relation):
    label: Literal["IsLocatedIn"]
    subj: Landmark
    obj: City


PARIS = City(label="City", name="Paris", population=2_100_000)
FRANCE = Country(label="Country", name="France")
TOWER = Landmark(label="Landmark", name="Eiffel Tower")
EDGES = "MATCH (a)-[r]->(b) RETURN a.name AS subj, label(r) AS rel, b.name AS obj ORDER BY rel"


def geo_kb(path: Path, **kwargs: object) -> sn.KnowledgeBase:
    return sn.KnowledgeBase(graph_uri=f"ladybug://{path}", entity_models=[Country, City, Landmark],
                            relation_models=[IsCapitalOf, IsLocatedIn],
                            embedding_model=EMBEDDING, **kwargs)  # type: ignore[arg-type]


async def store_geography(kb: sn.KnowledgeBase) -> None:
    await kb.update_knowledge_graph(sn.KnowledgeGraph(
        entities=[PARIS, FRANCE, TOWER],
        relations=[IsCapitalOf(subj=City(label="City", name="Paris"), label="IsCapitalOf",
                               obj=FRANCE),
                   IsLocatedIn(subj=TOWER, label="IsLocatedIn", obj=PARIS)]))


async def test_a_graph_survives_closing_and_reopening_its_file(tmp_path: Path) -> None:
    kb = geo_kb(tmp_path / "geo.lb")
    await store_geography(kb)
    kb.close()
    reopened = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'geo.lb'}")  # no models
    assert await reopened.cypher(EDGES) == [
        {"subj": "Paris", "rel": "IsCapitalOf", "obj": "France"},
        {"subj": "Eiffel Tower", "rel": "IsLocatedIn", "obj": "Paris"}]
    # The relation's endpoint came without a population: the stored one is kept.
    assert await reopened.get_entity("Paris", label="City") == {
        "label": "City", "name": "Paris", "population": 2_100_000}
    schema = reopened.get_graph_schema()
    assert "(:City)-[:IsCapitalOf]->(:Country)" in schema
    assert "population (INT64)" in schema
    reopened.close()


async def test_near_duplicate_entities_land_on_the_stored_node(tmp_path: Path) -> None:
    kb = geo_kb(tmp_path / "geo.lb")
    await store_geography(kb)
    # Same label, nearly the same name: the new entity is the stored node.
    assert await kb.update_entities(Landmark(label="Landmark", name="Eiffel tower")) == \
        "Eiffel Tower"
    assert await kb.update_entities(Landmark(label="Landmark", name="Louvre")) == "Louvre"
    # A relation whose endpoint is a near duplicate connects the stored node, once.
    for _ in range(2):
        assert await kb.update_relations(IsLocatedIn(
            subj=Landmark(label="Landmark", name="eiffel tower"), label="IsLocatedIn",
            obj=City(label="City", name="Paris"))) == ["Eiffel Tower", "IsLocatedIn", "Paris"]
    names = await kb.cypher("MATCH (n:Landmark) RETURN n.name AS name ORDER BY name")
    assert names == [{"name": "Eiffel Tower"}, {"name": "Louvre"}]
    assert len(await kb.cypher("MATCH (:Landmark)-[r:IsLocatedIn]->(:City) RETURN r")) == 1


async def test_dedup_threshold_one_keeps_every_distinct_key(tmp_path: Path) -> None:
    kb = geo_kb(tmp_path / "geo.lb", dedup_threshold=1.0)
    await kb.update_entities([TOWER, Landmark(label="Landmark", name="Eiffel tower")])
    assert len(await kb.cypher("MATCH (n:Landmark) RETURN n.name")) == 2
    with pytest.raises(KnowledgeBaseError, match="dedup_threshold"):
        geo_kb(tmp_path / "other.lb", dedup_threshold=0.0)


class Node(sn.Entity):
    name: str = sn.Field(description="The entity's name")
    description: str = sn.Field(description="A short description")


class Edge(sn.Relation):
    subj: Node
    obj: Node


async def test_free_form_labels_create_their_tables_from_the_data(tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'free.lb'}")
    curie = Node(label="Person", name="Marie Curie", description="A physicist")
    warsaw = Node(label="City", name="Warsaw", description="A city")
    await kb.update_relations([Edge(subj=curie, label="BornIn", obj=warsaw)])
    # A field seen later becomes a new column; a new endpoint pair joins the edge table.
    await kb.update_entities({"label": "Person", "name": "Pierre Curie", "born": 1859})
    await kb.update_relations({"subj": {"label": "Person", "name": "Pierre Curie"},
                               "label": "BornIn", "obj": {"label": "Country", "name": "France"}})
    labels = await kb.cypher("MATCH (n) RETURN DISTINCT label(n) AS type ORDER BY type")
    assert [row["type"] for row in labels] == ["City", "Country", "Person"]
    assert await kb.cypher("MATCH (p:Person {name: 'Pierre Curie'})-[:BornIn]->(c) "
                           "RETURN p.born AS born, label(c) AS place") == [
        {"born": 1859, "place": "Country"}]
    with pytest.raises(KnowledgeBaseError, match="letters, digits and underscores"):
        await kb.update_entities({"label": "Bad Label", "name": "x"})
    with pytest.raises(KnowledgeBaseError, match="primary key 'name'"):
        await kb.update_entities({"label": "Person", "name": None})


@pytest.mark.parametrize("query", [
    "CREATE (n:City {name: 'Lyon'})",
    "MATCH (n:City) SET n.population = 0",
    "MERGE (n:City {name: 'Lyon'})",
    "MATCH (n) DETACH DELETE n",
    "LOAD FROM '/etc/hostname' RETURN *",
    "COPY City FROM '/tmp/cities.csv'",
    "CALL drop_fts_index('City', 'x')",
    "MATCH (n) RETURN n; MATCH (m) RETURN m",
    "match (n:City) remove n.population",
])
async def test_read_only_cypher_refuses_writes_files_and_procedures(tmp_path: Path,
                                                                    query: str) -> None:
    kb = geo_kb(tmp_path / "geo.lb")
    await store_geography(kb)
    with pytest.raises(ReadOnlyQueryError):
        await kb.cypher(query)
    assert len(await kb.cypher("MATCH (n:City) RETURN n")) == 1


async def test_read_only_cypher_allows_reads_that_mention_keywords(tmp_path: Path) -> None:
    kb = geo_kb(tmp_path / "geo.lb")
    await store_geography(kb)
    rows = await kb.cypher("MATCH (n:City) // SET nothing\nWHERE n.name <> 'DELETE me' "
                           "RETURN n.name AS name", output_format="csv")
    assert rows == "name\nParis\n"
    assert {"name": "City"} in [{"name": r["name"]} for r in
                                await kb.cypher("CALL show_tables() RETURN name")]
    with pytest.raises(KnowledgeBaseError, match="LadybugDB refused"):
        await kb.cypher("MATCH (n:Nowhere) RETURN n")
    await kb.cypher("MATCH (n:City) SET n.population = 1", read_only=False)
    assert (await kb.get_entity("Paris", label="City"))["population"] == 1


async def test_local_graph_search_returns_the_neighbourhood_as_a_graph(tmp_path: Path) -> None:
    kb = geo_kb(tmp_path / "geo.lb")
    await store_geography(kb)
    near = await kb.local_graph_search("Eiffel Tower", label="Landmark", max_hops=1, k=1)
    assert sorted(e.name for e in near.entities) == ["Eiffel Tower", "Paris"]
    far = await kb.local_graph_search("Eiffel Tower", label="Landmark", max_hops=2, k=1)
    assert sorted((e.label, e.name) for e in far.entities) == [
        ("City", "Paris"), ("Country", "France"), ("Landmark", "Eiffel Tower")]
    # Walked against its direction, an edge keeps its subject and object.
    triples = sorted((r.subj.name, r.label, r.obj.name) for r in far.relations)
    assert triples == [("Eiffel Tower", "IsLocatedIn", "Paris"),
                       ("Paris", "IsCapitalOf", "France")]
    assert far.get_json()["entities"][0].keys() >= {"label", "name"}
    hits = await kb.entity_similarity_search(["Paris"], label="City", k=1)
    assert hits[0]["name"] == "Paris" and hits[0]["score"] > 0.9
    with pytest.raises(KnowledgeBaseError, match="max_hops"):
        await kb.local_graph_search("Paris", label="City", max_hops=0)
    with pytest.raises(KnowledgeBaseError, match="label='Planet'"):
        await kb.entity_similarity_search("Mars", label="Planet")


async def test_deleting_entities_and_relations(tmp_path: Path) -> None:
    kb = geo_kb(tmp_path / "geo.lb")
    await store_geography(kb)
    assert await kb.delete_relation(label="IsCapitalOf", source_id="Paris",
                                    target_id="France") == 1
    assert await kb.delete_relation(label="IsCapitalOf", source_id="Paris",
                                    target_id="France") == 0
    assert await kb.delete_entity(["Eiffel Tower", "Nowhere"], label="Landmark") == 1
    assert await kb.get_entity(["Eiffel Tower", "Paris"], label="Landmark") == [None, None]
    assert await kb.cypher(EDGES) == []


async def test_each_store_says_when_it_is_missing(tmp_path: Path) -> None:
    sql_only = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'rows.db'}")
    with pytest.raises(KnowledgeBaseError, match="graph_uri="):
        await sql_only.update_entities(PARIS)
    graph_only = geo_kb(tmp_path / "geo.lb")
    with pytest.raises(KnowledgeBaseError, match="uri='duckdb://"):
        await graph_only.sql("SELECT 1")
    with pytest.raises(KnowledgeBaseError, match="ladybug://<path>"):
        sn.KnowledgeBase(graph_uri="neo4j://host")


async def test_a_knowledge_base_without_uris_has_both_stores(tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(name="both", entity_models=[City])
    await kb.update_entities(PARIS)
    assert await kb.sql("SELECT 42 AS answer") == [{"answer": 42}]
    assert Path(kb.graph_path or "").name == "both.lb"
    config = kb.get_config()
    kb.close()
    again = sn.KnowledgeBase.from_config(config)
    assert (await again.get_entity("Paris", label="City"))["name"] == "Paris"
    again.close()


def test_a_missing_graph_extra_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ladybug", None)  # `import ladybug` now fails
    with pytest.raises(MissingDependencyError, match=r"synalinks_nb\[graph\]"):
        sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'g.lb'}")
