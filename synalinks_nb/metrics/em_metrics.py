"""Synalinks' embedding-model operational metrics: tokens, vectors, cost, latency, failures.

Embedding models count their usage per phase as language models do (vectors included);
these metrics read the counters of every embedding model of the program they are bound to
(held by its modules and their knowledge bases, its metrics, reward or optimizer), as a
difference from the values at the last ``reset_state()``. One class per (phase, quantity),
with Synalinks' names: ``EmbeddingCost``, ``RewardEmbeddingCost``, ``AvgEmbeddingLatency``,
``AvgOptimizerEmbeddingLatency``... Throughputs divide by the wall-clock time with at least
one call in flight; cached tokens are those a provider reports (the disk cache's hits are
``Usage.cache_hits``).

Example:
    >>> import asyncio, synalinks_nb as sn
    >>> model = sn.EmbeddingModel("hashing/8")
    >>> vectors = sn.metrics.EmbeddingVectors()
    >>> vectors.bind_program(sn.rewards.CosineSimilarity(model))
    >>> _ = asyncio.run(model(["a cat", "a dog"]))
    >>> vectors.result(), sn.metrics.AvgEmbeddingVectorsPerCall().result()
    (2.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.language_models.usage import Usage, embedding_models_of
from synalinks_nb.metrics.lm_metrics import (
    LMOperationalMetric,
    make_classes,
    per_call,
    usage_ratio,
)

__all__ = ["EMBEDDING_METRICS", "EMBEDDING_QUANTITIES", "EmbeddingModelOperationalMetric",
           "EmbeddingModelOptimizersOperationalMetric",
           "EmbeddingModelRewardsOperationalMetric"]

EMBEDDING_QUANTITIES: dict[str, Callable[[Usage], float]] = {
    "EmbeddingTokens": lambda u: float(u.prompt_tokens),
    "EmbeddingVectors": lambda u: float(u.vectors),
    "EmbeddingCost": lambda u: float(u.cost),
    "EmbeddingThroughput": usage_ratio(lambda u: float(u.calls), lambda u: u.busy_s),
    "AvgEmbeddingLatency": per_call(lambda u: float(u.latency_s)),
    "EmbeddingTokensPerSecond": usage_ratio(lambda u: float(u.prompt_tokens),
                                            lambda u: u.busy_s),
    "EmbeddingVectorsPerSecond": usage_ratio(lambda u: float(u.vectors), lambda u: u.busy_s),
    "AvgEmbeddingTokensPerCall": per_call(lambda u: float(u.prompt_tokens)),
    "AvgEmbeddingVectorsPerCall": per_call(lambda u: float(u.vectors)),
    "AvgEmbeddingCostPerCall": per_call(lambda u: float(u.cost)),
    "AvgEmbeddingCachedTokensPerCall": per_call(lambda u: float(u.cached_tokens)),
    "EmbeddingCachedTokens": lambda u: float(u.cached_tokens),
    "EmbeddingCacheHitRate": usage_ratio(lambda u: float(u.cached_tokens),
                                         lambda u: float(u.prompt_tokens)),
    "EmbeddingFailedCalls": lambda u: float(u.failures),
    "EmbeddingFallbackActivations": lambda u: float(u.fallback_activations),
    "EmbeddingErrorRate": per_call(lambda u: float(u.failures)),
}
"""Quantity name (the inference-phase class name) -> how to compute it from a Usage delta."""


class EmbeddingModelOperationalMetric(LMOperationalMetric):
    """Base class: one usage quantity of the program's embedding models, in one phase."""

    _quantity = "EmbeddingTokens"
    _quantities = EMBEDDING_QUANTITIES

    def _models(self) -> list[Any]:
        return embedding_models_of(self.program) if self.program is not None else []


class EmbeddingModelRewardsOperationalMetric(EmbeddingModelOperationalMetric):
    """Base class of the metrics of embedding calls made by rewards."""

    _phase = "reward"


class EmbeddingModelOptimizersOperationalMetric(EmbeddingModelOperationalMetric):
    """Base class of the metrics of embedding calls made by optimizers."""

    _phase = "optimizer"


EMBEDDING_METRICS = make_classes(
    (EmbeddingModelOperationalMetric, EmbeddingModelRewardsOperationalMetric,
     EmbeddingModelOptimizersOperationalMetric),
    ("", "Reward", "Optimizer"), EMBEDDING_QUANTITIES, "embedding models", __name__)
"""Every embedding operational metric class, by name (48: 16 quantities in 3 phases)."""
