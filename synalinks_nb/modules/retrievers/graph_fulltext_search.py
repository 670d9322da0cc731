"""``EntityFullTextSearch`` and ``RelationFullTextSearch``: BM25 over a graph, as program steps.

The graph-side counterparts of :class:`~synalinks_nb.FullTextSearch`: a
:class:`~synalinks_nb.Generator` writes ``fulltext_search`` keyword queries from the
input, and the knowledge base ranks the entities (or relations) of one label with the
tables' BM25 (:meth:`~synalinks_nb.KnowledgeBase.entity_fulltext_search`). The label is
given, taken from an entity (relation) model's ``label`` literal or title, or — with
neither — chosen by the model per call among the graph's labels when the module was
built (an enum: it cannot name one that does not exist). The output is
``{"result": [rows...]}``, after the query and the inputs by default; ``None`` when the
model wrote no query, as in Synalinks. Rows are JSON (``output_format="csv"`` is not a
module output here).
"""

from __future__ import annotations

import copy
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
from synalinks_nb.modules.retrievers.search import SearchResult

__all__ = ["EntityFullTextSearch", "EntityFullTextSearchInput", "RelationFullTextSearch",
           "RelationFullTextSearchInput"]


class EntityFullTextSearchInput(DataModel):
    """What the language model writes for a BM25 search over entities."""

    fulltext_search: list[str] = Field(description="Keyword queries for BM25 full-text search")


class RelationFullTextSearchInput(DataModel):
    """What the language model writes for a BM25 search over relations."""

    fulltext_search: list[str] = Field(description="Keyword queries for BM25 full-text search")


def _label_of(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    label = (schema.get("properties", {}).get("label") or {}).get("const")
    return str(label or schema.get("title")) if (label or schema.get("title")) else None


class _GraphFullTextSearch(Module):
    query_model: ClassVar[type[DataModel]]
    label_field: ClassVar[str]

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None,
                 language_model: Any = None, schema: dict[str, Any] | None = None,
                 label: str | None = None, k: int = 10, threshold: float | None = None,
                 conjunctive: bool = False, bm25_b: float | None = None,
                 output_format: str = "json", instructions: str | None = None,
                 examples: Any = None, return_inputs: bool = True, return_query: bool = True,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        owner = type(self).__name__
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError(f"Expected knowledge_base to be a KnowledgeBase for {owner}. "
                              f"Received: {knowledge_base!r}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ModuleError(f"Expected k to be a positive int. Received: k={k!r}")
        if output_format != "json":
            raise ModuleError(f"Expected output_format='json' for {owner} (its output holds "
                              f"rows). Received: output_format={output_format!r}")
        self.knowledge_base, self.k = knowledge_base, k
        self.label = label or _label_of(schema)
        self.options: dict[str, Any] = {"threshold": threshold, "conjunctive": conjunctive,
                                        "bm25_b": bm25_b}
        self.return_inputs, self.return_query = return_inputs, return_query
        target: dict[str, Any] = {"data_model": self.query_model} if self.label else {
            "schema": self._inferring_schema()}
        self.query_generator = Generator(**target, language_model=language_model,
                                         instructions=instructions, examples=examples,
                                         name=f"{self.name}_query")

    def _labels(self) -> list[str]:
        raise NotImplementedError

    def _inferring_schema(self) -> dict[str, Any]:
        schema = copy.deepcopy(self.query_model.get_schema())
        schema["properties"][self.label_field] = {
            "type": "string", "enum": self._labels(),
            "description": "The label to search, chosen to best answer the inputs"}
        schema["required"] = [*schema.get("required", []), self.label_field]
        return schema

    async def _rows(self, queries: list[str], label: str) -> list[Any]:
        raise NotImplementedError

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        query = await self.query_generator(inputs, training=training)
        value = query.get_json() if query is not None else {}
        queries, label = value.get("fulltext_search"), self.label or value.get(self.label_field)
        if not queries or not label:
            return None
        result = JsonDataModel(schema=SearchResult.get_schema(),
                               json={"result": await self._rows(list(queries), label)},
                               name=self.name)
        return joined(self, inputs, query, result)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await symbolic_output(self, inputs, SearchResult.get_schema(), training)

    def get_config(self) -> dict[str, Any]:
        return {"knowledge_base": self.knowledge_base.get_config(), "label": self.label,
                "k": self.k, **self.options, **query_writer_config(self),
                **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**restored_config(config))


class EntityFullTextSearch(_GraphFullTextSearch):
    """BM25 over the entities of one label; the model writes the keyword queries.

    Args:
        knowledge_base: a knowledge base with a graph.
        label: the entity label, or
        schema / entity_model: the entity's schema or model to take it from; with none,
            the model picks the label among the graph's.
        k, threshold, conjunctive, bm25_b: the search's (see
            :meth:`~synalinks_nb.KnowledgeBase.entity_fulltext_search`).
        language_model, instructions, examples: the query generator's.
        return_inputs, return_query: join the inputs / the query to the output.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Question(sn.DataModel):
        ...     question: str
        >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
        >>> _ = asyncio.run(kb.update_entities([
        ...     {"label": "Bird", "name": "Owl", "habit": "hunts at night"},
        ...     {"label": "Bird", "name": "Robin", "habit": "sings at dawn"}]))
        >>> lm = sn.ScriptedLanguageModel(responses=[{"fulltext_search": ["night"]}])
        >>> search = sn.EntityFullTextSearch(knowledge_base=kb, label="Bird", k=1,
        ...                                  language_model=lm)
        >>> [r["name"] for r in asyncio.run(search(Question(question="Who hunts?")))["result"]]
        ['Owl']
    """

    query_model = EntityFullTextSearchInput
    label_field = "entity_label"

    def __init__(self, *, entity_model: Any = None, schema: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        schema = schema or (entity_model.get_schema() if entity_model is not None else None)
        super().__init__(schema=schema, **kwargs)

    def _labels(self) -> list[str]:
        return sorted(self.knowledge_base.graph.catalog.nodes)

    async def _rows(self, queries: list[str], label: str) -> list[Any]:
        rows: list[Any] = await self.knowledge_base.entity_fulltext_search(
            queries, label=label, k=self.k, **self.options)
        return rows


class RelationFullTextSearch(_GraphFullTextSearch):
    """BM25 over the relations of one label (either end matching); the model writes the
    keyword queries. Arguments as :class:`EntityFullTextSearch`, with ``relation_model``."""

    query_model = RelationFullTextSearchInput
    label_field = "relation_label"

    def __init__(self, *, relation_model: Any = None, schema: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        schema = schema or (relation_model.get_schema() if relation_model is not None
                            else None)
        super().__init__(schema=schema, **kwargs)

    def _labels(self) -> list[str]:
        return sorted(self.knowledge_base.graph.catalog.rels)

    async def _rows(self, queries: list[str], label: str) -> list[Any]:
        rows: list[Any] = await self.knowledge_base.relation_fulltext_search(
            queries, label=label, k=self.k, **self.options)
        return rows
