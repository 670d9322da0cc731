"""Synalinks' small generic data models: inputs/outputs holders, a stamp, embeddings.

They carry no behaviour; code written for Synalinks builds them, and the ``is_*``
predicates of :mod:`.predicates` recognise their fields in any data model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = [
    "Embedding",
    "EmbeddingRequest",
    "Embeddings",
    "GenericIO",
    "GenericInputs",
    "GenericOutputs",
    "GenericResult",
    "Stamp",
]


class GenericInputs(DataModel):
    """Any inputs, as one JSON object."""

    inputs: dict[str, Any] = Field(description="The inputs")


class GenericOutputs(DataModel):
    """Any outputs, as one JSON object."""

    outputs: dict[str, Any] = Field(description="The outputs")


class GenericIO(DataModel):
    """Inputs and outputs, as two JSON objects.

    Example:
        >>> GenericIO(inputs={"q": "2+2"}, outputs={"a": "4"}).get_json()
        {'inputs': {'q': '2+2'}, 'outputs': {'a': '4'}}
    """

    inputs: dict[str, Any] = Field(description="The inputs")
    outputs: dict[str, Any] = Field(description="The outputs")


class GenericResult(DataModel):
    """A list of results."""

    result: list[Any] = Field(description="The result")


class Stamp(DataModel):
    """A creation time (``None`` when unknown)."""

    created_at: datetime | None = Field(default=None, description="The creation time")


class EmbeddingRequest(DataModel):
    """A text, or texts, to embed."""

    texts: str | list[str] = Field(description="A text or list of texts to embed")


class Embedding(DataModel):
    """One embedding vector."""

    embedding: list[float] = Field(default_factory=list, description="The embedding vector")


class Embeddings(DataModel):
    """Embedding vectors.

    Example:
        >>> Embeddings(embeddings=[[0.0, 1.0]]).get_json()
        {'embeddings': [[0.0, 1.0]]}
    """

    embeddings: list[list[float]] = Field(default_factory=list,
                                          description="The list of embedding vectors")
