"""Data models: what flows through programs (layer 1; imports nothing above it)."""

from __future__ import annotations

from synalinks_nb.data_models.builtins import (
    Example,
    Instructions,
    Prediction,
    Trainable,
)
from synalinks_nb.data_models.chat import (
    ChatMessage,
    ChatMessages,
    ChatRole,
    ToolCall,
    ToolCallFunction,
    ToolCalling,
)
from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.generic import (
    Embedding,
    EmbeddingRequest,
    Embeddings,
    GenericInputs,
    GenericIO,
    GenericOutputs,
    GenericResult,
    Stamp,
)
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.knowledge import (
    EmbeddedEntity,
    Entities,
    Entity,
    KnowledgeGraph,
    KnowledgeGraphs,
    Relation,
    Relations,
    is_embedded_entity,
    is_entities,
    is_entity,
    is_knowledge_graph,
    is_knowledge_graphs,
    is_relation,
    is_relations,
)
from synalinks_nb.data_models.media import Audio, Image
from synalinks_nb.data_models.scores import FineScore, Rating, Rating10, Rating20, Score
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.data_models.validation import validate_json

__all__ = [
    "Audio",
    "ChatMessage",
    "ChatMessages",
    "ChatRole",
    "DataModel",
    "EmbeddedEntity",
    "Embedding",
    "EmbeddingRequest",
    "Embeddings",
    "Entities",
    "Entity",
    "Example",
    "Field",
    "FineScore",
    "GenericIO",
    "GenericInputs",
    "GenericOutputs",
    "GenericResult",
    "Image",
    "Instructions",
    "JsonDataModel",
    "KnowledgeGraph",
    "KnowledgeGraphs",
    "Prediction",
    "Rating",
    "Rating10",
    "Rating20",
    "Relation",
    "Relations",
    "Score",
    "Stamp",
    "SymbolicDataModel",
    "ToolCall",
    "ToolCallFunction",
    "ToolCalling",
    "Trainable",
    "is_embedded_entity",
    "is_entities",
    "is_entity",
    "is_knowledge_graph",
    "is_knowledge_graphs",
    "is_relation",
    "is_relations",
    "validate_json",
]
