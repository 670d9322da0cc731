"""``cosine_similarity`` (Synalinks' reward function) and the ``axis`` keyword."""

from __future__ import annotations

import pytest

import synalinks_nb as synalinks
from synalinks_nb.errors import ConfigError


async def test_cosine_similarity_function_and_axis_keyword() -> None:
    async def embed(texts: list[str]) -> dict[str, list[list[float]]]:
        return {"embeddings": [[1.0, float("Paris" in t)] for t in texts]}

    same = await synalinks.rewards.cosine_similarity({"a": "Paris"}, {"a": "Paris"}, embed)
    other = await synalinks.rewards.cosine_similarity({"a": "Paris"}, {"a": "Rome"},
                                                       embedding_model=embed, axis=-1)
    assert same == pytest.approx(1.0) and other == pytest.approx(0.5 ** 0.5)
    assert await synalinks.rewards.cosine_similarity(None, {"a": "x"}, embed) == 0.0
    reward = synalinks.rewards.CosineSimilarity(embed, axis=-1)
    assert await reward({"a": "Paris"}, {"a": "Rome"}) == pytest.approx(other)
    with pytest.raises(ConfigError, match="axis"):
        synalinks.rewards.CosineSimilarity(embed, axis=0)
