"""Knowledge bases: data-model records in an embedded DuckDB, with vector, BM25 and hybrid search.

Needs the ``knowledge`` extra (``pip install 'synalinks_nb[knowledge]'``): DuckDB is
imported when a knowledge base is created, never when the package is imported.
"""

from __future__ import annotations

from synalinks_nb.knowledge_bases.knowledge_base import METRICS, KnowledgeBase

__all__ = ["METRICS", "KnowledgeBase"]
