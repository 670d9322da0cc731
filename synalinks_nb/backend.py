"""Synalinks' ``synalinks.backend``: a second path to the data-model types and settings.

Synalinks keeps its pydantic data models and its config functions under ``backend`` (its
only backend is ``"pydantic"``) and re-exports them at the top level. Code that uses the
``backend`` path finds the same objects here; the missing ones are listed in
``tests/compat/missing_names.txt``.

Example:
    >>> import synalinks_nb as sn
    >>> sn.backend.DataModel is sn.DataModel, sn.backend.backend()
    (True, 'pydantic')
"""

from __future__ import annotations

from synalinks_nb.config import clear_session, config, get_seed, set_seed
from synalinks_nb.data_models import (
    Audio,
    ChatMessage,
    ChatMessages,
    DataModel,
    Embedding,
    EmbeddingRequest,
    Embeddings,
    FineScore,
    GenericInputs,
    GenericIO,
    GenericOutputs,
    GenericResult,
    Image,
    Instructions,
    Prediction,
    Rating,
    Rating10,
    Rating20,
    Score,
    Stamp,
    Trainable,
)
from synalinks_nb.data_models.chat import (
    ChatRole,
    ToolCall,
    ToolCallFunction,
    ToolCalling,
    is_strictly_chat_message,
    is_strictly_chat_messages,
    is_tool_call,
)
from synalinks_nb.data_models.chat_completions import (
    ChatCompletionChoice,
    ChatCompletionCompletionTokensDetails,
    ChatCompletionFunctionCall,
    ChatCompletionJsonSchema,
    ChatCompletionMessage,
    ChatCompletionPromptTokensDetails,
    ChatCompletionRequest,
    ChatCompletionResponse,
    ChatCompletionResponseFormat,
    ChatCompletionTool,
    ChatCompletionToolCall,
    ChatCompletionToolFunction,
    ChatCompletionUsage,
    from_chat_completion_message,
    from_chat_completion_messages,
    to_chat_completion_message,
    to_chat_completion_messages,
    to_chat_completion_request,
)
from synalinks_nb.data_models.json_data_model import is_json_data_model
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
from synalinks_nb.data_models.predicates import (
    is_chat_message,
    is_chat_messages,
    is_embedded,
    is_embedding,
    is_embeddings,
    is_instructions,
    is_meta_class,
    is_prediction,
    is_stamped,
    is_trainable,
)
from synalinks_nb.data_models.scores import get_score_type, normalize_score
from synalinks_nb.data_models.symbolic_data_model import is_symbolic_data_model

__all__ = [
    "Audio",
    "ChatMessage",
    "ChatMessages",
    "DataModel",
    "EmbeddedEntity",
    "Embedding",
    "EmbeddingRequest",
    "Embeddings",
    "Entities",
    "Entity",
    "FineScore",
    "GenericIO",
    "GenericInputs",
    "GenericOutputs",
    "GenericResult",
    "Image",
    "Instructions",
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
    "Trainable",
    "api_base",
    "api_key",
    "backend",
    "clear_session",
    "enable_logging",
    "epsilon",
    "floatx",
    "get_score_type",
    "get_seed",
    "get_uid",
    "is_chat_message",
    "is_chat_messages",
    "is_embedded",
    "is_embedded_entity",
    "is_embedding",
    "is_embeddings",
    "is_entities",
    "is_entity",
    "is_instructions",
    "is_json_data_model",
    "is_knowledge_graph",
    "is_knowledge_graphs",
    "is_meta_class",
    "is_observability_enabled",
    "is_prediction",
    "is_relation",
    "is_relations",
    "is_stamped",
    "is_symbolic_data_model",
    "is_trace_recording_enabled",
    "is_trainable",
    "normalize_score",
    "record_traces",
    "set_api_base",
    "set_api_key",
    "set_backend",
    "set_epsilon",
    "set_floatx",
    "set_seed",
    "trace_recording_dir",
]
__all__ += ["enable_observability", "mlflow_experiment_name", "mlflow_tracking_uri"]
__all__ += [
    "ChatRole", "ToolCall", "ToolCallFunction", "ToolCalling", "is_strictly_chat_message",
    "is_strictly_chat_messages", "is_tool_call",
]
__all__ += [  # the chat-completion wire models
    "ChatCompletionChoice",
    "ChatCompletionCompletionTokensDetails",
    "ChatCompletionFunctionCall",
    "ChatCompletionJsonSchema",
    "ChatCompletionMessage",
    "ChatCompletionPromptTokensDetails",
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "ChatCompletionResponseFormat",
    "ChatCompletionTool",
    "ChatCompletionToolCall",
    "ChatCompletionToolFunction",
    "ChatCompletionUsage",
    "from_chat_completion_message",
    "from_chat_completion_messages",
    "to_chat_completion_message",
    "to_chat_completion_messages",
    "to_chat_completion_request",
]

# The settings live on the one config object (``config.reset()`` forgets them).
api_base = config.api_base
api_key = config.api_key
backend = config.backend
enable_logging = config.enable_logging
epsilon = config.epsilon
floatx = config.floatx
is_observability_enabled = config.is_observability_enabled
is_trace_recording_enabled = config.is_trace_recording_enabled
record_traces = config.record_traces
trace_recording_dir = config.trace_recording_dir

# Observability through MLflow.
enable_observability = config.enable_observability
mlflow_experiment_name = config.mlflow_experiment_name
mlflow_tracking_uri = config.mlflow_tracking_uri


def get_uid(prefix: str = "") -> int:
    """1 the first time ``prefix`` is asked for, then 2, 3... until ``clear_session()``.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.backend.get_uid("action"), sn.backend.get_uid("action")
        (1, 2)
    """
    return config.get_uid(prefix)
set_api_base = config.set_api_base
set_api_key = config.set_api_key
set_backend = config.set_backend
set_epsilon = config.set_epsilon
set_floatx = config.set_floatx
