"""Retrieval modules: a language model writes the queries, a knowledge base answers them."""

from __future__ import annotations

from synalinks_nb.modules.retrievers.embed_knowledge import EmbedKnowledge
from synalinks_nb.modules.retrievers.knowledge import UpdateKnowledge
from synalinks_nb.modules.retrievers.search import (
    FullTextSearch,
    FullTextSearchInput,
    HybridFTSSearch,
    HybridFTSSearchInput,
    SimilaritySearch,
    SimilaritySearchInput,
)

__all__ = [
    "EmbedKnowledge",
    "FullTextSearch",
    "FullTextSearchInput",
    "HybridFTSSearch",
    "HybridFTSSearchInput",
    "SimilaritySearch",
    "SimilaritySearchInput",
    "UpdateKnowledge",
]
