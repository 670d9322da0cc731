"""Knowledge bases: records in an embedded DuckDB (vector, BM25, hybrid), graphs in LadybugDB.

Needs the ``knowledge`` extra (``pip install 'synalinks_nb[knowledge]'``): DuckDB is
imported when a knowledge base is created, never when the package is imported. The graph
side needs the ``graph`` extra (LadybugDB), imported when a graph is opened.
"""

from __future__ import annotations

from synalinks_nb.knowledge_bases.knowledge_base import METRICS, KnowledgeBase
from synalinks_nb.knowledge_bases.serialization import deserialize, get, serialize

__all__ = ["METRICS", "KnowledgeBase", "deserialize", "get", "serialize"]
