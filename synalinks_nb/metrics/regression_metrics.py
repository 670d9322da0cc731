"""``CosineSimilarity`` as a metric: the mean cosine similarity of both sides' embeddings.

The reward of the same name (:class:`~synalinks_nb.rewards.CosineSimilarity`) scores one
prediction; this metric averages it over the run, as Synalinks' metric does. The two share
a class name, so the metric is registered for saving as ``"metrics>CosineSimilarity"``.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.metrics.metric import Metric
from synalinks_nb.rewards.cosine_similarity import CosineSimilarity as CosineReward
from synalinks_nb.rewards.reward import mask_patterns
from synalinks_nb.utils.registry import register_synalinks_serializable

__all__ = ["CosineSimilarity"]


@register_synalinks_serializable(package="metrics")
class CosineSimilarity(Metric):
    """Mean cosine similarity of the embeddings of both sides' field values, in [0, 1].

    Args:
        name: the log key (default ``"cosine_similarity"``).
        axis: Synalinks' argument; a text is one vector here, so only ``-1`` is accepted.
        embedding_model: the embedding model (default: ``sn.EmbeddingModel()``).
        in_mask, out_mask, in_mask_pattern, out_mask_pattern: as for every metric.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> m = CosineSimilarity(embedding_model=sn.EmbeddingModel("hashing/16"))
        >>> asyncio.run(m.update_state({"answer": "a cat"}, {"answer": "a cat"}))
        >>> round(m.result(), 6)
        1.0
    """

    def __init__(self, name: str | None = None, axis: int = -1, embedding_model: Any = None,
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None,
                 out_mask_pattern: str | None = None) -> None:
        if axis != -1:
            raise ValueError(f"Expected axis=-1 (one vector per text). Received: axis={axis!r}")
        super().__init__(name=name or "cosine_similarity", in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.axis = axis
        self._reward = CosineReward(embedding_model)
        self.embedding_model = self._reward.embedding_model
        self.reset_state()

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        self.total += await self._reward(self._prepare(y_true), self._prepare(y_pred))
        self.count += 1

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0

    def get_config(self) -> dict[str, Any]:
        model = self.embedding_model
        return {"name": self.name, "axis": self.axis, "in_mask": self.in_mask,
                "out_mask": self.out_mask, **mask_patterns(self),
                "embedding_model": model.get_config() if hasattr(model, "get_config") else None}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CosineSimilarity:
        config = dict(config)
        if isinstance(config.get("embedding_model"), dict):
            from synalinks_nb.language_models import EmbeddingModel

            config["embedding_model"] = EmbeddingModel.from_config(config["embedding_model"])
        return cls(**config)
