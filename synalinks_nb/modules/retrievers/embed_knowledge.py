"""``EmbedKnowledge``: add ``embedding`` vectors to a record or to a graph's entities.

The text embedded is the fields selected by ``in_mask`` (or all but
``out_mask``), values joined by newlines. A plain record (or a bare entity) gets
one ``embedding`` field, which :class:`~synalinks_nb.KnowledgeBase` stores as its
vector. Graph shapes (``KnowledgeGraph(s)``, ``Entities``, ``Relations``, a
``Relation``) get a vector on each entity inside, relation endpoints included,
in one batched call: the graph store uses them to de-duplicate entities. An
entity's ``label`` is not embedded unless ``in_mask`` names it (nodes are only
compared within a label). A knowledge base with its own embedding model embeds
records itself instead.
"""

from __future__ import annotations

import copy
from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.knowledge import (
    is_entities,
    is_knowledge_graph,
    is_knowledge_graphs,
    is_relation,
    is_relations,
)
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.module import Module

__all__ = ["EmbedKnowledge"]

_EMBEDDING = {"type": "array", "items": {"type": "number"},
              "description": "The embedding vector of the record"}


def _is_graph_shaped(x: Any) -> bool:
    return (is_knowledge_graphs(x) or is_knowledge_graph(x) or is_entities(x)
            or is_relations(x) or is_relation(x))


def _with_embedding(schema: dict[str, Any]) -> dict[str, Any]:
    required = [*schema.get("required", []), "embedding"]
    return {**schema, "properties": {**schema.get("properties", {}), "embedding": _EMBEDDING},
            "required": list(dict.fromkeys(required))}


def _augment(schema: dict[str, Any]) -> dict[str, Any]:
    """The output schema: ``embedding`` on the record, or on each entity definition."""
    if not _is_graph_shaped(SymbolicDataModel(schema=schema)):
        return _with_embedding(schema)
    defs = {}
    for name, definition in (schema.get("$defs") or {}).items():
        props = definition.get("properties") or {}
        is_entity = "label" in props and not ("subj" in props and "obj" in props)
        defs[name] = _with_embedding(definition) if is_entity else definition
    return {**schema, "$defs": defs}


def _units(value: dict[str, Any]) -> list[dict[str, Any]]:
    """The entity dicts inside a graph-shaped value (mutable: vectors are set on them)."""
    if "knowledge_graphs" in value:
        return [u for graph in value["knowledge_graphs"] or [] for u in _units(graph)]
    if "subj" in value and "obj" in value:
        return [value[end] for end in ("subj", "obj") if isinstance(value[end], dict)]
    units = list(value.get("entities") or [])
    for relation in value.get("relations") or []:
        units += _units(relation)
    return units


class EmbedKnowledge(Module):
    """Embed the selected fields of the input and append the vector as ``embedding``.

    Args:
        embedding_model: an :class:`~synalinks_nb.EmbeddingModel` or its id.
        in_mask: the fields to embed, or
        out_mask: the fields not to embed (default: embed every field).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Note(sn.DataModel):
        ...     id: str
        ...     text: str
        >>> embed = sn.EmbedKnowledge(embedding_model="hashing/8", in_mask=["text"])
        >>> len(asyncio.run(embed(Note(id="n1", text="Owls hunt at night.")))["embedding"])
        8
    """

    def __init__(self, *, embedding_model: Any = None, in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None, name: str | None = None,
                 description: str | None = None, trainable: bool = False) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        from synalinks_nb.language_models import EmbeddingModel

        if isinstance(embedding_model, str) or embedding_model is None:
            embedding_model = EmbeddingModel(embedding_model)
        if not isinstance(embedding_model, EmbeddingModel):
            raise ModuleError("Expected embedding_model to be an EmbeddingModel or its id. "
                              f"Received: {embedding_model!r}")
        if in_mask is not None and out_mask is not None:
            raise ModuleError("Expected in_mask or out_mask, not both. "
                              f"Received: in_mask={in_mask!r}, out_mask={out_mask!r}")
        self.embedding_model = embedding_model
        self.in_mask = in_mask
        self.out_mask = out_mask

    def _text(self, value: dict[str, Any], skip: tuple[str, ...] = ("embedding",)) -> str:
        keys = [k for k in value if k not in skip
                and (self.in_mask is None or k in self.in_mask)
                and (self.out_mask is None or k not in self.out_mask)]
        if not keys:
            raise ModuleError(f"Expected fields to embed in {sorted(value)}. Received: "
                              f"in_mask={self.in_mask!r}, out_mask={self.out_mask!r}")
        return "\n".join(str(value[k]) for k in keys)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        value = copy.deepcopy(inputs.get_json())
        if _is_graph_shaped(inputs):
            units = _units(value)
            skip = ("embedding",) if self.in_mask and "label" in self.in_mask else (
                "embedding", "label")
            texts = [self._text(unit, skip) for unit in units]
        else:
            units, texts = [value], [self._text(value)]
        if texts:
            vectors = (await self.embedding_model(texts))["embeddings"]
            for unit, vector in zip(units, vectors, strict=True):
                unit["embedding"] = vector
        return JsonDataModel(schema=_augment(inputs.get_schema()), json=value, name=self.name)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return SymbolicDataModel(schema=_augment(inputs.get_schema()), name=self.name)

    def get_config(self) -> dict[str, Any]:
        return {"embedding_model": self.embedding_model.get_config(), "in_mask": self.in_mask,
                "out_mask": self.out_mask, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> EmbedKnowledge:
        from synalinks_nb.language_models import EmbeddingModel

        config = dict(config)
        config["embedding_model"] = EmbeddingModel.from_config(config["embedding_model"])
        return cls(**config)
