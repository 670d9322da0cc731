"""Query texts and vectors, shared by the table and the graph searches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError

__all__ = ["query_vectors", "texts_of"]


def texts_of(text_or_texts: str | Sequence[str] | None) -> list[str]:
    """One text or several as a list (``None``: none).

    Example:
        >>> texts_of("owls"), texts_of(["a", "b"]), texts_of(None)
        (['owls'], ['a', 'b'], [])
    """
    if text_or_texts is None:
        return []
    return [text_or_texts] if isinstance(text_or_texts, str) else list(text_or_texts)


async def query_vectors(embedding_model: Any, texts: str | Sequence[str] | None,
                        vectors: Sequence[Any] | None) -> list[list[float]]:
    """The query vectors: ``vectors`` as given (one or several), else the texts embedded."""
    if vectors is not None:
        given = list(vectors)
        nested = bool(given) and isinstance(given[0], list | tuple)
        return [list(map(float, v)) for v in (given if nested else [given])]
    if embedding_model is None:
        raise KnowledgeBaseError(
            "Expected an embedding_model on the knowledge base, or vector_or_vectors, for a "
            "similarity search. Received neither.")
    queries = texts_of(texts)
    if not queries:
        raise KnowledgeBaseError("Expected a query text or vector. Received none.")
    embeddings: list[list[float]] = (await embedding_model(queries))["embeddings"]
    return embeddings
