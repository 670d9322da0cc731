"""synalinks_nb: Keras-style programs of language-model calls, living in Jupyter."""

from __future__ import annotations

from synalinks_nb import errors, ops, traces
from synalinks_nb.config import clear_session, config, get_seed, set_seed, synalinks_home
from synalinks_nb.data_models import (
    Audio,
    ChatMessage,
    ChatMessages,
    DataModel,
    EmbeddingRequest,
    Embeddings,
    Example,
    Field,
    FineScore,
    GenericInputs,
    GenericIO,
    GenericOutputs,
    GenericResult,
    Image,
    Instructions,
    JsonDataModel,
    Prediction,
    Rating,
    Rating10,
    Rating20,
    Score,
    Stamp,
    SymbolicDataModel,
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
    is_prediction,
    is_stamped,
    is_trainable,
)
from synalinks_nb.language_models import EmbeddingModel, LanguageModel, ScriptedLanguageModel
from synalinks_nb.modules import (
    Action,
    And,
    Branch,
    ChainOfThought,
    Concat,
    Concatenate,
    Decision,
    EmbedKnowledge,
    FullTextSearch,
    FunctionCallingAgent,
    Generator,
    HybridFTSSearch,
    Identity,
    InMask,
    Input,
    Lambda,
    LocalGraphSearch,
    Module,
    MultiDecision,
    Not,
    Or,
    OutMask,
    RetrieveKnowledge,
    SelfCritique,
    SimilaritySearch,
    Text2Cypher,
    Text2SQL,
    Tool,
    UpdateKnowledge,
    Xor,
)
from synalinks_nb.modules.core.prompt_template import default_prompt_template
from synalinks_nb.ops import Operation
from synalinks_nb.programs import Program, Sequential
from synalinks_nb.traces import inspect_history
from synalinks_nb.variables import Variable, Version
from synalinks_nb.version import __version__

# Training and saving come after programs (Program mixes the Trainer in): keep this order.
# isort: off
from synalinks_nb import (
    callbacks,
    datasets,
    knowledge_bases,
    metrics,
    optimizers,
    rewards,
    saving,
    trainers,
    tuners,
)
from synalinks_nb.callbacks import Callback, History
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.mcp import MultiServerMCPClient
from synalinks_nb.trainers import ApprovalPolicy, PredictionFailure, Proposal
from synalinks_nb.tuners import disable_keras_backend
from synalinks_nb import backend, tree, utils
from synalinks_nb import initializers
from synalinks_nb import hooks
from synalinks_nb.initializers import Initializer
from synalinks_nb.metrics import (
    EmbeddingModelOperationalMetric,
    EmbeddingModelOptimizersOperationalMetric,
    EmbeddingModelRewardsOperationalMetric,
    LMOperationalMetric,
    LMOptimizersOperationalMetric,
    LMRewardsOperationalMetric,
    Metric,
    ProgramOperationalMetric,
)
from synalinks_nb.modules.agents import CypherAgent, SQLAgent, VectorRAGAgent
from synalinks_nb.modules.retrievers import GlobalGraphMapReduce, GlobalGraphSearch
from synalinks_nb.modules.retrievers import EntityFullTextSearch, RelationFullTextSearch
from synalinks_nb.datasets import (
    Dataset,
    MarkdownDataset,
    MarkdownDocument,
    MarkdownSection,
    TextDataset,
    TextDocument,
    parse_markdown_sections,
)
from synalinks_nb.datasets import (
    CSVDataset,
    HuggingFaceDataset,
    ImageFolderDataset,
    JSONDataset,
    JSONLDataset,
    ParquetDataset,
)
from synalinks_nb.optimizers import OMEGA
# Multimodal inputs and the batched (agent) metrics, at the top level as in Synalinks.
from synalinks_nb.modules import AudioInput, ImageInput
from synalinks_nb.metrics import BatchMetric, GapK, PassAtK, PassHatK
# Streamed tokens: the notebook's live output is registered for kernels (see below).
from synalinks_nb.language_models.streaming import TokenSink, register_kernel_sink
from synalinks_nb.rewards import (
    BatchReward,
    CosineSimilarity,
    ExactMatch,
    LMAsJudge,
    ProgramAsJudge,
    Reward,
)
from synalinks_nb.utils.registry import register_synalinks_serializable
# isort: on

# Synalinks' config functions at the top level (``synalinks.enable_logging()``...). They are
# methods of the one settings object, so ``config.reset()`` forgets what they set.
enable_logging = config.enable_logging
default_language_model = config.default_language_model
set_default_language_model = config.set_default_language_model
default_embedding_model = config.default_embedding_model
set_default_embedding_model = config.set_default_embedding_model
api_base = config.api_base
set_api_base = config.set_api_base
is_observability_enabled = config.is_observability_enabled
record_traces = config.record_traces
is_trace_recording_enabled = config.is_trace_recording_enabled

# Observability (Synalinks' MLflow switch).
enable_observability = config.enable_observability


def version() -> str:
    """The package version (Synalinks' ``synalinks.version()``)."""
    return __version__


def _notebook_token_sink() -> TokenSink:
    # In a kernel, streamed tokens go to a cell output updated in place; the notebook layer
    # is imported on the first streamed call there (the core never imports it).
    import importlib

    from synalinks_nb.language_models.streaming import WriterSink

    try:
        module = importlib.import_module("synalinks_nb.notebook.token_stream")
    except ImportError:  # the notebook extra is not installed: the headless sink then
        return WriterSink()
    sink: TokenSink = module.NotebookTokenSink()
    return sink


register_kernel_sink(_notebook_token_sink)


def __getattr__(name: str) -> object:
    # `sn.notebook` (widgets) is imported on first use: it pulls in anywidget and IPython,
    # which plain `import synalinks_nb` must not.
    if name == "notebook":
        import importlib

        return importlib.import_module("synalinks_nb.notebook")
    raise AttributeError(f"module 'synalinks_nb' has no attribute {name!r}")


__all__ = [
    "OMEGA",
    "Action",
    "And",
    "ApprovalPolicy",
    "Audio",
    "BatchReward",
    "Branch",
    "Callback",
    "ChainOfThought",
    "ChatMessage",
    "ChatMessages",
    "Concat",
    "Concatenate",
    "CosineSimilarity",
    "DataModel",
    "Decision",
    "EmbedKnowledge",
    "EmbeddedEntity",
    "EmbeddingModel",
    "EmbeddingModelOperationalMetric",
    "EmbeddingModelOptimizersOperationalMetric",
    "EmbeddingModelRewardsOperationalMetric",
    "EmbeddingRequest",
    "Embeddings",
    "Entities",
    "Entity",
    "ExactMatch",
    "Example",
    "Field",
    "FineScore",
    "FullTextSearch",
    "Generator",
    "GenericIO",
    "GenericInputs",
    "GenericOutputs",
    "GenericResult",
    "History",
    "HybridFTSSearch",
    "Identity",
    "Image",
    "InMask",
    "Initializer",
    "Input",
    "Instructions",
    "JsonDataModel",
    "KnowledgeBase",
    "KnowledgeGraph",
    "KnowledgeGraphs",
    "LMAsJudge",
    "LMOperationalMetric",
    "LMOptimizersOperationalMetric",
    "LMRewardsOperationalMetric",
    "Lambda",
    "LanguageModel",
    "LocalGraphSearch",
    "Metric",
    "Module",
    "MultiServerMCPClient",
    "Not",
    "Operation",
    "Or",
    "OutMask",
    "Prediction",
    "PredictionFailure",
    "Program",
    "ProgramAsJudge",
    "ProgramOperationalMetric",
    "Proposal",
    "Rating",
    "Rating10",
    "Rating20",
    "Relation",
    "Relations",
    "RetrieveKnowledge",
    "Reward",
    "Score",
    "ScriptedLanguageModel",
    "SelfCritique",
    "Sequential",
    "SimilaritySearch",
    "Stamp",
    "SymbolicDataModel",
    "Text2Cypher",
    "Text2SQL",
    "Tool",
    "Trainable",
    "UpdateKnowledge",
    "Variable",
    "Version",
    "Xor",
    "__version__",
    "api_base",
    "backend",
    "callbacks",
    "clear_session",
    "config",
    "datasets",
    "default_embedding_model",
    "default_language_model",
    "default_prompt_template",
    "disable_keras_backend",
    "enable_logging",
    "errors",
    "get_seed",
    "initializers",
    "inspect_history",
    "is_chat_message",
    "is_chat_messages",
    "is_embedded",
    "is_embedded_entity",
    "is_embedding",
    "is_embeddings",
    "is_entities",
    "is_entity",
    "is_instructions",
    "is_knowledge_graph",
    "is_knowledge_graphs",
    "is_observability_enabled",
    "is_prediction",
    "is_relation",
    "is_relations",
    "is_stamped",
    "is_trace_recording_enabled",
    "is_trainable",
    "knowledge_bases",
    "metrics",
    "ops",
    "optimizers",
    "record_traces",
    "register_synalinks_serializable",
    "rewards",
    "saving",
    "set_api_base",
    "set_default_embedding_model",
    "set_default_language_model",
    "set_seed",
    "synalinks_home",
    "traces",
    "trainers",
    "tree",
    "tuners",
    "utils",
    "version",
]

# Agents and chat (Synalinks' agents guide and conversational applications).
__all__ += [
    "ChatRole", "FunctionCallingAgent", "MultiDecision", "ToolCall", "ToolCallFunction",
    "ToolCalling", "is_strictly_chat_message", "is_strictly_chat_messages", "is_tool_call",
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
__all__ += [  # multimodal inputs, batched (agent) metrics
    "AudioInput", "BatchMetric", "GapK", "ImageInput", "PassAtK", "PassHatK",
]

# Synalinks' graph function and variable scopes.
from synalinks_nb.programs.function import Function  # noqa: E402
from synalinks_nb.variables.scopes import StatelessScope, SymbolicScope, name_scope  # noqa: E402

__all__ += ["Function", "StatelessScope", "SymbolicScope", "name_scope"]

# Agents over a knowledge base (issue 19: Synalinks' SQL, Cypher and RAG agents).
__all__ += ["CypherAgent", "SQLAgent", "VectorRAGAgent"]
# GraphRAG's global search (issue 19).
__all__ += ["GlobalGraphMapReduce", "GlobalGraphSearch"]
# BM25 over a graph's entities and relations (issue 19).
__all__ += ["EntityFullTextSearch", "RelationFullTextSearch"]
# Synalinks' streaming datasets over documents (issue 19).
__all__ += ["Dataset", "MarkdownDataset", "MarkdownDocument", "MarkdownSection", "TextDataset",
            "TextDocument", "parse_markdown_sections"]
# Synalinks' file datasets (issue 19).
__all__ += ["CSVDataset", "ImageFolderDataset", "JSONDataset", "JSONLDataset", "ParquetDataset"]
__all__ += ["HuggingFaceDataset"]  # reads a local copy, never downloads

# Observability: Synalinks' hooks and its MLflow switch.
__all__ += ["enable_observability", "hooks"]
