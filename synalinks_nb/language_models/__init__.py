"""Language models: one protocol, three kinds of backend.

- :class:`ScriptedLanguageModel` — a deterministic fake for tests, docs and notebooks;
- ``LanguageModel("local/smollm2")`` — the embedded llama.cpp model, offline;
- ``LanguageModel("openai/...")`` and every other litellm id — providers.

All derive from :class:`BaseLanguageModel`, which owns validation, the repair
attempt, retries, the cache, usage per phase and the concurrency limit, so
every backend behaves the same. Nothing here imports litellm or llama_cpp at
import time.
"""

from __future__ import annotations

from synalinks_nb.language_models.base import (
    BaseLanguageModel,
    Completion,
    TransientError,
)
from synalinks_nb.language_models.cache import Cache
from synalinks_nb.language_models.embedding_model import EmbeddingModel
from synalinks_nb.language_models.language_model import LanguageModel
from synalinks_nb.language_models.registry import deserialize, get, serialize
from synalinks_nb.language_models.scripted import ScriptedCall, ScriptedLanguageModel
from synalinks_nb.language_models.settings import RetryPolicy, SamplingSettings
from synalinks_nb.language_models.streaming import (
    CallbackSink,
    TokenSink,
    TokenStream,
    WriterSink,
    quiet_streams,
    streaming_to,
    trajectory_scope,
)
from synalinks_nb.language_models.usage import (
    CallUsage,
    Usage,
    UsageReport,
    current_phase,
    usage_phase,
)

__all__ = [
    "BaseLanguageModel",
    "Cache",
    "CallUsage",
    "Completion",
    "EmbeddingModel",
    "LanguageModel",
    "RetryPolicy",
    "SamplingSettings",
    "ScriptedCall",
    "ScriptedLanguageModel",
    "TransientError",
    "Usage",
    "UsageReport",
    "current_phase",
    "deserialize",
    "get",
    "serialize",
    "usage_phase",
]
__all__ += [  # streamed answers: where tokens are shown, agents' trajectories
    "CallbackSink", "TokenSink", "TokenStream", "WriterSink", "quiet_streams", "streaming_to",
    "trajectory_scope",
]
