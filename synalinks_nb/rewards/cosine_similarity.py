"""``CosineSimilarity``: semantic closeness of prediction and ground truth through embeddings."""

from __future__ import annotations

import json
import math
from typing import Any

from synalinks_nb.errors import ConfigError
from synalinks_nb.rewards.reward import Reward
from synalinks_nb.utils.registry import register_builtin, register_builtin_function

__all__ = ["CosineSimilarity", "cosine", "cosine_similarity"]


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine of two vectors (0.0 when either is null).

    Example:
        >>> cosine([1.0, 0.0], [1.0, 0.0]), cosine([1.0, 0.0], [0.0, 1.0])
        (1.0, 0.0)
    """
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _text(value: dict[str, Any]) -> str:
    parts = [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
             for v in value.values()]
    return "\n".join(parts)


def _check_axis(axis: int) -> None:
    # Each side is embedded as one text, so there is one vector per side and its own axis
    # is the only one; Synalinks' other axes index fields, which are joined here.
    if axis != -1:
        raise ConfigError("Expected axis=-1 (each side is one embedding vector here). "
                          f"Received: axis={axis!r}")


@register_builtin_function
async def cosine_similarity(y_true: Any, y_pred: Any, embedding_model: Any = None,
                            axis: int = -1) -> float:
    """The cosine of the embeddings of both sides' field values, clipped to [0, 1].

    Args:
        y_true: The ground truth (a dict, a data model, or ``None``: reward 0).
        y_pred: The prediction (same).
        embedding_model: As :class:`CosineSimilarity`'s (``None``: the default model).
        axis: Synalinks' keyword; only ``-1``, the vector's own axis, has a meaning here.

    Raises:
        ConfigError: ``axis`` is not ``-1``.

    Example:
        >>> import asyncio
        >>> async def embed(texts):
        ...     return {"embeddings": [[1.0, float("Paris" in t)] for t in texts]}
        >>> asyncio.run(cosine_similarity({"a": "Paris"}, {"a": "Rome"}, embed))
        0.7071067811865475
    """
    _check_axis(axis)
    if y_true is None or y_pred is None:
        return 0.0
    if embedding_model is None:
        from synalinks_nb.language_models import EmbeddingModel

        embedding_model = EmbeddingModel()
    texts = [_text(_as_dict(y_true)), _text(_as_dict(y_pred))]
    result = await embedding_model(texts)
    vectors = result["embeddings"] if isinstance(result, dict) else result
    return max(0.0, min(1.0, cosine(list(vectors[0]), list(vectors[1]))))


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else dict(value.get_json())


@register_builtin
class CosineSimilarity(Reward):
    """Cosine similarity of the embeddings of both sides' field values, clipped to [0, 1].

    Args:
        embedding_model: ``await embedding_model(texts)`` returning
            ``{"embeddings": [...]}`` (an :class:`~synalinks_nb.language_models.EmbeddingModel`)
            or a plain list of vectors.
        name, reduction, in_mask, out_mask: as for every reward.
        axis: Synalinks' keyword; only ``-1`` (each side is one vector here).

    Example:
        >>> import asyncio
        >>> async def embed(texts):
        ...     return {"embeddings": [[1.0, float("Paris" in t)] for t in texts]}
        >>> reward = CosineSimilarity(embed, in_mask=["answer"])
        >>> round(asyncio.run(reward({"answer": "Paris"}, {"answer": "Paris"})), 6)
        1.0
    """

    requires_labels = True

    def __init__(self, embedding_model: Any = None, name: str | None = None,
                 reduction: str = "mean", in_mask: list[str] | None = None,
                 out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None,
                 axis: int = -1) -> None:
        _check_axis(axis)
        super().__init__(name=name, reduction=reduction, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        if embedding_model is None:
            from synalinks_nb.language_models import EmbeddingModel

            embedding_model = EmbeddingModel()
        self.embedding_model = embedding_model

    async def call(self, y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None) -> float:
        return await cosine_similarity(y_true, y_pred, self.embedding_model)

    def get_config(self) -> dict[str, Any]:
        model = self.embedding_model
        config = model.get_config() if hasattr(model, "get_config") else None
        return {"embedding_model": config, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> CosineSimilarity:
        config = dict(config)
        model = config.pop("embedding_model", None)
        if isinstance(model, dict):
            from synalinks_nb.language_models import EmbeddingModel

            return cls(EmbeddingModel.from_config(model), **config)
        return cls(**config)
