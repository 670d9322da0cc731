"""The SQL, Cypher and RAG agents, the way Synalinks' guides 23, 26, 24 (examples 16, 23,
14) write them.

Each test is the guide's program (``import synalinks_nb as synalinks``) on a real engine
(a DuckDB file or a LadybugDB folder in ``tmp_path``), with a scripted language model
playing the tool-calling model: its tool calls are the ones a capable model would make,
and the assertions check what the agent's tools found in the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import synalinks_nb as synalinks
from tests.compat.knowledge_setup import Customer, Document, Query, table_kb


class SalesOrder(synalinks.DataModel):
    """An order."""

    id: str = synalinks.Field(description="Order ID")
    customer_id: str = synalinks.Field(description="Customer ID")
    total_amount: float = synalinks.Field(description="Order total")


class SQLAnswer(synalinks.DataModel):
    """The agent's structured answer."""

    answer: str = synalinks.Field(description="Natural-language answer")
    sql_query: str = synalinks.Field(description="SQL that produced the answer")


def calling(tool: str, **arguments: Any) -> dict[str, Any]:
    return {"thinking": f"call {tool}", "tool_calls": [{"name": tool, "arguments": arguments}]}


ENOUGH = {"thinking": "I can answer now", "tool_calls": []}

TOP_TWO = ("SELECT c.name, sum(o.total_amount) AS total FROM Customer c JOIN SalesOrder o "
           "ON o.customer_id = c.id GROUP BY c.name ORDER BY total DESC, c.name LIMIT 2")


async def test_guide_23_sql_agent(tmp_path: Path) -> None:
    synalinks.clear_session()
    kb = await table_kb(tmp_path / "sql_agent_guide.db", [
        Customer(id="C1", name="Alice", country="USA"),
        Customer(id="C2", name="Bob", country="UK"),
        Customer(id="C3", name="Carol", country="Spain"),
        SalesOrder(id="O1", customer_id="C1", total_amount=1200.0),
        SalesOrder(id="O2", customer_id="C1", total_amount=300.0),
        SalesOrder(id="O3", customer_id="C2", total_amount=150.0),
        SalesOrder(id="O4", customer_id="C3", total_amount=1400.0),
    ], data_models=[Customer, SalesOrder], name="sql_agent_guide_kb")
    language_model = synalinks.ScriptedLanguageModel(responses=[
        calling("get_database_schema"), calling("run_sql_query", sql_query=TOP_TWO), ENOUGH,
        {"answer": "Alice and Carol", "sql_query": TOP_TWO}])

    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.SQLAgent(knowledge_base=kb, language_model=language_model,
                                       data_model=SQLAnswer, max_iterations=10)(inputs)
    agent = synalinks.Program(inputs=inputs, outputs=outputs, name="sql_agent",
                              description="A SQL agent that answers questions about the "
                                          "database.")
    result = await agent(Query(query="Who are the top 2 customers by total order amount?"))

    assert result["answer"] == "Alice and Carol"
    tool_messages = [m["content"] for m in result["messages"] if m["role"] == "tool"]
    assert "Table: SalesOrder" in tool_messages[0]["schema"]
    assert tool_messages[1]["results"] == "name,total\nAlice,1500.0\nCarol,1400.0\n"


class Person(synalinks.Entity):
    label: str = synalinks.Field(default="Person", description="The entity label")
    name: str = synalinks.Field(description="Person name")


class City(synalinks.Entity):
    label: str = synalinks.Field(default="City", description="The entity label")
    name: str = synalinks.Field(description="City name")


class LivesIn(synalinks.Relation):
    label: str = synalinks.Field(default="LivesIn", description="The relation label")
    subj: Person
    obj: City


class Knows(synalinks.Relation):
    label: str = synalinks.Field(default="Knows", description="The relation label")
    subj: Person
    obj: Person


class CypherAnswer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The answer in natural language")
    cypher_query: str = synalinks.Field(description="The Cypher that produced it")


IN_PARIS = ("MATCH (p:Person)-[:LivesIn]->(c:City {name: 'Paris'}) RETURN p.name AS name "
            "ORDER BY name")


async def test_guide_26_cypher_agent(tmp_path: Path) -> None:
    synalinks.clear_session()
    knowledge_base = synalinks.KnowledgeBase(
        graph_uri=f"ladybug://{tmp_path / 'graph'}", entity_models=[Person, City],
        relation_models=[LivesIn, Knows], embedding_model="hashing/64")
    await knowledge_base.update_relations([
        LivesIn(subj=Person(name="Alice"), obj=City(name="Paris")),
        LivesIn(subj=Person(name="Bob"), obj=City(name="Paris")),
        LivesIn(subj=Person(name="Carol"), obj=City(name="London")),
        Knows(subj=Person(name="Alice"), obj=Person(name="Bob")),
    ])
    language_model = synalinks.ScriptedLanguageModel(responses=[
        calling("get_node_sample", label="Person", limit=5, offset=0),
        calling("run_cypher_query", cypher_query=IN_PARIS), ENOUGH,
        {"answer": "Alice and Bob", "cypher_query": IN_PARIS}])

    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.CypherAgent(knowledge_base=knowledge_base,
                                          language_model=language_model,
                                          data_model=CypherAnswer, max_iterations=8)(inputs)
    agent = synalinks.Program(inputs=inputs, outputs=outputs, name="cypher_agent")
    result = await agent(Query(query="Who lives in Paris?"))

    assert result.get("answer") == "Alice and Bob"
    sample, rows = [m["content"] for m in result["messages"] if m["role"] == "tool"]
    assert sample["row_count"] == 3
    assert rows["results"] == "name\nAlice\nBob\n"


SAMPLE_DOCUMENTS = [
    Document(id="pricing-enterprise", title="Enterprise Plan Pricing",
             content="Enterprise Plan: $99/user/month billed annually."),
    Document(id="policy-pto", title="PTO Policy",
             content="Full-time employees receive 20 days of PTO per year."),
    Document(id="policy-remote", title="Remote Work Policy",
             content="Employees may work remotely up to 3 days per week."),
]


async def test_guide_24_vector_rag_agent(tmp_path: Path) -> None:
    synalinks.clear_session()
    kb = await table_kb(tmp_path / "rag.db", SAMPLE_DOCUMENTS, data_models=[Document],
                        embedding_model="hashing/256", name="vector_rag_agent_guide_kb")
    language_model = synalinks.ScriptedLanguageModel(responses=[
        calling("search_knowledge_base", table_name="Document", query="PTO days per year"),
        ENOUGH, "Employees get 20 days of PTO per year."])

    inputs = synalinks.Input(data_model=synalinks.ChatMessages)
    outputs = await synalinks.VectorRAGAgent(knowledge_base=kb, language_model=language_model,
                                             max_iterations=5, k=1)(inputs)
    agent = synalinks.Program(inputs=inputs, outputs=outputs, name="vector_rag_agent")
    question = synalinks.ChatMessages(messages=[synalinks.ChatMessage(
        role="user", content="How much PTO do employees get per year?")])
    result = await agent(question)

    found = next(m["content"] for m in result["messages"] if m["role"] == "tool")
    assert found["row_count"] == 1 and "policy-pto" in found["results"]
    final = [m for m in result.get("messages", []) if m.get("role") == "assistant"][-1]
    assert final["content"] == "Employees get 20 days of PTO per year."
