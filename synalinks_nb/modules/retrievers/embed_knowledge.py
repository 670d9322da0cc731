"""``EmbedKnowledge``: add an ``embedding`` vector to a record, Synalinks style.

The text embedded is the record's fields selected by ``in_mask`` (or all but
``out_mask``), values joined by newlines. The output is the input with an
``embedding`` field, which :class:`~synalinks_nb.KnowledgeBase` stores as the
record's vector; this is how Synalinks programs fill a knowledge base (a
knowledge base with its own embedding model embeds records itself instead).
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.module import Module

__all__ = ["EmbedKnowledge"]

_EMBEDDING = {"type": "array", "items": {"type": "number"},
              "description": "The embedding vector of the record"}


def _with_embedding(schema: dict[str, Any]) -> dict[str, Any]:
    required = [*schema.get("required", []), "embedding"]
    return {**schema, "properties": {**schema.get("properties", {}), "embedding": _EMBEDDING},
            "required": list(dict.fromkeys(required))}


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

    def _text(self, value: dict[str, Any]) -> str:
        keys = [k for k in value if k != "embedding"
                and (self.in_mask is None or k in self.in_mask)
                and (self.out_mask is None or k not in self.out_mask)]
        if not keys:
            raise ModuleError(f"Expected fields to embed in {sorted(value)}. Received: "
                              f"in_mask={self.in_mask!r}, out_mask={self.out_mask!r}")
        return "\n".join(str(value[k]) for k in keys)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        value = inputs.get_json()
        [vector] = (await self.embedding_model([self._text(value)]))["embeddings"]
        return JsonDataModel(schema=_with_embedding(inputs.get_schema()),
                             json={**value, "embedding": vector}, name=self.name)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return SymbolicDataModel(schema=_with_embedding(inputs.get_schema()), name=self.name)

    def get_config(self) -> dict[str, Any]:
        return {"embedding_model": self.embedding_model.get_config(), "in_mask": self.in_mask,
                "out_mask": self.out_mask, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> EmbedKnowledge:
        from synalinks_nb.language_models import EmbeddingModel

        config = dict(config)
        config["embedding_model"] = EmbeddingModel.from_config(config["embedding_model"])
        return cls(**config)
