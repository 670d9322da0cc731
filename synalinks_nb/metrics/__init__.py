"""Metrics: summaries reported in logs, never optimized.

Example:
    >>> from synalinks_nb import metrics
    >>> metrics.get("f1_score")
    <F1Score name='f1_score'>
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.metrics.accuracy_metrics import Accuracy, BinaryAccuracy, CategoricalAccuracy
from synalinks_nb.metrics.agents_metrics import GapK, PassAtK, PassHatK
from synalinks_nb.metrics.batch_metric import BatchMetric
from synalinks_nb.metrics.em_metrics import (
    EMBEDDING_METRICS,
    EmbeddingModelOperationalMetric,
    EmbeddingModelOptimizersOperationalMetric,
    EmbeddingModelRewardsOperationalMetric,
)
from synalinks_nb.metrics.f_score_metrics import (
    BinaryF1Score,
    BinaryFBetaScore,
    CategoricalF1Score,
    CategoricalFBetaScore,
    F1Score,
    FBetaScore,
    ListF1Score,
    ListFBetaScore,
)
from synalinks_nb.metrics.lm_metrics import (
    LM_METRICS,
    LMOperationalMetric,
    LMOptimizersOperationalMetric,
    LMRewardsOperationalMetric,
)
from synalinks_nb.metrics.metric import Metric, metric_logs
from synalinks_nb.metrics.precision_recall_metrics import (
    BinaryPrecision,
    BinaryRecall,
    CategoricalPrecision,
    CategoricalRecall,
    ListPrecision,
    ListRecall,
    Precision,
    Recall,
)
from synalinks_nb.metrics.program_metrics import (
    ProgramAvgCostPerInvocation,
    ProgramCalls,
    ProgramCallsPerSecond,
    ProgramCost,
    ProgramElapsedTime,
    ProgramOperationalMetric,
)
from synalinks_nb.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from synalinks_nb.metrics.regression_metrics import CosineSimilarity
from synalinks_nb.metrics.usage_metrics import COUNTERS, LanguageModelUsage
from synalinks_nb.ops.operation import snake_case
from synalinks_nb.rewards._family import Family
from synalinks_nb.utils.registry import register_alias

__all__ = [
    "COUNTERS",
    "Accuracy",
    "BinaryAccuracy",
    "BinaryF1Score",
    "BinaryFBetaScore",
    "BinaryPrecision",
    "BinaryRecall",
    "CategoricalAccuracy",
    "CategoricalF1Score",
    "CategoricalFBetaScore",
    "CategoricalPrecision",
    "CategoricalRecall",
    "CosineSimilarity",
    "EmbeddingModelOperationalMetric",
    "EmbeddingModelOptimizersOperationalMetric",
    "EmbeddingModelRewardsOperationalMetric",
    "F1Score",
    "FBetaScore",
    "LMOperationalMetric",
    "LMOptimizersOperationalMetric",
    "LMRewardsOperationalMetric",
    "LanguageModelUsage",
    "ListF1Score",
    "ListFBetaScore",
    "ListPrecision",
    "ListRecall",
    "Mean",
    "MeanMetricWrapper",
    "Metric",
    "Precision",
    "ProgramAvgCostPerInvocation",
    "ProgramCalls",
    "ProgramCallsPerSecond",
    "ProgramCost",
    "ProgramElapsedTime",
    "ProgramOperationalMetric",
    "Recall",
    "Sum",
    "deserialize",
    "get",
    "metric_logs",
    "serialize",
]

__all__ += ["BatchMetric", "GapK", "PassAtK", "PassHatK"]

_FAMILY = Family("metric", Metric, wrap=MeanMetricWrapper)
for _cls in (Accuracy, BinaryAccuracy, CategoricalAccuracy, F1Score, FBetaScore, Precision,
             Recall, BinaryF1Score, BinaryFBetaScore, BinaryPrecision, BinaryRecall,
             CategoricalF1Score, CategoricalFBetaScore, CategoricalPrecision, CategoricalRecall,
             Mean, Sum, ProgramCalls, ProgramElapsedTime, ProgramCallsPerSecond, ProgramCost,
             ProgramAvgCostPerInvocation):
    _FAMILY.alias(snake_case(_cls.__name__), _cls)
    _default = getattr(_cls, "default_name", None)  # "fbeta_score", as Synalinks names it
    if isinstance(_default, str):
        _FAMILY.alias(_default, _cls)
_FAMILY.alias("cosine_similarity", CosineSimilarity)
for _sampled in (PassAtK, PassHatK, GapK):  # "pass_at_k"...
    _FAMILY.alias(snake_case(_sampled.__name__), _sampled)
# The earlier List* names: string ids, and the class names older files were saved under.
for _old, _cls in (("ListF1Score", ListF1Score), ("ListFBetaScore", ListFBetaScore),
                   ("ListPrecision", ListPrecision), ("ListRecall", ListRecall)):
    _FAMILY.alias(snake_case(_old), _cls)
    register_alias(_old, _cls)

# Synalinks' operational metrics (Cost, TotalTokens, AvgRewardLatency...): made from a
# table in lm_metrics, exported here under their class names and as string ids ("cost").
globals().update(LM_METRICS)
globals().update(EMBEDDING_METRICS)
__all__ += sorted([*LM_METRICS, *EMBEDDING_METRICS])
for _name, _lm_cls in [*LM_METRICS.items(), *EMBEDDING_METRICS.items()]:
    _FAMILY.alias(snake_case(_name), _lm_cls)


def get(identifier: Any) -> Metric:
    """A metric from an instance, a string id, a config dict or a function."""
    metric: Metric = _FAMILY.get(identifier)
    return metric


def serialize(metric: Metric) -> dict[str, Any]:
    """``{"class_name", "config"}`` for ``metric``."""
    return _FAMILY.serialize(metric)


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Metric:
    """The metric described by :func:`serialize`'s output."""
    metric: Metric = _FAMILY.deserialize(config, custom_objects)
    return metric
