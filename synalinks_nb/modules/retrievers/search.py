"""``SimilaritySearch``, ``FullTextSearch``, ``HybridFTSSearch``: retrieval steps of a program.

Each module owns a :class:`~synalinks_nb.Generator` that turns the module's
input (a question, a conversation...) into search queries of a fixed shape
(``SimilaritySearchInput`` and friends, Synalinks' names), then runs them on one
table of a :class:`~synalinks_nb.KnowledgeBase`. The output is the input, the
generated query and ``{"result": [rows...]}`` joined with ``&``, so a following
Generator sees the question and what was retrieved. The query generator's
instructions and examples are trainable like any Generator's: optimizers can
teach the model to write better queries.
"""

from __future__ import annotations

from typing import Any, ClassVar

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.retrievers._query_writer import (
    joined,
    query_writer_config,
    restored_config,
    symbolic_output,
)

__all__ = [
    "FullTextSearch",
    "FullTextSearchInput",
    "HybridFTSSearch",
    "HybridFTSSearchInput",
    "SearchResult",
    "SimilaritySearch",
    "SimilaritySearchInput",
]


class SimilaritySearchInput(DataModel):
    """What the language model writes for a vector search."""

    similarity_search: list[str] = Field(
        description="Natural-language queries for vector similarity")


class FullTextSearchInput(DataModel):
    """What the language model writes for a BM25 search."""

    fulltext_search: list[str] = Field(description="Keyword queries for BM25 full-text search")


class HybridFTSSearchInput(DataModel):
    """What the language model writes for a hybrid search."""

    similarity_search: list[str] = Field(
        description="Natural-language queries for the vector branch")
    keywords: list[str] | None = Field(
        default=None, description="Optional keyword queries for the BM25 branch")


class SearchResult(DataModel):
    """The rows a search returned (Synalinks' ``GenericResult``)."""

    result: list[Any] = Field(description="The result")


class _KnowledgeSearch(Module):
    """Shared machinery: the query generator, the table, joining the output."""

    query_model: ClassVar[type[DataModel]]
    search_options: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None, data_model: Any = None,
                 table_name: str | None = None, k: int = 10, language_model: Any = None,
                 instructions: str | None = None, examples: Any = None,
                 return_inputs: bool = True, return_query: bool = True,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = True, **search_options: Any) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError(f"Expected knowledge_base to be a KnowledgeBase for "
                              f"{type(self).__name__}. Received: {knowledge_base!r}")
        unknown = set(search_options) - set(self.search_options)
        if unknown:
            raise ModuleError(f"Unexpected arguments for {type(self).__name__}: "
                              f"{sorted(unknown)}. Expected some of {list(self.search_options)}")
        if table_name is None and data_model is not None:
            table_name = data_model.get_schema().get("title")
        if table_name is None:
            raise ModuleError(f"Expected table_name or data_model for {type(self).__name__}. "
                              "Received neither.")
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ModuleError(f"Expected k to be a positive int. Received: k={k!r}")
        self.knowledge_base = knowledge_base
        self.table_name = str(table_name)
        self.k = k
        self.options = dict(search_options)
        self.return_inputs = return_inputs
        self.return_query = return_query
        self.query_generator = Generator(
            data_model=self.query_model, language_model=language_model,
            instructions=instructions, examples=examples, name=f"{self.name}_query")

    async def _search(self, query: dict[str, Any]) -> list[Any]:
        raise NotImplementedError

    async def call(self, inputs: Any, training: bool = False) -> Any:
        query = await self.query_generator(inputs, training=training)
        rows = await self._search(query.get_json())
        result = JsonDataModel(schema=SearchResult.get_schema(), json={"result": rows},
                               name=self.name)
        return joined(self, inputs, query, result)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await symbolic_output(self, inputs, SearchResult.get_schema(), training)

    def get_config(self) -> dict[str, Any]:
        return {
            "knowledge_base": self.knowledge_base.get_config(),
            "table_name": self.table_name, "k": self.k,
            **query_writer_config(self),
            **self.options, **super().get_config(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        config = restored_config(config)
        return cls(**config)


class SimilaritySearch(_KnowledgeSearch):
    """Vector search: the model writes ``similarity_search`` queries.

    Args:
        knowledge_base: the knowledge base (with an embedding model).
        data_model: the table's data model (its title names the table), or
        table_name: the table.
        k: rows returned.
        threshold: the minimum similarity (or maximum l2 distance).
        language_model, instructions, examples: the query generator's.
        return_inputs, return_query: join the inputs / the query to the output.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Fact(sn.DataModel):
        ...     id: str
        ...     text: str
        >>> class Question(sn.DataModel):
        ...     question: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Fact],
        ...                       embedding_model="hashing/64")
        >>> _ = asyncio.run(kb.update([Fact(id="f1", text="Owls hunt at night."),
        ...                            Fact(id="f2", text="Cacti store water.")]))
        >>> lm = sn.ScriptedLanguageModel(responses=[{"similarity_search": ["owls at night"]}])
        >>> search = sn.SimilaritySearch(knowledge_base=kb, data_model=Fact, k=1,
        ...                              language_model=lm)
        >>> out = asyncio.run(search(Question(question="When do owls hunt?")))
        >>> out["result"][0]["id"]
        'f1'
    """

    query_model = SimilaritySearchInput
    search_options = ("threshold",)

    async def _search(self, query: dict[str, Any]) -> list[Any]:
        rows: list[Any] = await self.knowledge_base.similarity_search(
            query["similarity_search"], table_name=self.table_name, k=self.k, **self.options)
        return rows


class FullTextSearch(_KnowledgeSearch):
    """BM25 search: the model writes ``fulltext_search`` keyword queries.

    Takes :class:`SimilaritySearch`'s arguments, with ``threshold`` (minimum BM25
    score), ``conjunctive``, ``bm25_b`` and ``bm25_k`` as search options.
    """

    query_model = FullTextSearchInput
    search_options = ("threshold", "conjunctive", "bm25_b", "bm25_k")

    async def _search(self, query: dict[str, Any]) -> list[Any]:
        rows: list[Any] = await self.knowledge_base.fulltext_search(
            query["fulltext_search"], table_name=self.table_name, k=self.k, **self.options)
        return rows


class HybridFTSSearch(_KnowledgeSearch):
    """Vector and BM25 search fused by reciprocal rank; the model writes both queries.

    Takes :class:`SimilaritySearch`'s arguments, with ``k_rank``,
    ``similarity_threshold``, ``fulltext_threshold``, ``conjunctive``, ``bm25_b``
    and ``bm25_k`` as search options.
    """

    query_model = HybridFTSSearchInput
    search_options = ("k_rank", "similarity_threshold", "fulltext_threshold", "conjunctive",
                      "bm25_b", "bm25_k")

    async def _search(self, query: dict[str, Any]) -> list[Any]:
        rows: list[Any] = await self.knowledge_base.hybrid_fts_search(
            query["similarity_search"], keywords=query.get("keywords"),
            table_name=self.table_name, k=self.k, **self.options)
        return rows
