"""The DuckDB connection of a knowledge base: opened once, sandboxed, used by one thread at a time.

The connection is opened with ``enable_external_access = false`` (SQL cannot read
or write other files, nor the network) and with extension auto-install and
auto-load off, so nothing is ever downloaded: only DuckDB's built-in functions
are used (the array distance functions for vectors, our own SQL for BM25).
A DuckDB connection is not safe for concurrent use, so every statement runs in
a worker thread under one lock; the event loop stays free meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from synalinks_nb.errors import KnowledgeBaseError, MissingDependencyError, ReadOnlyQueryError
from synalinks_nb.knowledge_bases.bm25 import TOKENS_MACRO

__all__ = ["DuckDBStore", "import_duckdb", "parse_uri", "run_sql"]

T = TypeVar("T")

MEMORY = ":memory:"


def import_duckdb() -> Any:
    """Import ``duckdb``, or explain how to install it."""
    try:
        import duckdb
    except ImportError as exc:
        raise MissingDependencyError("duckdb", "knowledge", "Knowledge bases") from exc
    return duckdb


def parse_uri(uri: str | None, name: str) -> str:
    """The database path of a ``duckdb://`` URI (``":memory:"`` stays in memory).

    Example:
        >>> parse_uri("duckdb://:memory:", "kb")
        ':memory:'
        >>> parse_uri("duckdb://notes.db", "kb")
        'notes.db'
    """
    if uri is None:
        from synalinks_nb.config import config

        folder = config.home / "knowledge_bases"
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder / f"{name}.db")
    path = uri.removeprefix("duckdb://")
    if "://" in path or not path:
        raise KnowledgeBaseError(
            "Expected uri to be 'duckdb://<path>', 'duckdb://:memory:' or a file path. "
            f"Received: uri={uri!r}")
    return path


def run_sql(c: Any, sql: str, params: Any, read_only: bool, limit: int | None
            ) -> list[dict[str, Any]]:
    """Run SQL on connection ``c`` (see ``KnowledgeBase.sql``); rows as dicts."""
    duckdb = import_duckdb()
    try:
        if read_only:
            for statement in c.extract_statements(sql):
                if statement.type.name != "SELECT":
                    raise ReadOnlyQueryError(
                        "Expected only SELECT statements (read_only=True). "
                        f"Received a {statement.type.name} statement in: {sql!r}")
        query = sql if limit is None else (
            f"SELECT * FROM ({sql.rstrip().rstrip(';')}) LIMIT {int(limit)}")
        cursor = c.execute(query, params or {})
    except duckdb.Error as exc:
        raise KnowledgeBaseError(f"DuckDB refused the query {sql!r}: {exc}") from exc
    if cursor.description is None:
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class DuckDBStore:
    """One sandboxed DuckDB connection.

    Args:
        path: a database file (created if missing) or ``":memory:"``.
    """

    def __init__(self, path: str) -> None:
        duckdb = import_duckdb()
        if path != MEMORY:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._connection: Any = duckdb.connect(path, config={
            "enable_external_access": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        })
        self._connection.execute(TOKENS_MACRO)

    @property
    def connection(self) -> Any:
        """The open connection; use only inside :meth:`run`."""
        if self._connection is None:
            raise KnowledgeBaseError(
                f"Expected an open knowledge base. Received: one closed ({self.path})")
        return self._connection

    def call(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(connection)`` now, in this thread, under the lock."""
        with self._lock:
            return fn(self.connection)

    async def run(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(connection)`` in a worker thread under the lock."""
        return await asyncio.to_thread(self.call, fn)

    def close(self) -> None:
        """Close the connection (releases the file lock)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
