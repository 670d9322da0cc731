"""Writing records: group by table, embed what has no vector, upsert, re-index for BM25.

Rows reach DuckDB as one registered pandas frame per table and one
``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` (tens of milliseconds for 10,000
rows, where one ``executemany`` row at a time takes seconds).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.bm25 import BM25Index
from synalinks_nb.knowledge_bases.tables import EMBEDDING, TableSpec, quote

if TYPE_CHECKING:
    from synalinks_nb.knowledge_bases.knowledge_base import KnowledgeBase

__all__ = ["is_batches", "write_records"]


def is_batches(value: Any) -> bool:
    """Whether ``value`` is a dataset: iterable, but not a record or a list of records."""
    # Data models iterate over their fields: having a JSON view rules them out.
    return isinstance(value, Iterable) and not isinstance(value, list | tuple | dict | str) \
        and not hasattr(value, "get_json")


def _as_json(record: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    if not (hasattr(record, "get_json") and hasattr(record, "get_schema")):
        raise KnowledgeBaseError(
            "Expected data models (DataModel or JsonDataModel instances) to store. "
            f"Received: {type(record).__name__}")
    return record.get_schema(), record.get_json()


async def write_records(kb: KnowledgeBase, records: list[Any]) -> list[Any]:
    """Upsert ``records`` into ``kb``; returns their primary keys in order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    keys: list[Any] = []
    for record in records:
        schema, value = _as_json(record)
        spec = kb.tables.get(str(schema.get("title")))
        if spec is None:
            spec = TableSpec.from_schema(schema)
            kb.tables[spec.name] = spec
        spec.row_values(value)  # checks the primary key now, before anything is written
        groups.setdefault(spec.name, []).append(value)
        keys.append(value[spec.key])
    for name, values in groups.items():
        spec = kb.tables[name]
        vectors = await _vectors(kb, spec, values)
        await kb.store.run(functools.partial(_upsert, spec=spec, values=values, vectors=vectors))
    return keys


async def _vectors(kb: KnowledgeBase, spec: TableSpec, values: list[dict[str, Any]]
                   ) -> list[list[float]] | None:
    given = [v.get(EMBEDDING) for v in values]
    if kb.embedding_model is None and all(g is None for g in given):
        return None
    missing = [i for i, g in enumerate(given) if g is None]
    if missing and kb.embedding_model is not None:
        texts = [spec.text_of(values[i]) for i in missing]
        computed = (await kb.embedding_model(texts))["embeddings"]
        for i, vector in zip(missing, computed, strict=True):
            given[i] = vector
    dims = {len(g) for g in given if g is not None}
    if len(dims) > 1:
        raise KnowledgeBaseError(
            f"Expected embeddings of one dimension in table {spec.name}. Received: {sorted(dims)}")
    return [list(map(float, g)) if g is not None else None for g in given]  # type: ignore[misc]


def _upsert(c: Any, spec: TableSpec, values: list[dict[str, Any]],
            vectors: list[list[float]] | None) -> None:
    import pandas as pd  # imported on first write: `import synalinks_nb` stays light
    dim = next((len(v) for v in vectors or [] if v is not None), None)
    c.execute(spec.create_sql(dim))
    index = BM25Index(spec)
    for statement in index.create_sql():
        c.execute(statement)
    has_vector = c.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND "
        "column_name = ?", [spec.name, EMBEDDING]).fetchall()
    has_vector = has_vector[0] if has_vector else None
    columns = [name for name, _ in spec.columns]
    frame = pd.DataFrame({name: pd.Series([row[i] for row in map(spec.row_values, values)],
                                          dtype=object) for i, name in enumerate(columns)})
    selects = [f"CAST({quote(n)} AS {kind})" for n, kind in spec.columns]
    if has_vector is not None and vectors is not None:
        frame[EMBEDDING] = pd.Series(vectors, dtype=object)
        columns.append(EMBEDDING)
        selects.append(f"CAST({quote(EMBEDDING)} AS {has_vector[0]})")
    updates = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in columns[1:])
    conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    c.register("__sn_incoming", frame)
    try:
        c.execute(f"INSERT INTO {quote(spec.name)} ({', '.join(map(quote, columns))}) "
                  f"SELECT {', '.join(selects)} FROM __sn_incoming "
                  f"ON CONFLICT ({quote(spec.key)}) {conflict}")
    finally:
        c.unregister("__sn_incoming")
    ids = [str(v[spec.key]) for v in values]
    for statement in index.index_sql():
        c.execute(statement, {"ids": ids})
