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

__all__ = ["arguments_of", "config_of", "deserialize", "get", "serialize"]


def config_of(kb: KnowledgeBase) -> dict[str, Any]:
    """A knowledge base's constructor arguments as JSON (models by schema, no secrets)."""
    model = kb.embedding_model
    return {
        "uri": kb.uri, "graph_uri": kb.graph_uri, "name": kb.name,
        "metric": kb.metric, "dedup_threshold": kb.dedup_threshold,
        "embedding_model": model.get_config() if model is not None else None,
        "schemas": [spec.schema for spec in kb.tables.values()],
        "entity_schemas": [m.get_schema() for m in kb.entity_models],
        "relation_schemas": [m.get_schema() for m in kb.relation_models],
    }


def arguments_of(config: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments of :func:`config_of`'s JSON (models as symbolic ones)."""
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
    from synalinks_nb.language_models import EmbeddingModel

    config = dict(config)
    symbolic = {key: [SymbolicDataModel(schema=s) for s in config.pop(key, [])]
                for key in ("schemas", "entity_schemas", "relation_schemas")}
    model = config.pop("embedding_model", None)
    return {**config, "data_models": symbolic["schemas"],
            "entity_models": symbolic["entity_schemas"],
            "relation_models": symbolic["relation_schemas"],
            "embedding_model": EmbeddingModel.from_config(model) if model else None}


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
