"""``LocalGraphSearch``: GraphRAG's local search as a program step.

A :class:`~synalinks_nb.Generator` turns the input into search texts naming the
entities to look around (``LocalGraphSearchInput``); the knowledge base finds
the ``k`` entities of ``label`` nearest each text and returns everything within
``max_hops`` edges of them as a knowledge graph. The output is that graph, joined
(``&``) after the input and the query by default, so a following Generator
answers from the neighbourhood. Without ``label`` (or an ``entity_model`` to take
it from), the model also picks the label, among the graph's labels at build time.
"""

from __future__ import annotations

import copy
from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.knowledge import KnowledgeGraph
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

__all__ = ["LocalGraphSearch", "LocalGraphSearchInput"]


class LocalGraphSearchInput(DataModel):
    """What the language model writes for a local graph search."""

    local_graph_search: list[str] = Field(
        description="Natural-language queries naming the entities to search around")


def graph_result_schema() -> dict[str, Any]:
    """``KnowledgeGraph``'s schema with open entities and relations (any label's fields)."""
    schema = copy.deepcopy(KnowledgeGraph.get_schema())
    for definition in schema.get("$defs", {}).values():
        definition.pop("additionalProperties", None)
    return schema


def _query_schema(labels: list[str]) -> dict[str, Any]:
    schema = copy.deepcopy(LocalGraphSearchInput.get_schema())
    schema["properties"]["entity_label"] = {
        "type": "string", "enum": labels,
        "description": "The entity label to search around, chosen to best answer the inputs"}
    schema["required"] = [*schema.get("required", []), "entity_label"]
    return schema


class LocalGraphSearch(Module):
    """Retrieve the neighbourhood of the entities a question is about.

    Args:
        knowledge_base: a knowledge base with a graph (and an embedding model).
        label: the entity label the search starts from, or
        entity_model: the entity model to take it from (its ``label`` literal or title);
            with neither, the model chooses among the graph's labels.
        max_hops: how many edges away from the seeds (>= 1).
        k: seed entities per search text.
        threshold: the minimum cosine similarity of a seed.
        rel_label: follow only edges of this label.
        language_model, instructions, examples: the query generator's.
        return_inputs, return_query: join the inputs / the query to the output.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Question(sn.DataModel):
        ...     question: str
        >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:", embedding_model="hashing/64")
        >>> _ = asyncio.run(kb.update_relations([{
        ...     "subj": {"label": "Person", "name": "Ada"}, "label": "Knows",
        ...     "obj": {"label": "Person", "name": "Charles"}}]))
        >>> lm = sn.ScriptedLanguageModel(responses=[{"local_graph_search": ["Ada"]}])
        >>> search = sn.LocalGraphSearch(knowledge_base=kb, label="Person", k=1,
        ...                              language_model=lm)
        >>> out = asyncio.run(search(Question(question="Whom does Ada know?")))
        >>> sorted(e["name"] for e in out["entities"])
        ['Ada', 'Charles']
    """

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None, label: str | None = None,
                 entity_model: Any = None, max_hops: int = 2, k: int = 10,
                 threshold: float | None = None, rel_label: str | None = None,
                 language_model: Any = None, instructions: str | None = None,
                 examples: Any = None, return_inputs: bool = True, return_query: bool = True,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError("Expected knowledge_base to be a KnowledgeBase for "
                              f"LocalGraphSearch. Received: {knowledge_base!r}")
        if label is None and entity_model is not None:
            schema = entity_model.get_schema()
            label = (schema["properties"].get("label") or {}).get("const") or schema["title"]
        for arg, value in (("max_hops", max_hops), ("k", k)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ModuleError(f"Expected {arg} to be a positive int. Received: {value!r}")
        self.knowledge_base = knowledge_base
        self.label, self.max_hops, self.k = label, max_hops, k
        self.threshold, self.rel_label = threshold, rel_label
        self.return_inputs, self.return_query = return_inputs, return_query
        target: dict[str, Any] = {"data_model": LocalGraphSearchInput} if label else {
            "schema": _query_schema(sorted(knowledge_base.graph.catalog.nodes))}
        self.query_generator = Generator(
            **target, language_model=language_model, instructions=instructions,
            examples=examples, name=f"{self.name}_query")

    async def call(self, inputs: Any, training: bool = False) -> Any:
        query = await self.query_generator(inputs, training=training)
        value = query.get_json()
        graph = await self.knowledge_base.local_graph_search(
            value["local_graph_search"], label=self.label or value["entity_label"],
            max_hops=self.max_hops, k=self.k, threshold=self.threshold,
            rel_label=self.rel_label)
        result = JsonDataModel(schema=graph_result_schema(), json=graph.get_json(),
                               name=self.name)
        return joined(self, inputs, query, result)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await symbolic_output(self, inputs, graph_result_schema(), training)

    def get_config(self) -> dict[str, Any]:
        return {
            "knowledge_base": self.knowledge_base.get_config(), "label": self.label,
            "max_hops": self.max_hops, "k": self.k, "threshold": self.threshold,
            "rel_label": self.rel_label, **query_writer_config(self),
            **super().get_config(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LocalGraphSearch:
        config = restored_config(config)
        return cls(**config)
