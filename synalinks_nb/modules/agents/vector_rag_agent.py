"""``VectorRAGAgent``: a function-calling agent that searches a knowledge base before answering.

Synalinks' three retrieval tools — ``get_knowledge_base_schema``,
``search_knowledge_base``, ``get_record_by_id`` — bound to the knowledge base. Unlike
:class:`~synalinks_nb.RetrieveKnowledge`, which always searches once, the model decides
whether to search, in which table, with which words, and may search again after reading
the results. ``search_type`` picks the knowledge base's search (vector similarity, BM25
full text, or both fused by reciprocal rank); ``k`` is the rows per search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError, ModuleError
from synalinks_nb.modules.agents.knowledge_agent import KnowledgeAgent, row_count

__all__ = ["VectorRAGAgent"]

SEARCH_TYPES = ("similarity", "fulltext", "hybrid_fts")
_HINTS = {
    "similarity": "Describe what you need in natural language: the search compares "
                  "meanings (vectors), so paraphrase rather than guess keywords.",
    "fulltext": "Use keyword-rich queries: the search is BM25 full text, so the words "
                "must appear in the records.",
    "hybrid_fts": "Use natural-language queries containing the keywords you expect in the "
                  "records: vector and BM25 rankings are fused.",
}


class VectorRAGAgent(KnowledgeAgent):
    """An agent that retrieves from a knowledge base as it needs (Synalinks' arguments).

    Args:
        knowledge_base: the knowledge base (an embedding model for the vector searches).
        search_type: ``"similarity"``, ``"fulltext"`` or ``"hybrid_fts"`` (default).
        k: rows per search (default 5).
        similarity_threshold, fulltext_threshold: the searches' thresholds.
        output_format: ``"csv"`` (default) or ``"json"`` rows in the tool results.
        tools: more tools after the three retrieval ones.
        **kwargs: :class:`FunctionCallingAgent`'s arguments.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Note(sn.DataModel):
        ...     id: str
        ...     text: str
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Note])
        >>> _ = asyncio.run(kb.update([Note(id="n1", text="Owls hunt at night."),
        ...                            Note(id="n2", text="Bees make honey.")]))
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"thinking": "search", "tool_calls": [{"name": "search_knowledge_base",
        ...         "arguments": {"table_name": "Note", "query": "honey"}}]},
        ...     {"thinking": "done", "tool_calls": []}, {"answer": "Bees."}])
        >>> agent = sn.VectorRAGAgent(knowledge_base=kb, language_model=lm, k=1,
        ...                           search_type="fulltext", output_format="json",
        ...                           schema={"type": "object", "properties": {
        ...                               "answer": {"type": "string"}}, "required": ["answer"]})
        >>> result = asyncio.run(agent(Query(query="Who makes honey?")))
        >>> [r["id"] for r in result["messages"][1]["content"]["results"]], result["answer"]
        (['n2'], 'Bees.')
    """

    def __init__(self, *, knowledge_base: Any = None, search_type: str = "hybrid_fts",
                 k: int = 5, similarity_threshold: float | None = None,
                 fulltext_threshold: float | None = None, **kwargs: Any) -> None:
        search_type = "hybrid_fts" if search_type == "hybrid" else search_type
        if search_type not in SEARCH_TYPES:
            raise ModuleError(f"Expected search_type to be one of {SEARCH_TYPES}. "
                              f"Received: search_type={search_type!r}")
        self.search_type = search_type
        self.similarity_threshold, self.fulltext_threshold = (similarity_threshold,
                                                              fulltext_threshold)
        super().__init__(knowledge_base=knowledge_base, k=k, **kwargs)

    def default_instructions(self) -> str:
        return (
            "You are a retrieval-augmented assistant with access to a knowledge base.\n"
            f"Available tables: {self.table_names()}\nSearch mode: {self.search_type}\n"
            "Plan: call `get_knowledge_base_schema` if you do not know what is available; "
            f"call `search_knowledge_base` with a table and a query ({_HINTS[self.search_type]}"
            "); call `get_record_by_id` to read a record in full; once you have enough "
            "context, stop calling tools and answer.\n"
            "Search only when the question needs grounded information; reformulate the "
            "question into focused queries; when a search finds nothing useful, rephrase "
            "before giving up.")

    async def _search(self, table: str, query: str) -> Any:
        kb, fmt, k = self.knowledge_base, self.output_format, self.k
        if self.search_type == "similarity":
            return await kb.similarity_search(query, table_name=table, k=k,
                                              threshold=self.similarity_threshold,
                                              output_format=fmt)
        if self.search_type == "fulltext":
            return await kb.fulltext_search(query, table_name=table, k=k,
                                            threshold=self.fulltext_threshold,
                                            output_format=fmt)
        return await kb.hybrid_fts_search(query, table_name=table, k=k,
                                          similarity_threshold=self.similarity_threshold,
                                          fulltext_threshold=self.fulltext_threshold,
                                          output_format=fmt)

    def builtin_tools(self) -> list[Callable[..., Any]]:
        kb = self.knowledge_base

        async def get_knowledge_base_schema() -> dict[str, Any]:
            """Get every table of the knowledge base with its description and columns.

            Call it first to discover which tables exist before searching.
            """
            models = kb.get_symbolic_data_models()
            parts = []
            for model in models:
                schema = model.get_schema()
                header = f"Table: {schema.get('title')}"
                if schema.get("description"):
                    header += f"\n  {schema['description']}"
                columns = [f"  - {n} ({c.get('type', 'unknown')}): {c.get('description', '')}"
                           for n, c in schema.get("properties", {}).items()]
                parts.append("\n".join([header, *columns]))
            return {"schema": "\n\n".join(parts), "table_count": len(models)}

        async def search_knowledge_base(table_name: str, query: str) -> dict[str, Any]:
            """Search a table for the records most relevant to a query.

            Args:
                table_name: The table to search (case-sensitive).
                query: What to look for, phrased for the agent's search mode.
            """
            tables = self.table_names()
            if table_name not in tables:
                return {"error": f"Table {table_name!r} not found. Available: {tables}"}
            try:
                rows = await self._search(table_name, query)
            except KnowledgeBaseError as exc:
                return {"error": str(exc), "query": query, "table": table_name}
            return {"table": table_name, "query": query, "search_type": self.search_type,
                    "results": rows, "row_count": row_count(rows, self.output_format),
                    "output_format": self.output_format}

        async def get_record_by_id(table_name: str, record_id: str) -> dict[str, Any]:
            """Read one record in full by its primary key (an id a search returned).

            Args:
                table_name: The table the record is in (case-sensitive).
                record_id: The record's primary-key value.
            """
            tables = self.table_names()
            if table_name not in tables:
                return {"error": f"Table {table_name!r} not found. Available: {tables}"}
            try:
                record = await kb.get(record_id, table_name=table_name)
            except KnowledgeBaseError as exc:
                return {"error": str(exc), "table": table_name, "record_id": record_id}
            found = {"table": table_name, "record_id": record_id, "found": record is not None}
            return {**found, "record": record.get_json()} if record is not None else found

        return [get_knowledge_base_schema, search_knowledge_base, get_record_by_id]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "search_type": self.search_type,
                "similarity_threshold": self.similarity_threshold,
                "fulltext_threshold": self.fulltext_threshold}
