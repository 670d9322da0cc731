"""SQLAgent, CypherAgent and VectorRAGAgent over a real DuckDB file and LadybugDB graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from synalinks_nb.testing import check_module


class Customer(sn.DataModel):
    id: str = sn.Field(description="Customer ID")
    name: str = sn.Field(description="Customer name")
    country: str = sn.Field(description="Customer country")


class City(sn.Entity):
    label: Literal["City"]
    name: str


class Country(sn.Entity):
    label: Literal["Country"]
    name: str


class IsCapitalOf(sn.Relation):
    label: Literal["IsCapitalOf"]
    subj: City
    obj: Country


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


def step(tool: str, **arguments: Any) -> dict[str, Any]:
    return {"thinking": f"use {tool}", "tool_calls": [{"name": tool, "arguments": arguments}]}


DONE = {"thinking": "I have what I need", "tool_calls": []}


async def customers(path: Path) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(uri=f"duckdb://{path}", data_models=[Customer])
    await kb.update([Customer(id=f"c{i}", name=f"N{i}", country="USA" if i % 2 else "France")
                     for i in range(1, 8)])
    return kb


def tool_results(result: Any) -> list[Any]:
    return [m["content"] for m in result["messages"] if m["role"] == "tool"]


async def test_sql_agent_reads_and_caps_rows_and_shows_refusals_to_the_model(
        tmp_path: Path) -> None:
    kb = await customers(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[
        step("get_database_schema"),
        step("get_table_sample", table_name="Customer", limit=50, offset=0),
        step("run_sql_query", sql_query="DELETE FROM Customer"),
        step("run_sql_query", sql_query="SELECT id FROM Customer ORDER BY id;"),
        DONE, {"answer": "7 customers"}])
    agent = sn.SQLAgent(knowledge_base=kb, language_model=lm, data_model=Answer, k=3,
                        output_format="json")
    schema, sample, refused, rows = tool_results(await agent(Query(query="Customers?")))
    assert "Table: Customer" in schema["schema"] and "country (string)" in schema["schema"]
    assert sample["row_count"] == 3 and sample["limit_capped"] is True
    assert refused["success"] is False and "SELECT" in refused["error"]
    assert [r["id"] for r in rows["results"]] == ["c1", "c2", "c3"]
    assert rows["may_have_more"] is True
    assert len(await kb.getall(table_name="Customer")) == 7  # the DELETE never ran
    assert "['Customer']" in lm.calls[0].messages[0]["content"]  # tables in the instructions


async def test_sql_agent_csv_rows_and_config_round_trip(tmp_path: Path) -> None:
    kb = await customers(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[
        step("run_sql_query", sql_query="SELECT count(*) AS n FROM Customer"), DONE,
        {"answer": "7"}])
    agent = sn.SQLAgent(knowledge_base=kb, language_model=lm, data_model=Answer)
    out = await check_module(agent, Query(query="How many?"))
    assert tool_results(out)[0]["results"] == "n\n7\n"
    config = agent.get_config()
    assert config["tools"] == [] and config["k"] == 50  # built-in tools are not saved


def test_knowledge_agents_refuse_bad_arguments(tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Customer])
    with pytest.raises(ModuleError, match="knowledge_base to be a KnowledgeBase"):
        sn.SQLAgent(knowledge_base=None)
    with pytest.raises(ModuleError, match="output_format"):
        sn.SQLAgent(knowledge_base=kb, output_format="xml")
    with pytest.raises(ModuleError, match="k to be a positive int"):
        sn.VectorRAGAgent(knowledge_base=kb, k=0)
    with pytest.raises(ModuleError, match="search_type"):
        sn.VectorRAGAgent(knowledge_base=kb, search_type="bm42")

    async def run_sql_query(sql_query: str) -> str:
        """Shadow the built-in.

        Args:
            sql_query: SQL.
        """
        return sql_query

    with pytest.raises(ModuleError, match="run_sql_query"):
        sn.SQLAgent(knowledge_base=kb, tools=[run_sql_query])


async def test_cypher_agent_reads_the_graph_and_refuses_writes(tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'graph'}",
                          entity_models=[City, Country], relation_models=[IsCapitalOf])
    for city, country in (("Paris", "France"), ("Rome", "Italy"), ("Madrid", "Spain")):
        await kb.update_relations(IsCapitalOf(
            label="IsCapitalOf", subj=City(label="City", name=city),
            obj=Country(label="Country", name=country)))
    lm = sn.ScriptedLanguageModel(responses=[
        step("get_graph_schema"),
        step("get_node_sample", label="Planet", limit=2, offset=0),
        step("run_cypher_query", cypher_query="MATCH (c:City) DETACH DELETE c"),
        step("run_cypher_query", cypher_query=(
            "MATCH (c:City)-[:IsCapitalOf]->(k:Country) RETURN c.name AS city, "
            "k.name AS country ORDER BY city")),
        DONE, {"answer": "three"}])
    agent = sn.CypherAgent(knowledge_base=kb, language_model=lm, data_model=Answer, k=2,
                           output_format="json")
    schema, unknown, refused, rows = tool_results(await agent(Query(query="Capitals?")))
    assert "City" in schema["schema"] and schema["relation_count"] == 1
    assert "Planet" in unknown["error"] and "City" in unknown["error"]
    assert refused["success"] is False
    assert rows["results"] == [{"city": "Madrid", "country": "Spain"},
                               {"city": "Paris", "country": "France"}]
    assert rows["may_have_more"] is True  # a third row was cut at k=2
    assert "IsCapitalOf" in lm.calls[0].messages[0]["content"]


async def test_vector_rag_agent_searches_then_reads_a_record(tmp_path: Path) -> None:
    class Passage(sn.DataModel):
        id: str
        text: str

    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'kb.db'}", data_models=[Passage],
                          embedding_model="hashing/64")
    await kb.update([Passage(id="p1", text="Owls hunt small mammals at night."),
                     Passage(id="p2", text="Bees collect nectar and make honey."),
                     Passage(id="p3", text="Volcanoes erupt molten lava.")])
    lm = sn.ScriptedLanguageModel(responses=[
        step("search_knowledge_base", table_name="Passage", query="honey nectar bees"),
        step("get_record_by_id", table_name="Passage", record_id="p2"),
        step("get_record_by_id", table_name="Passage", record_id="p9"),
        DONE, {"answer": "Bees"}])
    agent = sn.VectorRAGAgent(knowledge_base=kb, language_model=lm, data_model=Answer, k=1,
                              output_format="json")
    found, record, missing = tool_results(await agent(Query(query="Who makes honey?")))
    assert [r["id"] for r in found["results"]] == ["p2"]
    assert found["search_type"] == "hybrid_fts"
    assert record["record"] == {"id": "p2", "text": "Bees collect nectar and make honey."}
    assert missing == {"table": "Passage", "record_id": "p9", "found": False}
