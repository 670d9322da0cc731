"""Text2SQL on a real DuckDB file and Text2Cypher on a real LadybugDB graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from synalinks_nb.testing import check_module


class Customer(sn.DataModel):
    id: str = sn.Field(description="Customer id")
    name: str = sn.Field(description="Customer name")
    country: str = sn.Field(description="Customer country code")


class Query(sn.DataModel):
    query: str


CUSTOMERS = [Customer(id=f"c{i}", name=f"Customer {i}", country="FR" if i % 2 else "US")
             for i in range(1, 8)]


async def customers_kb(path: Path) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(uri=f"duckdb://{path}", data_models=[Customer])
    await kb.update(CUSTOMERS)
    return kb


def sql(query: str) -> dict[str, Any]:
    return {"sql_query": query}


async def test_text2sql_shows_the_schema_runs_the_query_and_keeps_the_contract(
    tmp_path: Path,
) -> None:
    kb = await customers_kb(tmp_path / "kb.db")
    count = sql("SELECT count(*) AS n FROM Customer WHERE country = 'FR'")
    lm = sn.ScriptedLanguageModel(responses=[count, count])
    module = sn.Text2SQL(knowledge_base=kb, language_model=lm, return_inputs=True)
    out = await check_module(module, Query(query="How many French customers?"))
    assert out["result"] == [{"n": 4}]
    assert out["query"] == "How many French customers?"
    prompt = lm.calls[0].messages[-1]["content"]
    assert "Table: Customer" in prompt and "country (string): Customer country code" in prompt


async def test_text2sql_caps_rows_and_reports_refused_queries_as_results(tmp_path: Path) -> None:
    kb = await customers_kb(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[
        sql("SELECT id FROM Customer ORDER BY id;"),
        sql("DROP TABLE Customer"),
        sql("SELECT 1; DELETE FROM Customer"),
        sql("SELECT nothing FROM Nowhere"),
    ])
    module = sn.Text2SQL(knowledge_base=kb, language_model=lm, k=3)
    capped = await module(Query(query="ids"))
    assert capped["result"] == [{"id": "c1"}, {"id": "c2"}, {"id": "c3"}]
    for expected in ("DROP statement", "DELETE statement", "DuckDB refused"):
        out = await module(Query(query="try"))
        assert expected in out["result"][0]["error"]
    assert len(await kb.getall(table_name="Customer")) == 7  # nothing was written
    with pytest.raises(ModuleError, match="k=0"):
        sn.Text2SQL(knowledge_base=kb, k=0)
    with pytest.raises(ModuleError, match="KnowledgeBase"):
        sn.Text2SQL(knowledge_base="duckdb://x.db")  # type: ignore[arg-type]


async def test_text2cypher_answers_from_the_graph_and_refuses_writes(tmp_path: Path) -> None:
    pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'g.lb'}")
    await kb.update_relations([
        {"subj": {"label": "Person", "name": "Ada"}, "label": "LivesIn",
         "obj": {"label": "City", "name": "London"}},
        {"subj": {"label": "Person", "name": "Marie"}, "label": "LivesIn",
         "obj": {"label": "City", "name": "Paris"}},
    ])
    who = {"cypher_query": "MATCH (p:Person)-[:LivesIn]->(c:City {name: 'Paris'}) "
                           "RETURN p.name AS name"}
    lm = sn.ScriptedLanguageModel(responses=[who, who])
    module = sn.Text2Cypher(knowledge_base=kb, language_model=lm, k=5)
    out = await check_module(module, Query(query="Who lives in Paris?"))
    assert out["result"] == [{"name": "Marie"}]
    prompt = lm.calls[0].messages[-1]["content"]
    assert "(:Person)-[:LivesIn]->(:City)" in prompt
    assert "LIMIT 5" in lm.calls[0].messages[0]["content"]
    writer = sn.ScriptedLanguageModel(
        responses=[{"cypher_query": "MATCH (p:Person) DETACH DELETE p"}])
    refused = await sn.Text2Cypher(knowledge_base=kb, language_model=writer)(
        Query(query="Delete everyone"))
    assert "read-only" in refused["result"][0]["error"]
    assert len(await kb.cypher("MATCH (p:Person) RETURN p")) == 2
