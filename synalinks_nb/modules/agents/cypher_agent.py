"""``CypherAgent``: a function-calling agent that answers from a knowledge graph by Cypher.

Synalinks' three graph tools — ``get_graph_schema``, ``get_node_sample``,
``run_cypher_query`` — bound to the knowledge base's graph (LadybugDB, ``graph_uri=``).
Only read-only Cypher runs: the knowledge base refuses writes, files and procedures (see
:meth:`~synalinks_nb.KnowledgeBase.cypher`). Cypher has no general way to wrap a query
in an outer ``LIMIT``, so rows beyond ``k`` are cut after the engine returns them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.modules.agents.knowledge_agent import KnowledgeAgent, row_count

__all__ = ["CypherAgent"]


class CypherAgent(KnowledgeAgent):
    """An agent that reads a knowledge graph with read-only Cypher (Synalinks' arguments).

    Args:
        knowledge_base: a knowledge base with a graph (``graph_uri=``).
        k: rows at most per sample or query.
        output_format: ``"csv"`` (default) or ``"json"`` rows in the tool results.
        tools: more tools after the three Cypher ones.
        **kwargs: :class:`FunctionCallingAgent`'s arguments.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
        >>> _ = asyncio.run(kb.update_entities({"label": "City", "name": "Paris"}))
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"thinking": "look", "tool_calls": [{"name": "run_cypher_query", "arguments": {
        ...         "cypher_query": "MATCH (c:City) RETURN c.name AS name"}}]},
        ...     {"thinking": "done", "tool_calls": []}, {"answer": "Paris"}])
        >>> agent = sn.CypherAgent(knowledge_base=kb, language_model=lm, output_format="json",
        ...                        schema={"type": "object", "properties": {
        ...                            "answer": {"type": "string"}}, "required": ["answer"]})
        >>> result = asyncio.run(agent(Query(query="Which cities?")))
        >>> result["messages"][1]["content"]["results"]
        [{'name': 'Paris'}]
    """

    def _labels(self) -> tuple[list[str], list[str]]:
        catalog = self.knowledge_base.graph.catalog
        return sorted(catalog.nodes), sorted(catalog.rels)

    def default_instructions(self) -> str:
        nodes, rels = self._labels()
        return (
            "You are a graph analyst with read-only access to a knowledge graph.\n"
            f"Available node labels: {nodes}\nAvailable relation labels: {rels}\n"
            "Plan: call `get_graph_schema` if you do not know the properties; "
            "`get_node_sample` to see representative nodes; write one MATCH ... RETURN "
            "query and run it with `run_cypher_query`, reading any error and fixing the "
            "query until you have the data; then stop calling tools and answer.\n"
            "Constraints: only read-only Cypher runs (no CREATE, MERGE, SET, DELETE, "
            "REMOVE, DROP, COPY, LOAD). Labels and properties are case-sensitive. Results "
            "are capped: when `may_have_more` is true, filter or LIMIT the query.")

    def builtin_tools(self) -> list[Callable[..., Any]]:
        kb, fmt = self.knowledge_base, self.output_format

        async def get_graph_schema() -> dict[str, Any]:
            """Get the graph's node labels and relation labels with their properties.

            Call it first to discover what is in the graph before writing queries.
            """
            nodes, rels = self._labels()
            return {"schema": kb.get_graph_schema(), "node_count": len(nodes),
                    "relation_count": len(rels)}

        async def get_node_sample(label: str, limit: int, offset: int) -> dict[str, Any]:
            """Get a few nodes of a label to see what their properties look like.

            Args:
                label: The node label to sample (case-sensitive).
                limit: How many nodes (3 to 5 is usually enough; capped by the agent).
                offset: How many nodes to skip (0 to start at the top).
            """
            nodes, _ = self._labels()
            if label not in nodes:
                return {"error": f"Node label {label!r} not found. Available: {nodes}"}
            rows = max(1, min(int(limit), self.k))
            try:
                sample = await kb.cypher(f"MATCH (n:{label}) RETURN n SKIP $offset LIMIT $limit",
                                         params={"offset": max(0, int(offset)), "limit": rows},
                                         output_format=fmt)
            except KnowledgeBaseError as exc:
                return {"error": str(exc)}
            return {"label": label, "sample_data": sample, "row_count": row_count(sample, fmt),
                    "output_format": fmt, "limit": rows, "offset": offset,
                    "limit_capped": rows < int(limit)}

        async def run_cypher_query(cypher_query: str) -> dict[str, Any]:
            """Run one read-only Cypher query and return its rows (capped by the agent).

            Args:
                cypher_query: A read-only MATCH ... RETURN query.
            """
            query = cypher_query.strip().rstrip(";").strip()
            if not query:
                return {"success": False, "error": "Empty Cypher query.", "query": cypher_query}
            try:
                rows = await kb.cypher(query, output_format=fmt)
            except KnowledgeBaseError as exc:
                return {"success": False, "error": str(exc), "query": cypher_query}
            kept = self.capped(rows)
            count, total = row_count(kept, fmt), row_count(rows, fmt)
            return {"success": True, "query": cypher_query, "row_count": count,
                    "row_cap": self.k, "results": kept, "output_format": fmt,
                    "may_have_more": total > count or count >= self.k}

        return [get_graph_schema, get_node_sample, run_cypher_query]
