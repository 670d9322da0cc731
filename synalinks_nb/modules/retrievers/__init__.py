"""Retrieval modules: a language model writes the queries, a knowledge base answers them.

Also the modules that fill a knowledge base (``EmbedKnowledge``, ``UpdateKnowledge``).
"""

from __future__ import annotations

from synalinks_nb.modules.retrievers.embed_knowledge import EmbedKnowledge
from synalinks_nb.modules.retrievers.global_graph_map_reduce import GlobalGraphMapReduce
from synalinks_nb.modules.retrievers.global_graph_search import GlobalGraphSearch
from synalinks_nb.modules.retrievers.graph_fulltext_search import (
    EntityFullTextSearch,
    RelationFullTextSearch,
)
from synalinks_nb.modules.retrievers.graph_search import LocalGraphSearch, LocalGraphSearchInput
from synalinks_nb.modules.retrievers.knowledge import UpdateKnowledge
from synalinks_nb.modules.retrievers.retrieve_knowledge import RetrieveKnowledge
from synalinks_nb.modules.retrievers.search import (
    FullTextSearch,
    FullTextSearchInput,
    HybridFTSSearch,
    HybridFTSSearchInput,
    SimilaritySearch,
    SimilaritySearchInput,
)
from synalinks_nb.modules.retrievers.text2query import Text2Cypher, Text2SQL

__all__ = [
    "EmbedKnowledge",
    "EntityFullTextSearch",
    "FullTextSearch",
    "FullTextSearchInput",
    "GlobalGraphMapReduce",
    "GlobalGraphSearch",
    "HybridFTSSearch",
    "HybridFTSSearchInput",
    "LocalGraphSearch",
    "LocalGraphSearchInput",
    "RelationFullTextSearch",
    "RetrieveKnowledge",
    "SimilaritySearch",
    "SimilaritySearchInput",
    "Text2Cypher",
    "Text2SQL",
    "UpdateKnowledge",
]
