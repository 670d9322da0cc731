"""An on-disk cache of embedding vectors: one SQLite file, one row per (model, text).

Embedding a corpus is the slow part of building a knowledge base with the
embedded model (tens of milliseconds per chunk on two cores), and rebuilding
one after a kernel restart embeds the same texts again. The cache keys each
vector by the SHA-256 of the model id and the exact text, so a changed chunk
misses and an unchanged one does not.

SQLite (standard library) rather than one JSON file per entry as for language
model answers: a corpus has thousands of small vectors, and one file with a
primary-key index keeps lookups of a whole batch to one query. Vectors are
stored as little-endian float32, which is what every embedding backend
produces; reading them back gives the same floats to float32 precision.

Example:
    >>> import tempfile
    >>> cache = EmbeddingCache(tempfile.mkdtemp())
    >>> cache.put("m", ["hello"], [[0.5, -0.25]])
    >>> cache.get_many("m", ["hello", "unknown"])
    [[0.5, -0.25], None]
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["EmbeddingCache"]

_FILE_NAME = "embeddings.sqlite"


def _key(model: str, text: str) -> str:
    # The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def _pack(vector: Sequence[float]) -> bytes:
    return struct.pack(f"<{len(vector)}f", *vector)


def _unpack(blob: bytes) -> list[float]:
    return list(struct.unpack(f"<{len(blob) // 4}f", blob))


class EmbeddingCache:
    """A folder holding ``embeddings.sqlite``.

    Args:
        path: the folder; defaults to ``<config.home>/cache/embeddings``.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._path = Path(path).expanduser() if path is not None else None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The cache folder (created on first use)."""
        if self._path is None:
            from synalinks_nb.config import config

            self._path = config.home / "cache" / "embeddings"
        return self._path

    def _connect(self) -> sqlite3.Connection:
        import sqlite3  # on first use: most sessions never cache embeddings

        self.path.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path / _FILE_NAME, timeout=30)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        return connection

    def get_many(self, model: str, texts: Sequence[str]) -> list[list[float] | None]:
        """The cached vector of each text, ``None`` where there is none."""
        keys = [_key(model, text) for text in texts]
        found: dict[str, list[float]] = {}
        with self._lock:
            connection = self._connect()
            try:
                # SQLite limits the number of bound parameters; 500 stays far below it.
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = connection.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk)
                    found.update((key, _unpack(blob)) for key, blob in rows)
            finally:
                connection.close()
        return [found.get(key) for key in keys]

    def put(self, model: str, texts: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Store one vector per text (replacing any previous one)."""
        if len(texts) != len(vectors):
            raise ValueError(
                f"Expected one vector per text. Received: {len(texts)} texts and "
                f"{len(vectors)} vectors")
        rows = [(_key(model, text), _pack(vector)) for text, vector in zip(texts, vectors,
                                                                          strict=True)]
        with self._lock:
            connection = self._connect()
            try:
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)
            finally:
                connection.close()

    def __repr__(self) -> str:
        return f"EmbeddingCache(path={str(self.path)!r})"
