"""``hashing/<dim>``: a cheap, deterministic embedding for tests and benchmarks.

Each lower-cased word and each character trigram of a word is hashed (BLAKE2b,
so the result does not depend on ``PYTHONHASHSEED``) to one of ``dim`` signed
buckets; the counts are L2-normalised. Texts that share words or word pieces get
a positive cosine similarity, unrelated texts about zero. It knows nothing of
meaning (no synonyms), so it is no substitute for a real model on retrieval
quality; it is a fast stand-in where the vectors only need to be stable: unit
tests of vector search, and indexing-throughput benchmarks of the engine rather
than of the model.

Example:
    >>> a, b, c = hashing_embeddings(["the cat sat", "a cat sat down", "stock prices"], 64)
    >>> round(sum(x * y for x, y in zip(a, b)), 2) > round(sum(x * y for x, y in zip(a, c)), 2)
    True
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

from synalinks_nb.errors import ConfigError

__all__ = ["hashing_dimension", "hashing_embeddings"]

_WORD = re.compile(r"\w+")


def hashing_dimension(model: str) -> int:
    """The dimension named by a ``hashing/<dim>`` model id."""
    text = model.removeprefix("hashing/")
    if not text.isdigit() or not 2 <= int(text) <= 65536:
        raise ConfigError(
            "Expected 'hashing/<dimension>' with a dimension between 2 and 65536. "
            f"Received: model={model!r}")
    return int(text)


def _features(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    grams = [f"#{w[i:i + 3]}" for w in words for i in range(max(1, len(w) - 2))]
    return words + grams


def _vector(text: str, dim: int) -> list[float]:
    vector = [0.0] * dim
    for feature in _features(text):
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        vector[value % dim] += 1.0 if value >> 63 else -1.0
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm else vector


def hashing_embeddings(texts: Sequence[str], dim: int) -> list[list[float]]:
    """One unit vector (or zeros, for a text without words) per text."""
    return [_vector(text, dim) for text in texts]
