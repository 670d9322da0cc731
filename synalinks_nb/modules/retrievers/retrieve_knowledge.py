"""``RetrieveKnowledge``: Synalinks' retrieval step over several tables at once.

Where ``SimilaritySearch`` and its siblings search one table, ``RetrieveKnowledge``
lets the model choose: its :class:`~synalinks_nb.Generator` writes
``{"tables": [...], "search": [...]}`` (Synalinks' ``SearchQuery``), each chosen
table (all of them when none of the names is known) is searched with
``search_type``, and the rows are merged: duplicates dropped, best score first
(regex rows, which have no score, in the order found), ``k`` kept. With
``search_type="regex"`` the model writes RE2 patterns, and a pattern RE2 cannot
parse is skipped. The output is ``{"result": [...]}``, after the query and the
inputs by default; as in Synalinks, it is ``None`` when the model wrote no search (there
is nothing to look up, and an empty result would read as "nothing matched").
Synalinks' ``hybrid_regex`` search type is not implemented.
"""

from __future__ import annotations

import json
from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import KnowledgeBaseError, ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.retrievers._query_writer import (
    joined,
    query_writer_config,
    restored_config,
    symbolic_output,
)
from synalinks_nb.modules.retrievers.search import SearchResult

__all__ = ["SEARCH_TYPES", "RetrieveKnowledge", "SearchQuery"]

SEARCH_TYPES = ("similarity", "fulltext", "hybrid_fts", "regex")
_ALIASES = {"hybrid": "hybrid_fts"}


class SearchQuery(DataModel):
    """What the model writes: the tables to look in and the searches to run."""

    tables: list[str] = Field(description="The tables to lookup")
    search: list[str] = Field(description="The list of search requests")


def default_instructions(tables: list[str], search_type: str) -> str:
    """The query generator's default instructions."""
    if search_type == "regex":
        guidance = ("Each `search` item is a regular expression (RE2 syntax) matched against "
                    "the text fields of the chosen tables; prefer anchors, classes and "
                    "alternation over sentences.")
    else:
        guidance = "Each `search` item is a natural-language search query."
    return (f"Retrieve information from these tables: {tables}. Decide which tables you "
            f"need, list them in `tables`, and write the searches. {guidance}")


class RetrieveKnowledge(Module):
    """Let the model pick tables and write searches; return the best rows of all of them.

    Args:
        knowledge_base: the knowledge base.
        language_model, examples, instructions: the query generator's.
        data_models: the tables it may search (default: every table of the knowledge base).
        search_type: ``"similarity"``, ``"fulltext"``, ``"hybrid_fts"`` (default; alias
            ``"hybrid"``) or ``"regex"``.
        k: rows returned.
        similarity_threshold, fulltext_threshold, k_rank: the searches' options.
        fields, case_sensitive: for ``"regex"``.
        return_inputs, return_query: join the inputs / the query to the output.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Document(sn.DataModel):
        ...     id: str
        ...     content: str
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Document])
        >>> _ = asyncio.run(kb.update([Document(id="d1", content="Python is a language."),
        ...                            Document(id="d2", content="Bees make honey.")]))
        >>> lm = sn.ScriptedLanguageModel(responses=[{"tables": ["Document"],
        ...                                           "search": ["python"]}])
        >>> retrieve = sn.RetrieveKnowledge(knowledge_base=kb, language_model=lm,
        ...                                 search_type="fulltext", k=1)
        >>> asyncio.run(retrieve(Query(query="What is Python?")))["result"][0]["id"]
        'd1'
    """

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None,
                 language_model: Any = None, data_models: list[Any] | None = None,
                 search_type: str = "hybrid_fts",
                 k: int = 10, similarity_threshold: float | None = None,
                 fulltext_threshold: float | None = None, k_rank: int = 60,
                 fields: list[str] | None = None, case_sensitive: bool = True,
                 examples: Any = None, instructions: str | None = None,
                 return_inputs: bool = True, return_query: bool = True,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError("Expected knowledge_base to be a KnowledgeBase for "
                              f"RetrieveKnowledge. Received: {knowledge_base!r}")
        search_type = _ALIASES.get(search_type, search_type)
        if search_type not in SEARCH_TYPES:
            raise ModuleError(f"Expected search_type to be one of {SEARCH_TYPES}. "
                              f"Received: search_type={search_type!r}")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ModuleError(f"Expected k to be a positive int. Received: k={k!r}")
        self.knowledge_base, self.search_type, self.k = knowledge_base, search_type, k
        self.options: dict[str, Any] = {"similarity_threshold": similarity_threshold,
                        "fulltext_threshold": fulltext_threshold, "k_rank": k_rank,
                        "fields": fields, "case_sensitive": case_sensitive}
        self.data_models = list(data_models or knowledge_base.get_symbolic_data_models())
        self.table_names = [str(m.get_schema().get("title")) for m in self.data_models]
        self.return_inputs, self.return_query = return_inputs, return_query
        self.query_generator = Generator(
            data_model=SearchQuery, language_model=language_model, examples=examples,
            instructions=instructions or default_instructions(self.table_names, search_type),
            name=f"{self.name}_query")

    async def _search_table(self, table: str, searches: list[str]) -> list[dict[str, Any]]:
        kb, o, k = self.knowledge_base, self.options, self.k
        if self.search_type == "similarity":
            rows: list[dict[str, Any]] = await kb.similarity_search(
                searches, table_name=table, k=k, threshold=o["similarity_threshold"])
        elif self.search_type == "fulltext":
            rows = await kb.fulltext_search(searches, table_name=table, k=k,
                                            threshold=o["fulltext_threshold"])
        elif self.search_type == "hybrid_fts":
            rows = await kb.hybrid_fts_search(
                searches, table_name=table, k=k, k_rank=o["k_rank"],
                similarity_threshold=o["similarity_threshold"],
                fulltext_threshold=o["fulltext_threshold"])
        else:
            rows = []
            for pattern in searches:
                try:
                    rows += await kb.regex_search(pattern, table_name=table, fields=o["fields"],
                                                  case_sensitive=o["case_sensitive"], k=k)
                except KnowledgeBaseError:
                    continue  # a pattern RE2 cannot parse: the others may still match
        return rows

    async def _retrieve(self, tables: list[str], searches: list[str]) -> list[dict[str, Any]]:
        chosen = [t for t in self.table_names if t in tables] or self.table_names
        merged: dict[str, dict[str, Any]] = {}
        for table in chosen:
            for row in await self._search_table(table, searches):
                merged.setdefault(json.dumps(row, sort_keys=True, default=str), row)
        rows = list(merged.values())
        if self.search_type != "regex":
            distance = self.search_type == "similarity" and self.knowledge_base.metric == "l2"
            rows.sort(key=lambda r: float(r.get("score") or 0.0), reverse=not distance)
        return rows[: self.k]

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        query = await self.query_generator(inputs, training=training)
        if query is None:
            return None
        value = query.get_json()
        if not value.get("search"):
            return None
        rows = await self._retrieve(list(value.get("tables") or []),
                                    list(value.get("search") or []))
        result = JsonDataModel(schema=SearchResult.get_schema(), json={"result": rows},
                               name=self.name)
        return joined(self, inputs, query, result)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await symbolic_output(self, inputs, SearchResult.get_schema(), training)

    def get_config(self) -> dict[str, Any]:
        return {
            "knowledge_base": self.knowledge_base.get_config(),
            "data_models": [m.get_schema() for m in self.data_models],
            "search_type": self.search_type, "k": self.k, **self.options,
            **query_writer_config(self),
            **super().get_config(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> RetrieveKnowledge:
        config = restored_config(config)
        config["data_models"] = [SymbolicDataModel(schema=s) for s in config["data_models"]]
        return cls(**config)
