"""synalinks_nb: Keras-style programs of language-model calls, living in Jupyter."""

from __future__ import annotations

from synalinks_nb import errors, ops
from synalinks_nb.config import clear_session, config, get_seed, set_seed, synalinks_home
from synalinks_nb.data_models import (
    ChatMessage,
    ChatMessages,
    DataModel,
    Example,
    Field,
    Instructions,
    JsonDataModel,
    Prediction,
    Rating,
    Score,
    SymbolicDataModel,
    Trainable,
)
from synalinks_nb.language_models import EmbeddingModel, LanguageModel, ScriptedLanguageModel
from synalinks_nb.modules import (
    Action,
    And,
    Branch,
    ChainOfThought,
    Concat,
    Decision,
    EmbedKnowledge,
    FullTextSearch,
    Generator,
    HybridFTSSearch,
    Identity,
    InMask,
    Input,
    Lambda,
    Module,
    Not,
    Or,
    OutMask,
    SelfCritique,
    SimilaritySearch,
    Tool,
    UpdateKnowledge,
    Xor,
)
from synalinks_nb.programs import Program, Sequential
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
)
from synalinks_nb.callbacks import Callback, History
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.mcp import MultiServerMCPClient
from synalinks_nb.trainers import ApprovalPolicy, PredictionFailure, Proposal
# isort: on

def __getattr__(name: str) -> object:
    # `sn.notebook` (widgets) is imported on first use: it pulls in anywidget and IPython,
    # which plain `import synalinks_nb` must not.
    if name == "notebook":
        import importlib

        return importlib.import_module("synalinks_nb.notebook")
    raise AttributeError(f"module 'synalinks_nb' has no attribute {name!r}")


__all__ = [
    "Action",
    "And",
    "ApprovalPolicy",
    "Branch",
    "Callback",
    "ChainOfThought",
    "ChatMessage",
    "ChatMessages",
    "Concat",
    "DataModel",
    "Decision",
    "EmbedKnowledge",
    "EmbeddingModel",
    "Example",
    "Field",
    "FullTextSearch",
    "Generator",
    "History",
    "HybridFTSSearch",
    "Identity",
    "InMask",
    "Input",
    "Instructions",
    "JsonDataModel",
    "KnowledgeBase",
    "Lambda",
    "LanguageModel",
    "Module",
    "MultiServerMCPClient",
    "Not",
    "Or",
    "OutMask",
    "Prediction",
    "PredictionFailure",
    "Program",
    "Proposal",
    "Rating",
    "Score",
    "ScriptedLanguageModel",
    "SelfCritique",
    "Sequential",
    "SimilaritySearch",
    "SymbolicDataModel",
    "Tool",
    "Trainable",
    "UpdateKnowledge",
    "Variable",
    "Version",
    "Xor",
    "__version__",
    "callbacks",
    "clear_session",
    "config",
    "datasets",
    "errors",
    "get_seed",
    "knowledge_bases",
    "metrics",
    "ops",
    "optimizers",
    "rewards",
    "saving",
    "set_seed",
    "synalinks_home",
    "trainers",
]
