"""The LadybugDB connection of a knowledge graph, and the read-only guard for Cypher.

LadybugDB (the ``ladybug`` package, extra ``graph``) is an embedded property-graph
database queried in Cypher: a folder on disk or ``:memory:``, no server. As with
DuckDB, one connection serves the knowledge base, each statement runs in a worker
thread under one lock, and the event loop stays free.

Cypher has no statement type to check, as DuckDB's parser gives for SQL, so
``read_only`` queries are screened by keyword once comments and string literals
are removed: any clause that writes (``CREATE``, ``MERGE``, ``SET``, ``DELETE``...),
reads or writes files (``LOAD FROM``, ``COPY``, ``EXPORT``, ``IMPORT``), changes
the session (``ATTACH``, ``USE``, ``INSTALL``, transactions) or calls a procedure
outside a short list of catalog readers is refused, as is more than one statement.
The screen is conservative: a property named like one of those words (``n.set``) must be
back-quoted (``n.`set```) in a read-only query.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from synalinks_nb.errors import KnowledgeBaseError, MissingDependencyError, ReadOnlyQueryError

__all__ = ["LadybugStore", "check_read_only_cypher", "import_ladybug", "parse_graph_uri"]

T = TypeVar("T")

MEMORY = ":memory:"
_WRITE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|ALTER|COPY|LOAD|INSTALL|UNINSTALL|"
    r"ATTACH|USE|EXPORT|IMPORT|BEGIN|COMMIT|ROLLBACK|CHECKPOINT)\b", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
#: catalog procedures a read-only query may call
READ_PROCEDURES = frozenset({"show_tables", "table_info", "show_connection", "db_version",
                             "show_functions", "current_setting"})
_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`", re.DOTALL)
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


def import_ladybug() -> Any:
    """Import ``ladybug``, or explain how to install it."""
    try:
        import ladybug
    except ImportError as exc:
        raise MissingDependencyError("ladybug", "graph", "Knowledge graphs") from exc
    return ladybug


def parse_graph_uri(uri: str) -> str:
    """The database path of a ``ladybug://`` URI (``":memory:"`` stays in memory).

    Example:
        >>> parse_graph_uri("ladybug://:memory:"), parse_graph_uri("ladybug://geo.lb")
        (':memory:', 'geo.lb')
    """
    path = uri.removeprefix("ladybug://")
    if "://" in path or not path:
        raise KnowledgeBaseError(
            "Expected graph_uri to be 'ladybug://<path>', 'ladybug://:memory:' or a path. "
            f"Received: graph_uri={uri!r}")
    return path


def check_read_only_cypher(query: str) -> None:
    """Refuse a Cypher query that could write, touch files or run several statements.

    Raises:
        ReadOnlyQueryError: naming the keyword or procedure found.

    Example:
        >>> check_read_only_cypher("MATCH (n:City) WHERE n.name = 'SET' RETURN n.name")
        >>> check_read_only_cypher("MATCH (n) DETACH DELETE n")
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.ReadOnlyQueryError: Expected a read-only Cypher query ...
    """
    body = _STRINGS.sub("''", _COMMENTS.sub(" ", query))
    found = _WRITE.search(body)
    what = found.group(1).upper() if found else None
    call = _CALL.search(body)
    if what is None and call is not None and call.group(1).lower() not in READ_PROCEDURES:
        what = f"CALL {call.group(1)}"
    if what is not None:
        raise ReadOnlyQueryError(
            f"Expected a read-only Cypher query (read_only=True). Received one with {what}: "
            f"{query!r}")
    if body.strip().rstrip(";").count(";"):
        raise ReadOnlyQueryError(
            f"Expected one Cypher statement (read_only=True). Received several: {query!r}")


class LadybugStore:
    """One LadybugDB database and connection.

    Args:
        path: a database path (created if missing) or ``":memory:"``.
    """

    def __init__(self, path: str) -> None:
        ladybug = import_ladybug()
        if path != MEMORY:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._database: Any = ladybug.Database(path)
        self._connection: Any = ladybug.Connection(self._database)

    def execute(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one statement now, in this thread (hold the lock: use :meth:`call`)."""
        if self._connection is None:
            raise KnowledgeBaseError(
                f"Expected an open knowledge graph. Received: one closed ({self.path})")
        try:
            result = self._connection.execute(query, params or {})
        except RuntimeError as exc:  # the engine's parser, binder and runtime errors
            raise KnowledgeBaseError(f"LadybugDB refused the query {query!r}: {exc}") from exc
        if isinstance(result, list):  # several statements: the last one answers
            result = result[-1]
        names = result.get_column_names()
        return [dict(zip(names, row, strict=True)) for row in result.get_all()]

    def call(self, fn: Callable[[LadybugStore], T]) -> T:
        """Run ``fn(self)`` now, in this thread, under the lock."""
        with self._lock:
            return fn(self)

    async def run(self, fn: Callable[[LadybugStore], T]) -> T:
        """Run ``fn(self)`` in a worker thread under the lock."""
        return await asyncio.to_thread(self.call, fn)

    def close(self) -> None:
        """Close the connection and the database (releases the files)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._database.close()
                self._connection = None
