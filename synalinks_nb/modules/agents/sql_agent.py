"""``SQLAgent``: a function-calling agent that answers from a knowledge base's tables by SQL.

Synalinks' three SQL tools — ``get_database_schema``, ``get_table_sample``,
``run_sql_query`` — bound to the knowledge base. Only ``SELECT`` runs: the knowledge
base parses each statement with DuckDB's own parser and refuses the rest (see
:meth:`~synalinks_nb.KnowledgeBase.sql`); a refused or failing query comes back to the
model as ``{"success": false, "error": ...}`` so it can fix its SQL and retry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.modules.agents.knowledge_agent import KnowledgeAgent, row_count

__all__ = ["SQLAgent"]


def _columns(schema: dict[str, Any]) -> str:
    return "\n".join(f"  - {name} ({spec.get('type', 'unknown')}): "
                     f"{spec.get('description', '')}".rstrip()
                     for name, spec in schema.get("properties", {}).items())


class SQLAgent(KnowledgeAgent):
    """An agent that reads a knowledge base's tables with read-only SQL (Synalinks' arguments).

    Args:
        knowledge_base: the knowledge base (its DuckDB tables).
        k: rows at most per sample or query (the model's SQL is wrapped in
            ``SELECT * FROM (...) LIMIT k``; its own ``LIMIT`` applies first).
        output_format: ``"csv"`` (default) or ``"json"`` rows in the tool results.
        tools: more tools after the three SQL ones.
        **kwargs: :class:`FunctionCallingAgent`'s arguments (``data_model``,
            ``language_model``, ``max_iterations``...).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Customer(sn.DataModel):
        ...     id: str
        ...     country: str
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Customer])
        >>> _ = asyncio.run(kb.update([Customer(id="c1", country="USA"),
        ...                            Customer(id="c2", country="France")]))
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"thinking": "count", "tool_calls": [{"name": "run_sql_query", "arguments": {
        ...         "sql_query": "SELECT count(*) AS n FROM Customer WHERE country = 'USA'"}}]},
        ...     {"thinking": "done", "tool_calls": []},
        ...     {"answer": "One customer."}])
        >>> agent = sn.SQLAgent(knowledge_base=kb, language_model=lm, data_model=Answer,
        ...                     output_format="json")
        >>> result = asyncio.run(agent(Query(query="How many customers in the USA?")))
        >>> result["messages"][1]["content"]["results"], result["answer"]
        ([{'n': 1}], 'One customer.')
    """

    def default_instructions(self) -> str:
        return (
            "You are an SQL analyst with read-only access to a knowledge base.\n"
            f"Available tables: {self.table_names()}\n"
            "Plan: call `get_database_schema` if you do not know the columns; "
            "`get_table_sample` to see representative rows; write one SELECT query and run "
            "it with `run_sql_query`, reading any error and fixing the query until you have "
            "the data; then stop calling tools and answer.\n"
            "Constraints: only SELECT statements run. Table and column names are "
            "case-sensitive. Results are capped: when `may_have_more` is true, add filters "
            "or ORDER BY ... LIMIT rather than asking for more rows.")

    def builtin_tools(self) -> list[Callable[..., Any]]:
        kb, fmt = self.knowledge_base, self.output_format

        async def get_database_schema() -> dict[str, Any]:
            """Get every table of the database with its columns, types and descriptions.

            Call it first to discover what data is available before writing queries.
            """
            models = kb.get_symbolic_data_models()
            text = "\n\n".join(f"Table: {m.get_schema().get('title')}\n"
                               f"{_columns(m.get_schema())}" for m in models)
            return {"schema": text, "table_count": len(models)}

        async def get_table_sample(table_name: str, limit: int, offset: int) -> dict[str, Any]:
            """Get a few rows of a table to see what its values look like.

            Args:
                table_name: The table to sample (case-sensitive).
                limit: How many rows (3 to 5 is usually enough; capped by the agent).
                offset: How many rows to skip (0 to start at the top).
            """
            tables = self.table_names()
            if table_name not in tables:
                return {"error": f"Table {table_name!r} not found. Available: {tables}"}
            rows = max(1, min(int(limit), self.k))
            try:
                sample = await kb.sql(f'SELECT * FROM "{table_name}" LIMIT ? OFFSET ?',
                                      params=[rows, max(0, int(offset))], output_format=fmt)
            except KnowledgeBaseError as exc:
                return {"error": str(exc)}
            return {"table": table_name, "sample_data": sample,
                    "row_count": row_count(sample, fmt), "output_format": fmt,
                    "limit": rows, "offset": offset, "limit_capped": rows < int(limit)}

        async def run_sql_query(sql_query: str) -> dict[str, Any]:
            """Run one read-only SELECT query and return its rows (capped by the agent).

            Args:
                sql_query: A single SELECT statement.
            """
            query = sql_query.strip().rstrip(";").strip()
            if not query:
                return {"success": False, "error": "Empty SQL query.", "query": sql_query}
            try:
                rows = await kb.sql(query, output_format=fmt, limit=self.k)
            except KnowledgeBaseError as exc:
                return {"success": False, "error": str(exc), "query": sql_query}
            count = row_count(rows, fmt)
            return {"success": True, "query": sql_query, "row_count": count,
                    "row_cap": self.k, "results": rows, "output_format": fmt,
                    "may_have_more": count >= self.k}

        return [get_database_schema, get_table_sample, run_sql_query]
