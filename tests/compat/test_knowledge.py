"""Knowledge bases and graphs, the way Synalinks' guides 7, 23, 26, 27, 28 and 32 write them.

Each test is a program in the guides' style (``import synalinks_nb as synalinks``) on real
engines (a DuckDB file, a LadybugDB folder in ``tmp_path``) with the ``hashing/256``
embedding model and scripted language models. Differences from the guides, on purpose: the
SQL and Cypher questions (guides 23 and 26) are also asked as Generator programs around
``Text2SQL`` / ``Text2Cypher`` (the agents themselves: ``test_knowledge_agents.py``);
multi-stage extraction calls ``synalinks.ops.factorize`` where the guide calls
``.factorize()``; GraphRAG's global side (guide 32) is in ``test_graphrag.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, Union

import synalinks_nb as synalinks
from tests.compat.helpers import answering
from tests.compat.knowledge_setup import (
    Customer,
    Document,
    Query,
    Question,
    embed_and_store,
    graph_kb,
    lab_kb,
    table_kb,
)


class Answer(synalinks.DataModel):
    """Answer based on retrieved context."""

    answer: str = synalinks.Field(description="Answer based on the context provided")


DOCUMENTS = [
    Document(id="doc1", title="Introduction to Python",
             content="Python is a high-level programming language."),
    Document(id="doc2", title="Machine Learning Basics",
             content="Machine learning is a subset of AI that enables systems to learn."),
    Document(id="doc3", title="Deep Learning",
             content="Deep learning uses neural networks with many layers."),
]


async def test_guide_7_knowledge_base(tmp_path: Path) -> None:
    synalinks.clear_session()
    kb = await table_kb(tmp_path / "guides_knowledge.db", DOCUMENTS, data_models=[Document],
                        embedding_model=None, metric="cosine", name="guides_kb")
    results = await kb.fulltext_search("programming language", table_name="Document", k=10,
                                       threshold=None)
    assert results[0]["title"] == "Introduction to Python"
    assert (await kb.get("doc2", table_name="Document"))["title"] == "Machine Learning Basics"
    assert len(await kb.getall(table_name="Document", limit=50, offset=0)) == 3

    def rule(user: dict[str, Any], field: str) -> Any:
        if field in ("tables", "search"):
            return ["Document"] if field == "tables" else ["Python"]
        return user["result"][0]["content"]  # the answer quotes the best passage

    lm = answering(rule)
    inputs = synalinks.Input(data_model=Query)
    retrieved = await synalinks.RetrieveKnowledge(knowledge_base=kb, language_model=lm,
                                                  search_type="fulltext", k=2,
                                                  return_inputs=True)(inputs)
    outputs = await synalinks.Generator(data_model=Answer, language_model=lm)(retrieved)
    rag_program = synalinks.Program(inputs=inputs, outputs=outputs, name="rag_pipeline")
    result = await rag_program(Query(query="What is Python?"))
    assert result["answer"] == "Python is a high-level programming language."
    rows = await kb.sql("SELECT id, title FROM Document WHERE title LIKE ?",
                        params=["%Learning%"])
    assert sorted(r["id"] for r in rows) == ["doc2", "doc3"]


class Country(synalinks.Entity):
    label: Literal["Country"]
    name: str = synalinks.Field(description="Country name, e.g. 'France'.")


class City(synalinks.Entity):
    label: Literal["City"]
    name: str = synalinks.Field(description="City name, e.g. 'Paris'.")


class Landmark(synalinks.Entity):
    label: Literal["Landmark"]
    name: str = synalinks.Field(description="A notable place, e.g. 'Eiffel Tower'.")


class IsCapitalOf(synalinks.Relation):
    label: Literal["IsCapitalOf"]
    subj: City
    obj: Country


class IsLocatedIn(synalinks.Relation):
    label: Literal["IsLocatedIn"]
    subj: Landmark
    obj: City


class GeographyGraph(synalinks.KnowledgeGraph):
    # Union, as the guides write it: `|` between data-model classes is Synalinks' logical Or.
    entities: list[Union[Country, City, Landmark]] = synalinks.Field(  # noqa: UP007
        description="Every country, city, and landmark mentioned in the text.")
    relations: list[Union[IsCapitalOf, IsLocatedIn]] = synalinks.Field(  # noqa: UP007
        description="Every capital-of and located-in relation between them.")


class GeographyEntities(synalinks.Entities):
    entities: list[Union[Country, City, Landmark]] = synalinks.Field(  # noqa: UP007
        description="Every country, city, and landmark mentioned in the text.")


class GeographyRelations(synalinks.Relations):
    relations: list[Union[IsCapitalOf, IsLocatedIn]] = synalinks.Field(  # noqa: UP007
        description="Every relation between the entities in the text.")


class GeoDocument(synalinks.DataModel):
    """A piece of unstructured text to extract a graph from."""

    text: str = synalinks.Field(description="The raw document text")


FRANCE = {"label": "Country", "name": "France"}
PARIS = {"label": "City", "name": "Paris"}
TOWER = {"label": "Landmark", "name": "Eiffel Tower"}
CAPITAL = {"subj": PARIS, "label": "IsCapitalOf", "obj": FRANCE}
LOCATED = {"subj": TOWER, "label": "IsLocatedIn", "obj": PARIS}
TEXT = GeoDocument(text="France is a country in Western Europe. Its capital is Paris. The "
                        "Eiffel Tower, a famous landmark, is located in Paris.")
EDGES = "MATCH (a)-[r]->(b) RETURN a.name AS subj, label(r) AS rel, b.name AS obj ORDER BY rel"
STORED_EDGES = [{"subj": "Paris", "rel": "IsCapitalOf", "obj": "France"},
                {"subj": "Eiffel Tower", "rel": "IsLocatedIn", "obj": "Paris"}]


def geography_kb(path: Path) -> synalinks.KnowledgeBase:
    return graph_kb(path, entity_models=[Country, City, Landmark],
                    relation_models=[IsCapitalOf, IsLocatedIn])


async def test_guide_27_one_stage_extraction(tmp_path: Path) -> None:
    kb = geography_kb(tmp_path / "geography.lb")
    lm = synalinks.ScriptedLanguageModel(responses=[
        {"entities": [FRANCE, PARIS, TOWER], "relations": [CAPITAL, LOCATED]}])
    inputs = synalinks.Input(data_model=GeoDocument)
    knowledge_graph = await synalinks.Generator(
        data_model=GeographyGraph, language_model=lm,
        instructions="Extract every country, city, and landmark, and the relations.")(inputs)
    stored = await embed_and_store(kb, knowledge_graph)
    one_stage = synalinks.Program(inputs=inputs, outputs=stored, name="one_stage_kg_extraction")
    await one_stage(TEXT)
    assert await kb.cypher(EDGES) == STORED_EDGES
    nodes = await kb.cypher("MATCH (n:Country|City|Landmark) RETURN n.name AS name ORDER BY name")
    assert [n["name"] for n in nodes] == ["Eiffel Tower", "France", "Paris"]
    subgraph = await kb.local_graph_search("Paris", label="City", max_hops=2, k=1)
    assert sorted(f"{e.label}: {e.name}" for e in subgraph.entities) == [
        "City: Paris", "Country: France", "Landmark: Eiffel Tower"]


async def test_guide_27_two_stage_extraction(tmp_path: Path) -> None:
    kb = geography_kb(tmp_path / "geography.lb")
    lm = synalinks.ScriptedLanguageModel(responses=[
        {"entities": [FRANCE, PARIS, TOWER]}, {"relations": [CAPITAL, LOCATED]}])
    inputs = synalinks.Input(data_model=GeoDocument)
    entities = await synalinks.Generator(data_model=GeographyEntities, language_model=lm)(inputs)
    relations = await synalinks.Generator(data_model=GeographyRelations,
                                          language_model=lm)(inputs & entities)
    stored = await embed_and_store(kb, entities & relations)
    two_stage = synalinks.Program(inputs=inputs, outputs=stored, name="two_stage_kg_extraction")
    await two_stage(TEXT)
    assert await kb.cypher(EDGES) == STORED_EDGES
    # The relation pass saw the entities the first pass found.
    assert "Eiffel Tower" in lm.calls[1].messages[-1]["content"]


class CapitalRelations(synalinks.Relations):
    relations: list[IsCapitalOf] = synalinks.Field(description="Only capital-of relations.")


class LocatedRelations(synalinks.Relations):
    relations: list[IsLocatedIn] = synalinks.Field(description="Only located-in relations.")


async def test_guide_27_relations_only_extraction_leaves_no_orphans(tmp_path: Path) -> None:
    kb = geography_kb(tmp_path / "geography.lb")
    capital_lm = synalinks.ScriptedLanguageModel(responses=[{"relations": [CAPITAL]}])
    located_lm = synalinks.ScriptedLanguageModel(responses=[{"relations": [LOCATED]}])
    inputs = synalinks.Input(data_model=GeoDocument)
    capitals = await synalinks.Generator(data_model=CapitalRelations,
                                         language_model=capital_lm)(inputs)
    located = await synalinks.Generator(data_model=LocatedRelations,
                                        language_model=located_lm)(inputs)
    relations = await synalinks.ops.factorize(await synalinks.Or()([capitals, located]))
    stored = await embed_and_store(kb, relations)
    program = synalinks.Program(inputs=inputs, outputs=stored, name="relations_only")
    await program(TEXT)
    assert await kb.cypher(EDGES) == STORED_EDGES
    orphans = await kb.cypher("MATCH (n) WHERE NOT (n)--() RETURN n.name AS name")
    assert orphans == []


class Node(synalinks.Entity):
    name: str = synalinks.Field(description="The entity's name / identifier.")
    description: str = synalinks.Field(description="A short description of the entity.")


class Edge(synalinks.Relation):
    subj: Node = synalinks.Field(description="The source entity.")
    obj: Node = synalinks.Field(description="The target entity.")


class Graph(synalinks.KnowledgeGraph):
    entities: list[Node] = synalinks.Field(description="Every entity, with a discovered label.")
    relations: list[Edge] = synalinks.Field(description="Every relation, with a discovered label.")


async def test_guide_28_free_form_extraction(tmp_path: Path) -> None:
    curie = {"label": "Person", "name": "Marie Curie", "description": "A physicist and chemist"}
    warsaw = {"label": "City", "name": "Warsaw", "description": "Capital of Poland"}
    nobel = {"label": "Award", "name": "Nobel Prize in Physics", "description": "A prize"}
    lm = synalinks.ScriptedLanguageModel(responses=[{
        "entities": [curie, warsaw, nobel],
        "relations": [{"subj": curie, "label": "BornIn", "obj": warsaw},
                      {"subj": curie, "label": "Won", "obj": nobel}]}])
    kb = graph_kb(tmp_path / "discovered.lb")
    inputs = synalinks.Input(data_model=GeoDocument)
    graph = await synalinks.Generator(
        data_model=Graph, language_model=lm,
        instructions="Extract every entity and every relation between them.")(inputs)
    stored = await embed_and_store(kb, graph, in_mask=["name", "description"])
    program = synalinks.Program(inputs=inputs, outputs=stored, name="free_form_kg_extraction")
    await program(GeoDocument(text="Marie Curie was born in Warsaw and won the Nobel Prize."))
    types = await kb.cypher("MATCH (n) RETURN DISTINCT label(n) AS type ORDER BY type")
    assert [row["type"] for row in types] == ["Award", "City", "Person"]
    subgraph = await kb.local_graph_search("Marie Curie", label="Person", max_hops=2, k=1)
    assert {e.name: e.description for e in subgraph.entities}["Warsaw"] == "Capital of Poland"


async def test_guide_23_sql_questions_as_a_program(tmp_path: Path) -> None:
    kb = synalinks.KnowledgeBase(uri=f"duckdb://{tmp_path / 'business.db'}",
                                 data_models=[Customer])
    await kb.update([Customer(id="C1", name="Alice", country="USA"),
                     Customer(id="C2", name="Bruno", country="France"),
                     Customer(id="C3", name="Carla", country="USA")])

    def rule(user: dict[str, Any], field: str) -> Any:
        if field == "sql_query":
            return "SELECT count(*) AS n FROM Customer WHERE country = 'USA'"
        return f"There are {user['result'][0]['n']} customers in the USA."

    lm = answering(rule)
    inputs = synalinks.Input(data_model=Query)
    rows = await synalinks.Text2SQL(knowledge_base=kb, language_model=lm,
                                    return_inputs=True)(inputs)
    outputs = await synalinks.Generator(data_model=Answer, language_model=lm)(rows)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="sql_qa")
    result = await program(Query(query="How many customers are in the USA?"))
    assert result["answer"] == "There are 2 customers in the USA."


async def test_guide_26_cypher_questions_as_a_program(tmp_path: Path) -> None:
    kb = geography_kb(tmp_path / "geography.lb")
    await kb.update_relations([IsCapitalOf(**CAPITAL), IsLocatedIn(**LOCATED)])

    def rule(user: dict[str, Any], field: str) -> Any:
        if field == "cypher_query":
            return ("MATCH (l:Landmark)-[:IsLocatedIn]->(:City)-[:IsCapitalOf]->(c:Country) "
                    "RETURN l.name AS landmark, c.name AS country")
        row = user["result"][0]
        return f"The {row['landmark']} is in {row['country']}."

    lm = answering(rule)
    inputs = synalinks.Input(data_model=Query)
    rows = await synalinks.Text2Cypher(knowledge_base=kb, language_model=lm,
                                       return_inputs=True)(inputs)
    outputs = await synalinks.Generator(data_model=Answer, language_model=lm)(rows)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="cypher_qa")
    result = await program(Query(query="In which country is the Eiffel Tower?"))
    assert result["answer"] == "The Eiffel Tower is in France."


async def test_guide_32_graphrag_local_search(tmp_path: Path) -> None:
    kb = await lab_kb(tmp_path / "lab.lb", [("Alice", "Bob"), ("Dan", "Eve"), ("Alice", "Dan")])
    lm = synalinks.ScriptedLanguageModel(responses=[{"local_graph_search": ["Alice"]}])
    inputs = synalinks.Input(data_model=Question)
    subgraph = await synalinks.LocalGraphSearch(knowledge_base=kb, language_model=lm,
                                                label="Researcher", max_hops=1, k=1)(inputs)
    local_search = synalinks.Program(inputs=inputs, outputs=subgraph, name="local_graph_search")
    result = await local_search(Question(question="Who does Alice collaborate with?"))
    assert sorted(e["name"] for e in result.get("entities")) == ["Alice", "Bob", "Dan"]
    assert sorted(f"{r['subj']['name']} -> {r['obj']['name']}"
                  for r in result.get("relations")) == ["Alice -> Bob", "Alice -> Dan"]
