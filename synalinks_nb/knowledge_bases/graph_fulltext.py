"""Full-text (BM25) search over a graph's entities and relations, with the tables' BM25.

LadybugDB's full-text index is an extension downloaded at run time, so the entities of
the searched label are ranked by the same BM25 as the knowledge base's tables
(:mod:`~synalinks_nb.knowledge_bases.bm25`: same tokeniser, same scores): their string
properties are copied into an in-memory DuckDB table, indexed and queried there. The
index lives for one search, which keeps it trivially in step with the graph; it costs a
scan of the label per search (fine for graphs of thousands of entities).

A relation matches when either endpoint matches: its score is the sum of the subject's
and the object's BM25 scores (Synalinks' rule), with ``matched_on`` saying which.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.bm25 import TOKENS_MACRO, BM25Index
from synalinks_nb.knowledge_bases.graph import GraphStore
from synalinks_nb.knowledge_bases.graph_models import clean_value
from synalinks_nb.knowledge_bases.graph_store import LadybugStore
from synalinks_nb.knowledge_bases.graph_tables import COMMUNITY_COLUMNS, identifier
from synalinks_nb.knowledge_bases.queries import texts_of
from synalinks_nb.knowledge_bases.store import import_duckdb
from synalinks_nb.knowledge_bases.tables import TableSpec

__all__ = ["entity_fulltext", "relation_fulltext"]

# An integer key: only ``text`` is a VARCHAR column, so only it is indexed.
_DOCS = TableSpec.from_schema({"title": "docs", "properties": {
    "id": {"type": "integer"}, "text": {"type": "string"}}})


def bm25_rank(documents: dict[str, str], queries: list[str], *, k: int,
              threshold: float | None, conjunctive: bool, b: float | None
              ) -> dict[str, float]:
    """Each document's best BM25 score over the queries, for the ``k`` best (id -> score).

    Example:
        >>> bm25_rank({"1": "owls hunt mice", "2": "bees make honey"}, ["honey"], k=5,
        ...           threshold=None, conjunctive=False, b=None)
        {'2': 0.6931471805599453}
    """
    connection = import_duckdb().connect()
    try:
        connection.execute(TOKENS_MACRO)
        connection.execute(_DOCS.create_sql(None))
        keys = list(documents)
        connection.executemany("INSERT INTO docs VALUES (?, ?)",
                               [(number, documents[key]) for number, key in enumerate(keys)])
        index = BM25Index(_DOCS)
        ids = {"ids": [str(number) for number in range(len(keys))]}
        for statement in index.create_sql() + index.index_sql():
            connection.execute(statement, ids if "$ids" in statement else None)
        best: dict[str, float] = {}
        sql = index.search_sql(conjunctive=conjunctive, threshold=threshold)
        for query in queries:
            cursor = connection.execute(sql, BM25Index.params(query, k, None, b))
            for number, _, score in cursor.fetchall():
                key = keys[int(number)]
                best[key] = max(best.get(key, 0.0), float(score))
    finally:
        connection.close()
    ranked = sorted(best, key=lambda d: (-best[d], d))[:k]
    return {d: best[d] for d in ranked}


def _node_json(node: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = clean_value(node)
    return {k: v for k, v in cleaned.items() if k not in COMMUNITY_COLUMNS}


async def entity_fulltext(graph: GraphStore, text_or_texts: str | Sequence[str] | None, *,
                          label: str, k: int, threshold: float | None, conjunctive: bool,
                          bm25_b: float | None) -> list[dict[str, Any]]:
    """``{<key>: value, "node": {...}, "score"}`` rows of ``label``, best first."""
    table = graph.node_table(label)
    queries = texts_of(text_or_texts)
    texts = [name for name, kind in table.columns.items() if kind == "STRING"]
    if not texts:
        raise KnowledgeBaseError(f"Expected string properties on {table.label} to search. "
                                 f"Received: {dict(table.columns)}")
    if not queries:
        return []
    rows = await graph.store.run(lambda s: s.execute(f"MATCH (n:{table.label}) RETURN n"))
    nodes = {str(row["n"][table.key]): row["n"] for row in rows}
    documents = {key: " ".join(str(node.get(c) or "") for c in texts)
                 for key, node in nodes.items()}
    scores = bm25_rank(documents, queries, k=k, threshold=threshold, conjunctive=conjunctive,
                       b=bm25_b)
    return [{table.key: nodes[key][table.key], "node": _node_json(nodes[key]), "score": score}
            for key, score in scores.items()]


async def relation_fulltext(graph: GraphStore, text_or_texts: str | Sequence[str] | None, *,
                            label: str, k: int, threshold: float | None, conjunctive: bool,
                            bm25_b: float | None) -> list[dict[str, Any]]:
    """Edges of ``label`` with an endpoint matching, scored by their endpoints' BM25."""
    rel = graph.catalog.rels.get(identifier(label))
    if rel is None:
        raise KnowledgeBaseError(f"Expected a relation label of this graph "
                                 f"({sorted(graph.catalog.rels)}). Received: label={label!r}")
    results: list[dict[str, Any]] = []
    options: dict[str, Any] = {"k": k, "threshold": threshold, "conjunctive": conjunctive,
                               "bm25_b": bm25_b}
    for subj_label, obj_label in sorted(rel.pairs):
        subj_key, obj_key = graph.node_table(subj_label).key, graph.node_table(obj_label).key
        subj_scores = {str(h[subj_key]): h["score"] for h in await entity_fulltext(
            graph, text_or_texts, label=subj_label, **options)}
        obj_scores = {str(h[obj_key]): h["score"] for h in await entity_fulltext(
            graph, text_or_texts, label=obj_label, **options)}
        if not subj_scores and not obj_scores:
            continue
        query = f"MATCH (s:{subj_label})-[r:{rel.label}]->(o:{obj_label}) RETURN s, r, o"
        rows = await graph.store.run(functools.partial(LadybugStore.execute, query=query))
        for row in rows:
            s_key, o_key = str(row["s"][subj_key]), str(row["o"][obj_key])
            s_score, o_score = subj_scores.get(s_key), obj_scores.get(o_key)
            if s_score is None and o_score is None:
                continue
            matched = "both" if s_score is not None and o_score is not None else (
                "subj" if s_score is not None else "obj")
            results.append({
                "subj": _node_json(row["s"]), "rel": clean_value(row["r"]),
                "obj": _node_json(row["o"]), "score": (s_score or 0.0) + (o_score or 0.0),
                "subj_score": s_score or 0.0, "obj_score": o_score or 0.0,
                "matched_on": matched, subj_key: row["s"][subj_key],
                (f"{obj_key}_1" if obj_key == subj_key else obj_key): row["o"][obj_key]})
    results.sort(key=lambda r: -float(r["score"]))
    return results[:k]
