"""From data-model schemas to DuckDB tables, and rows back to JSON.

A table is named after its schema's ``title`` and has one column per
property; the first property is the primary key (Synalinks' convention: no
synthetic id is added, so an existing file keeps its keys). Strings, integers,
numbers and booleans get their SQL types; anything else (lists, objects,
unions) is stored as JSON text and parsed back when read. A knowledge base with
an embedding model adds an ``embedding FLOAT[dim]`` column, ``dim`` learnt from
the first vector, so DuckDB's built-in ``array_cosine_similarity`` and friends
rank rows without the ``vss`` extension.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError

__all__ = ["EMBEDDING", "TableSpec", "quote"]

EMBEDDING = "embedding"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}


def quote(name: str) -> str:
    """``name`` as a quoted SQL identifier, after checking it is a plain identifier."""
    if not _IDENTIFIER.match(name):
        raise KnowledgeBaseError(
            "Expected a table or column name made of letters, digits and underscores. "
            f"Received: {name!r}")
    return f'"{name}"'


def _sql_type(prop: dict[str, Any]) -> str:
    kind = prop.get("type")
    if isinstance(kind, str) and kind in _SQL_TYPES:
        return _SQL_TYPES[kind]
    return "JSON"


@dataclass(frozen=True)
class TableSpec:
    """One table: its name, typed columns (primary key first) and source schema."""

    name: str
    columns: tuple[tuple[str, str], ...]
    schema: dict[str, Any]

    @classmethod
    def from_schema(cls, schema: dict[str, Any]) -> TableSpec:
        """The table of a data model's JSON schema."""
        title = schema.get("title")
        properties = {k: v for k, v in (schema.get("properties") or {}).items()
                      if k != EMBEDDING}
        if not isinstance(title, str) or not properties:
            raise KnowledgeBaseError(
                "Expected a data model schema with a title and at least one field besides "
                f"'embedding'. Received: title={title!r}, fields={list(properties)}")
        for name in (title, *properties):
            quote(name)  # refuses names that could not be plain SQL identifiers
        columns = tuple((name, _sql_type(prop)) for name, prop in properties.items())
        return cls(name=title, columns=columns, schema=schema)

    @property
    def key(self) -> str:
        """The primary-key column (the first field)."""
        return self.columns[0][0]

    @property
    def text_columns(self) -> list[str]:
        """The VARCHAR columns, which full-text search indexes."""
        return [name for name, kind in self.columns if kind == "VARCHAR"]

    @property
    def json_columns(self) -> set[str]:
        """Columns stored as JSON text."""
        return {name for name, kind in self.columns if kind == "JSON"}

    def create_sql(self, dim: int | None) -> str:
        """``CREATE TABLE IF NOT EXISTS`` for this table (with a vector column if ``dim``)."""
        parts = [f"{quote(name)} {kind}" + (" PRIMARY KEY" if i == 0 else "")
                 for i, (name, kind) in enumerate(self.columns)]
        if dim is not None:
            parts.append(f"{quote(EMBEDDING)} FLOAT[{dim}]")
        return f"CREATE TABLE IF NOT EXISTS {quote(self.name)} ({', '.join(parts)})"

    def row_values(self, record: dict[str, Any]) -> list[Any]:
        """The column values of a record, JSON columns serialised."""
        if record.get(self.key) is None:
            raise KnowledgeBaseError(
                f"Expected the primary key {self.key!r} (the first field of {self.name}) to "
                f"have a value. Received: {record!r}")
        json_columns = self.json_columns
        return [json.dumps(record.get(name)) if name in json_columns else record.get(name)
                for name, _ in self.columns]

    def text_of(self, record: dict[str, Any]) -> str:
        """What is embedded for a record: its string fields, one per line."""
        return "\n".join(str(record[name]) for name in self.text_columns
                         if record.get(name) is not None)

    def to_json(self, row: dict[str, Any]) -> dict[str, Any]:
        """A row read back from DuckDB as the record's JSON (JSON columns parsed)."""
        json_columns = self.json_columns
        return {name: json.loads(value) if name in json_columns and isinstance(value, str)
                else value for name, value in row.items()}
