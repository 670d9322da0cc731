"""``KnowledgeBase``: records of data models in an embedded DuckDB file, searchable three ways.

Each data model is one table (named after the model, primary key = first field;
see :mod:`~synalinks_nb.knowledge_bases.tables`). ``update`` upserts records,
embeds them when the knowledge base has an embedding model, and re-indexes
their text for BM25 (:mod:`~synalinks_nb.knowledge_bases.bm25`). Searches:

* ``similarity_search`` — vectors, ranked by DuckDB's built-in
  ``array_cosine_similarity`` (or ``array_distance``/``array_inner_product``),
  an exact scan: no HNSW index, since the ``vss`` extension cannot be installed
  offline (fine up to ~10⁵ rows; see ``bench/bench_retrieval.py``);
* ``fulltext_search`` — BM25 in SQL;
* ``hybrid_fts_search`` — both, fused by reciprocal rank (RRF);
* ``regex_search`` and raw ``sql`` (read-only by default).

The graph side (``graph_uri``, entities, relations, Cypher, graph searches) is
:mod:`~synalinks_nb.knowledge_bases.graph_methods`, mixed in.

Names and arguments follow Synalinks' ``KnowledgeBase``. Differences: a record
without an ``embedding`` field is embedded by the knowledge base's model from its
string fields (Synalinks stores no vector then); a list of query texts is answered
by fusing each text's ranking (RRF); the graph side of a knowledge base opened
without URIs opens on first use (so LadybugDB is needed only when used); communities
and PageRank (``build_communities``) are computed in Python, not by LadybugDB's ``algo``
extension, and Louvain takes any number of node labels; entity and relation full-text
search use the tables' BM25 (``graph_fulltext``); regex and path searches over the graph
are not implemented.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.bm25 import BM25Index
from synalinks_nb.knowledge_bases.graph import GraphStore
from synalinks_nb.knowledge_bases.graph_methods import GraphMethods
from synalinks_nb.knowledge_bases.queries import query_vectors, texts_of
from synalinks_nb.knowledge_bases.results import format_rows, reciprocal_rank_fusion, record_of
from synalinks_nb.knowledge_bases.store import DuckDBStore, import_duckdb, parse_uri, run_sql
from synalinks_nb.knowledge_bases.tables import EMBEDDING, TableSpec, quote
from synalinks_nb.knowledge_bases.writer import is_batches, write_records

__all__ = ["METRICS", "KnowledgeBase"]

#: metric -> (DuckDB function, ORDER BY direction)
METRICS = {
    "cosine": ("array_cosine_similarity", "DESC"),
    "ip": ("array_inner_product", "DESC"),
    "l2": ("array_distance", "ASC"),
}


class KnowledgeBase(GraphMethods):
    """Records in DuckDB with vector, BM25 and hybrid search; a LadybugDB knowledge graph.

    With neither ``uri`` nor ``graph_uri``, both stores live under
    ``<config.home>/knowledge_bases/`` (``<name>.db`` and ``<name>.lb``); with one of
    them, only that store exists.

    Args:
        uri: ``"duckdb://<path>"``, ``"duckdb://:memory:"`` or a file path.
        graph_uri: ``"ladybug://<path>"`` or ``"ladybug://:memory:"`` (extra ``graph``).
        data_models: the data models (classes or instances) whose tables to create.
        entity_models, relation_models: the entity and relation models whose node and
            edge tables to create (others are created when first stored).
        embedding_model: an :class:`~synalinks_nb.EmbeddingModel` (or its id) for
            vector and hybrid search; ``None`` for full-text search only.
        metric: ``"cosine"`` (default), ``"l2"`` or ``"ip"`` (inner product).
        wipe_on_start: drop the data models' tables (and every graph table) first.
        name: a display name, also the default file name.
        dedup_threshold: the cosine similarity from which a new entity is an existing
            node of its label (``1.0``: no de-duplication).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Note(sn.DataModel):
        ...     id: str
        ...     text: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Note],
        ...                       embedding_model="hashing/64")
        >>> _ = asyncio.run(kb.update([Note(id="1", text="Cats purr when content."),
        ...                            Note(id="2", text="Volcanoes erupt lava.")]))
        >>> [row["id"] for row in asyncio.run(kb.fulltext_search("cat", table_name="Note"))]
        ['1']
        >>> asyncio.run(kb.hybrid_fts_search("lava", table_name="Note", k=1))[0]["id"]
        '2'
    """

    def __init__(self, *, uri: str | None = None, graph_uri: str | None = None,
                 data_models: Sequence[Any] | None = None,
                 entity_models: Sequence[Any] | None = None,
                 relation_models: Sequence[Any] | None = None, embedding_model: Any = None,
                 metric: str = "cosine", wipe_on_start: bool = False, name: str | None = None,
                 dedup_threshold: float = 0.85) -> None:
        if metric not in METRICS:
            raise KnowledgeBaseError(
                f"Expected metric to be one of {sorted(METRICS)}. Received: metric={metric!r}")
        if isinstance(embedding_model, str):
            from synalinks_nb.language_models import EmbeddingModel

            embedding_model = EmbeddingModel(embedding_model)
        self.name = name or "knowledge_base"
        self.uri, self.graph_uri = uri, graph_uri
        self.embedding_model = embedding_model
        self.metric = metric
        self.wipe_on_start = wipe_on_start
        self.dedup_threshold = dedup_threshold
        pair = uri is None and graph_uri is None
        self._store = DuckDBStore(parse_uri(uri, self.name)) if uri or pair else None
        self.graph_path = self._graph_path(graph_uri, pair, self.name)
        self._graph_store: GraphStore | None = None
        self.entity_models = list(entity_models or [])
        self.relation_models = list(relation_models or [])
        if graph_uri is not None:
            _ = self.graph  # opened now: a wrong path or a missing extra shows here
        self.tables: dict[str, TableSpec] = {}
        self.data_models = list(data_models or [])
        for data_model in self.data_models:
            spec = TableSpec.from_schema(data_model.get_schema())
            self.tables[spec.name] = spec
            if wipe_on_start and self._store is not None:
                self.store.call(functools.partial(self._drop, spec=spec))

    @property
    def store(self) -> DuckDBStore:
        """The DuckDB store (tables), absent from a knowledge base opened with graph_uri only."""
        if self._store is None:
            raise KnowledgeBaseError(
                "Expected a knowledge base with tables (pass uri='duckdb://...'). "
                "Received one opened with graph_uri= alone")
        return self._store

    # -- writing -----------------------------------------------------------------------

    async def update(self, data_model_or_data_models: Any) -> Any:
        """Insert or replace records (upsert on the first field).

        Also takes a dataset (``sn.TextDataset(...)``, any iterable of ``(x,)`` or
        ``(x, y)`` batches), written batch by batch: its inputs are the records.

        Returns:
            The primary key of the record, or the list of keys for a list or a dataset.
        """
        if is_batches(data_model_or_data_models):
            keys: list[Any] = []
            for batch in data_model_or_data_models:
                keys += await write_records(self, list(batch[0]))
            return keys
        single = not isinstance(data_model_or_data_models, list | tuple)
        records = [data_model_or_data_models] if single else list(data_model_or_data_models)
        keys = await write_records(self, records)
        return keys[0] if single else keys

    async def delete(self, id_or_ids: Any, *, table_name: str) -> int:
        """Delete records by primary key; returns how many existed."""
        spec = self._table(table_name)
        ids = [str(i) for i in (id_or_ids if isinstance(id_or_ids, list) else [id_or_ids])]
        index = BM25Index(spec)

        def delete(c: Any) -> int:
            if not self._exists(c, spec.name):
                return 0
            where = f"CAST({quote(spec.key)} AS VARCHAR) IN (SELECT unnest($ids::VARCHAR[]))"
            count = int(c.execute(f"SELECT count(*) FROM {quote(spec.name)} WHERE {where}",
                                  {"ids": ids}).fetchall()[0][0])
            c.execute(f"DELETE FROM {quote(spec.name)} WHERE {where}", {"ids": ids})
            for statement in index.delete_sql():
                c.execute(statement, {"ids": ids})
            return count

        return await self.store.run(delete)

    async def drop_table(self, table_name: str) -> bool:
        """Drop a table and its index; ``False`` if it did not exist."""
        spec = self._table(table_name)
        return await self.store.run(lambda c: self._drop(c, spec))

    def _drop(self, c: Any, spec: TableSpec) -> bool:
        existed = self._exists(c, spec.name)
        c.execute(f"DROP TABLE IF EXISTS {quote(spec.name)}")
        for statement in BM25Index(spec).drop_sql():
            c.execute(statement)
        return existed

    # -- reading -----------------------------------------------------------------------

    async def get(self, id_or_ids: Any, *, table_name: str) -> Any:
        """Records by primary key (``None`` where missing), as ``JsonDataModel`` s (as in
        Synalinks) without the vector."""
        ids = id_or_ids if isinstance(id_or_ids, list) else [id_or_ids]
        spec = self._table(table_name)
        sql = (f"SELECT {self._columns(spec)} FROM {quote(spec.name)} "
               f"WHERE CAST({quote(spec.key)} AS VARCHAR) IN (SELECT unnest($ids::VARCHAR[]))")
        rows = await self._select(spec, sql, {"ids": [str(i) for i in ids]})
        by_key = {str(row[spec.key]): row for row in rows}
        found = [record_of(spec, by_key.get(str(i))) for i in ids]
        return found if isinstance(id_or_ids, list) else found[0]

    async def getall(self, *, table_name: str, limit: int = 50, offset: int = 0) -> list[Any]:
        """A page of records (``JsonDataModel`` s), in primary-key order."""
        spec = self._table(table_name)
        sql = (f"SELECT {self._columns(spec)} FROM {quote(spec.name)} "
               f"ORDER BY {quote(spec.key)} LIMIT $limit OFFSET $offset")
        rows = await self._select(spec, sql, {"limit": limit, "offset": offset})
        return [record_of(spec, row) for row in rows]

    async def sql(self, sql: str, *, params: dict[str, Any] | Sequence[Any] | None = None,
                  output_format: str = "json", read_only: bool = True,
                  limit: int | None = None) -> Any:
        """Run SQL; with ``read_only=True`` (default) only ``SELECT`` statements are accepted.

        ``params`` fill ``$name`` (a dict) or ``?`` (a list) placeholders. ``limit`` caps
        the rows of a single query (wrapped as ``SELECT * FROM (...) LIMIT``
        once checked), for queries a language model wrote.

        Raises:
            ReadOnlyQueryError: a statement other than SELECT in read-only mode.
            KnowledgeBaseError: DuckDB refused the query (its message included).
        """
        rows = await self.store.run(functools.partial(
            run_sql, sql=sql, params=params, read_only=read_only, limit=limit))
        return format_rows(rows, output_format)

    # -- searching ---------------------------------------------------------------------

    async def similarity_search(
        self, text_or_texts: str | Sequence[str] | None = None, *, table_name: str,
        vector_or_vectors: Sequence[Any] | None = None, k: int = 10,
        threshold: float | None = None, output_format: str = "json",
    ) -> Any:
        """Rows nearest to the query vectors (the texts embedded), best first, with ``score``.

        ``threshold`` keeps rows with a similarity at least that (cosine, ip) or a
        distance at most that (l2).
        """
        rows = await self._similarity(text_or_texts, vector_or_vectors, table_name, k, threshold)
        return format_rows(rows, output_format)

    async def fulltext_search(
        self, text_or_texts: str | Sequence[str], *, table_name: str, k: int = 10,
        threshold: float | None = None, conjunctive: bool = False,
        bm25_b: float | None = None, bm25_k: float | None = None, output_format: str = "json",
    ) -> Any:
        """Rows ranked by BM25 for the query words, best first, with ``score``.

        ``conjunctive=True`` keeps only rows containing every query term.
        """
        rows = await self._fulltext(texts_of(text_or_texts), table_name, k, threshold,
                                    conjunctive, bm25_b, bm25_k)
        return format_rows(rows, output_format)

    async def hybrid_fts_search(
        self, text_or_texts: str | Sequence[str] | None = None, *,
        keywords: str | Sequence[str] | None = None, table_name: str,
        vector_or_vectors: Sequence[Any] | None = None, k: int = 10, k_rank: int = 60,
        similarity_threshold: float | None = None, fulltext_threshold: float | None = None,
        conjunctive: bool = False, bm25_b: float | None = None, bm25_k: float | None = None,
        output_format: str = "json",
    ) -> Any:
        """Vector and BM25 rankings fused by reciprocal rank; BM25 alone without vectors.

        ``keywords`` (default: the texts) feed the BM25 side. Each side fetches at least 20
        candidates before fusion: with only ``k`` each, a row first on one side and absent
        from the other's short list ties with the other side's first row, and a good
        second opinion is lost.
        """
        spec = self._table(table_name)
        words = texts_of(keywords) or texts_of(text_or_texts)
        depth = max(2 * k, 20)
        rankings = [await self._fulltext(words, table_name, depth, fulltext_threshold,
                                         conjunctive, bm25_b, bm25_k)] if words else []
        if self.embedding_model is not None or vector_or_vectors is not None:
            rankings.append(await self._similarity(
                text_or_texts, vector_or_vectors, table_name, depth, similarity_threshold))
        rows = reciprocal_rank_fusion(rankings, spec.key, k, k_rank)
        return format_rows(rows, output_format)

    async def hybrid_search(self, *args: Any, **kwargs: Any) -> Any:
        """Synalinks' older name of :meth:`hybrid_fts_search`."""
        return await self.hybrid_fts_search(*args, **kwargs)

    async def regex_search(
        self, pattern: str, *, table_name: str, fields: Sequence[str] | None = None,
        case_sensitive: bool = True, k: int = 10, output_format: str = "json",
    ) -> Any:
        """Rows where any of ``fields`` (default: every string field) matches an RE2 pattern."""
        spec = self._table(table_name)
        columns = list(fields or spec.text_columns)
        for column in columns:
            if column not in spec.text_columns:
                raise KnowledgeBaseError(
                    f"Expected string fields of {spec.name} ({spec.text_columns}). "
                    f"Received: {column!r}")
        flags = "" if case_sensitive else "i"
        where = " OR ".join(f"regexp_matches({quote(c)}, $pattern, '{flags}')" for c in columns)
        sql = (f"SELECT {self._columns(spec)} FROM {quote(spec.name)} WHERE {where} "
               f"ORDER BY {quote(spec.key)} LIMIT $k")
        rows = await self._select(spec, sql, {"pattern": pattern, "k": k})
        return format_rows(rows, output_format)

    async def _fulltext(self, queries: list[str], table_name: str, k: int,
                        threshold: float | None, conjunctive: bool, b: float | None,
                        k1: float | None) -> list[dict[str, Any]]:
        spec = self._table(table_name)
        sql = BM25Index(spec).search_sql(conjunctive=conjunctive, threshold=threshold)
        rankings = [await self._select(spec, sql, BM25Index.params(q, k, k1, b))
                    for q in queries]
        return rankings[0] if len(rankings) == 1 else reciprocal_rank_fusion(
            rankings, spec.key, k)

    async def _similarity(self, texts: str | Sequence[str] | None, vectors: Sequence[Any] | None,
                          table_name: str, k: int, threshold: float | None
                          ) -> list[dict[str, Any]]:
        spec = self._table(table_name)
        queries = await query_vectors(self.embedding_model, texts, vectors)
        dim = await self.store.run(lambda c: self._vector_dim(c, spec.name))
        if dim is None:
            return []
        function, order = METRICS[self.metric]
        score = f"{function}({quote(EMBEDDING)}, $vector::FLOAT[{dim}])"
        keep = "" if threshold is None else (
            f"AND {score} {'<=' if order == 'ASC' else '>='} {float(threshold)!r}")
        sql = (f"SELECT {self._columns(spec)}, {score} AS score FROM {quote(spec.name)} "
               f"WHERE {quote(EMBEDDING)} IS NOT NULL {keep} "
               f"ORDER BY score {order}, {quote(spec.key)} LIMIT $k")
        for vector in queries:
            if len(vector) != dim:
                raise KnowledgeBaseError(
                    f"Expected query vectors of dimension {dim} (table {spec.name}). "
                    f"Received one of dimension {len(vector)}")
        rankings = [await self._select(spec, sql, {"vector": list(v), "k": k}) for v in queries]
        return rankings[0] if len(rankings) == 1 else reciprocal_rank_fusion(
            rankings, spec.key, k)

    # -- helpers -----------------------------------------------------------------------

    def _table(self, table_name: str) -> TableSpec:
        spec = self.tables.get(table_name)
        if spec is None:
            raise KnowledgeBaseError(
                f"Expected a table of this knowledge base ({sorted(self.tables)}). "
                f"Received: table_name={table_name!r}; pass its data model in data_models=[...]")
        return spec

    @staticmethod
    def _columns(spec: TableSpec) -> str:
        return ", ".join(quote(name) for name, _ in spec.columns)

    @staticmethod
    def _exists(c: Any, table: str) -> bool:
        row = c.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                        [table]).fetchall()
        return bool(row[0][0])

    @staticmethod
    def _vector_dim(c: Any, table: str) -> int | None:
        row = c.execute("SELECT data_type FROM information_schema.columns "
                        "WHERE table_name = ? AND column_name = ?", [table, EMBEDDING]).fetchall()
        if not row:
            return None
        return int(str(row[0][0]).split("[")[1].rstrip("]"))

    async def _select(self, spec: TableSpec, sql: str, params: dict[str, Any]
                      ) -> list[dict[str, Any]]:
        def run(c: Any) -> list[dict[str, Any]]:
            if not self._exists(c, spec.name):
                return []
            try:
                cursor = c.execute(sql, params)
            except import_duckdb().Error as exc:  # e.g. a regex pattern RE2 cannot parse
                raise KnowledgeBaseError(f"DuckDB refused the search on {spec.name}: {exc}") \
                    from exc
            names = [d[0] for d in cursor.description]
            return [spec.to_json(dict(zip(names, row, strict=True)))
                    for row in cursor.fetchall()]

        return await self.store.run(run)

    def get_symbolic_data_models(self) -> list[Any]:
        """One symbolic model per table (what ``Text2SQL`` shows the model)."""
        from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

        return [SymbolicDataModel(schema=spec.schema) for spec in self.tables.values()]

    def close(self) -> None:
        """Close the databases (releases the files for other processes)."""
        if self._store is not None:
            self._store.close()
        if self._graph_store is not None:
            self._graph_store.close()

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as JSON (data models by schema)."""
        from synalinks_nb.knowledge_bases.serialization import config_of

        return config_of(self)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> KnowledgeBase:
        """Reopen from :meth:`get_config` (an in-memory knowledge base comes back empty)."""
        from synalinks_nb.knowledge_bases.serialization import arguments_of

        return cls(**arguments_of(config))

    def __repr__(self) -> str:
        path = self._store.path if self._store is not None else None
        return (f"KnowledgeBase(name={self.name!r}, path={path!r}, graph={self.graph_path!r}, "
                f"tables={sorted(self.tables)})")
