"""Synalinks' ``synalinks.knowledge_bases.get / serialize / deserialize``.

``get("duckdb://x.db")`` opens the tables only, ``get("ladybug://x.lb")`` the graph only,
and a location without a scheme (``":memory:"``, a path stem) both, at that location (a
path gets ``.db`` and ``.lb``); ``get(None)`` is ``KnowledgeBase()``, both stores under the
home folder. A dict is a serialized knowledge base; a knowledge base is returned as is.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.knowledge_base import KnowledgeBase

__all__ = ["deserialize", "get", "serialize"]


def serialize(knowledge_base: KnowledgeBase) -> dict[str, Any]:
    """``{"class_name": "KnowledgeBase", "config": ...}`` (no records: they stay in the files).

    Example:
        >>> import synalinks_nb as sn
        >>> kb = sn.knowledge_bases.get("duckdb://:memory:")
        >>> sn.knowledge_bases.serialize(kb)["config"]["uri"]
        'duckdb://:memory:'
    """
    return {"class_name": "KnowledgeBase", "config": knowledge_base.get_config()}


def deserialize(config: dict[str, Any]) -> KnowledgeBase:
    """A knowledge base from :func:`serialize` (reopening its files)."""
    if not isinstance(config, dict) or str(config.get("class_name", "")).lower() != \
            "knowledgebase":
        raise KnowledgeBaseError("Expected {'class_name': 'KnowledgeBase', 'config': {...}}. "
                                 f"Received: {config!r}")
    return KnowledgeBase.from_config(dict(config.get("config") or {}))


def get(identifier: Any = None) -> KnowledgeBase:
    """A knowledge base from a URI, a location, a serialized dict, ``None`` or itself."""
    if identifier is None:
        return KnowledgeBase()
    if isinstance(identifier, KnowledgeBase):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier:
        if identifier.startswith("ladybug://"):
            return KnowledgeBase(graph_uri=identifier)
        if identifier.startswith("duckdb://"):
            return KnowledgeBase(uri=identifier)
        if "://" not in identifier:
            stem = identifier.removesuffix(".db").removesuffix(".lb")
            memory = identifier == ":memory:"
            return KnowledgeBase(uri=f"duckdb://{identifier if memory else stem + '.db'}",
                                 graph_uri=f"ladybug://{identifier if memory else stem + '.lb'}")
    raise KnowledgeBaseError("Expected a knowledge base, a 'duckdb://' or 'ladybug://' URI, a "
                             f"location, a serialized dict or None. Received: {identifier!r}")
