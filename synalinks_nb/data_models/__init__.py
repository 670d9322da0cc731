"""Data models: what flows through programs (layer 1; imports nothing above it)."""

from __future__ import annotations

from synalinks_nb.data_models.builtins import (
    ChatMessage,
    ChatMessages,
    Example,
    Instructions,
    Prediction,
    Trainable,
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
from synalinks_nb.data_models.media import Audio, Image
from synalinks_nb.data_models.scores import FineScore, Rating, Rating10, Rating20, Score
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.data_models.validation import validate_json

__all__ = [
    "Audio",
    "ChatMessage",
    "ChatMessages",
    "DataModel",
    "Embedding",
    "EmbeddingRequest",
    "Embeddings",
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
    "Prediction",
    "Rating",
    "Rating10",
    "Rating20",
    "Score",
    "Stamp",
    "SymbolicDataModel",
    "Trainable",
    "validate_json",
]
