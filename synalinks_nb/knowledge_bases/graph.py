"""``GraphStore``: entities and relations in LadybugDB, de-duplicated by embedding.

Writing an entity upserts its node by primary key (the first field after
``label``). When the entity has a vector (from :class:`~synalinks_nb.EmbedKnowledge`,
or from the knowledge base's embedding model, which embeds the string fields
but ``label`` of entities that come without one) and no node of its label has that key yet,
the nearest node of the label is looked up first: at a cosine similarity of
``dedup_threshold`` (0.85) or more the entity *is* that node and nothing is
written ("Eiffel tower" lands on "Eiffel Tower"). Writing a relation writes
its two endpoints the same way, then ``MERGE``-s the edge between the nodes they
resolved to, so the same (subject, label, object) is stored once. Synalinks
skips an edge whose endpoints are not stored yet; here they are stored.

Vector search is an exact scan with the engine's ``array_cosine_similarity``
(LadybugDB's vector index is an extension, downloaded at run time).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.graph_models import clean_value, graph_of, internal_id
from synalinks_nb.knowledge_bases.graph_store import LadybugStore, check_read_only_cypher
from synalinks_nb.knowledge_bases.graph_tables import (
    EDGE_FIELDS,
    GraphCatalog,
    NodeTable,
    columns_of_schema,
    columns_of_value,
    identifier,
    stored_value,
)
from synalinks_nb.knowledge_bases.queries import query_vectors
from synalinks_nb.knowledge_bases.results import format_rows, reciprocal_rank_fusion

__all__ = ["GraphStore"]

_NODE_SKIP = ("label", "embedding")


class GraphStore:
    """A LadybugDB graph with typed node and edge tables (see ``graph_tables``).

    Args:
        path: the database path or ``":memory:"``.
        entity_models, relation_models: models whose tables to create now.
        embedding_model: embeds entities that come without a vector, and query texts.
        dedup_threshold: the cosine similarity from which an entity is an existing
            node (``1.0`` turns de-duplication off).
    """

    def __init__(self, path: str, *, entity_models: Sequence[Any] = (),
                 relation_models: Sequence[Any] = (), embedding_model: Any = None,
                 dedup_threshold: float = 0.85, wipe_on_start: bool = False) -> None:
        if not 0.0 < dedup_threshold <= 1.0:
            raise KnowledgeBaseError("Expected dedup_threshold in (0, 1]. "
                                     f"Received: dedup_threshold={dedup_threshold!r}")
        self.store = LadybugStore(path)
        self.embedding_model = embedding_model
        self.dedup_threshold = dedup_threshold
        self.catalog = GraphCatalog()
        if wipe_on_start:
            self.store.call(self._wipe)
        self.store.call(self.catalog.load)
        self.store.call(lambda s: self._declare(s, entity_models, relation_models))

    def _wipe(self, s: LadybugStore) -> None:
        rows = s.execute("CALL show_tables() RETURN name, type")
        for row in sorted(rows, key=lambda r: r["type"] != "REL"):  # edges before nodes
            s.execute(f"DROP TABLE {identifier(row['name'])}")

    def _declare(self, s: LadybugStore, entities: Sequence[Any], relations: Sequence[Any]
                 ) -> None:
        for model in entities:
            schema = model.get_schema()
            label = (schema.get("properties", {}).get("label") or {}).get("const")
            self.catalog.node(s, label or schema["title"], columns_of_schema(schema, _NODE_SKIP),
                              None)
        for model in relations:
            schema = model.get_schema()
            props, defs = schema.get("properties", {}), schema.get("$defs", {})
            subj = self._endpoint_label(props.get("subj", {}), defs)
            obj = self._endpoint_label(props.get("obj", {}), defs)
            label = (props.get("label") or {}).get("const") or schema["title"]
            if subj is not None and obj is not None:  # open endpoints: wait for data
                self.catalog.rel(s, label, (subj, obj), columns_of_schema(schema, EDGE_FIELDS))

    @staticmethod
    def _endpoint_label(prop: dict[str, Any], defs: dict[str, Any]) -> str | None:
        ref = prop.get("$ref", "").rsplit("/", 1)[-1]
        label = (defs.get(ref, {}).get("properties", {}).get("label") or {}).get("const")
        return None if label is None else identifier(label)

    # -- writing -----------------------------------------------------------------------

    async def update_entities(self, entities: list[dict[str, Any]]) -> list[Any]:
        """Upsert entity records; returns the primary key each one resolved to."""
        await self._embed(entities)
        return await self.store.run(lambda s: [self._upsert_entity(s, e) for e in entities])

    async def update_relations(self, relations: list[dict[str, Any]]) -> list[Any]:
        """Upsert relations and their endpoints; returns ``[subj_key, label, obj_key]`` each."""
        ends = [r[end] for r in relations for end in ("subj", "obj")]
        await self._embed(ends)
        return await self.store.run(lambda s: [self._upsert_relation(s, r) for r in relations])

    async def _embed(self, entities: list[dict[str, Any]]) -> None:
        missing = [e for e in entities if e.get("embedding") is None]
        if not missing or self.embedding_model is None:
            return
        # The string fields, as the tables' records are embedded (numbers blur a name).
        texts = [" ".join(v for k, v in e.items() if k not in _NODE_SKIP and isinstance(v, str))
                 for e in missing]
        vectors = (await self.embedding_model(texts))["embeddings"]
        for entity, vector in zip(missing, vectors, strict=True):
            entity["embedding"] = vector

    def _upsert_entity(self, s: LadybugStore, entity: dict[str, Any]) -> Any:
        if not isinstance(entity, dict) or "label" not in entity:
            raise KnowledgeBaseError(f"Expected an entity with a 'label'. Received: {entity!r}")
        vector = entity.get("embedding")
        if vector is not None:
            self.catalog.check_vector(vector)
        table = self.catalog.node(s, entity["label"], columns_of_value(entity, _NODE_SKIP),
                                  len(vector) if vector is not None else None)
        key = entity.get(table.key)
        if key is None:
            raise KnowledgeBaseError(
                f"Expected the primary key {table.key!r} (the first field after 'label') of "
                f"{table.label} to have a value. Received: {entity!r}")
        if vector is not None and self.dedup_threshold < 1.0:
            twin = self._twin(s, table, key, vector)
            if twin is not None:
                return twin
        # None is "not said here" (a relation's endpoint often carries only the key): it
        # never overwrites a stored value.
        given = [n for n in table.columns if entity.get(n) is not None and n != table.key]
        sets = [f"n.{name} = ${name}" for name in given]
        params = {name: stored_value(entity[name], table.columns[name]) for name in given}
        if vector is not None:
            sets.append(f"n.embedding = CAST($__vector AS FLOAT[{len(vector)}])")
            params["__vector"] = [float(x) for x in vector]
        assign = f" SET {', '.join(sets)}" if sets else ""
        s.execute(f"MERGE (n:{table.label} {{{table.key}: $__key}}){assign}",
                  {"__key": key, **params})
        return key

    def _twin(self, s: LadybugStore, table: NodeTable, key: Any, vector: list[float]) -> Any:
        """The key of an existing node this entity duplicates, or ``None``."""
        label, pk = table.label, table.key
        if s.execute(f"MATCH (n:{label}) WHERE n.{pk} = $key RETURN n.{pk} AS id", {"key": key}):
            return None  # the same key: an update, not a duplicate
        rows = s.execute(
            f"MATCH (n:{label}) WHERE n.embedding IS NOT NULL WITH n, array_cosine_similarity("
            f"n.embedding, CAST($v AS FLOAT[{len(vector)}])) AS score WHERE score >= $t "
            f"RETURN n.{pk} AS id ORDER BY score DESC LIMIT 1",
            {"v": [float(x) for x in vector], "t": self.dedup_threshold})
        return rows[0]["id"] if rows else None

    def _upsert_relation(self, s: LadybugStore, relation: dict[str, Any]) -> list[Any]:
        if not all(isinstance(relation.get(k), dict) for k in ("subj", "obj")) or \
                "label" not in relation:
            raise KnowledgeBaseError(
                f"Expected a relation with 'subj', 'label' and 'obj'. Received: {relation!r}")
        subj = self._upsert_entity(s, relation["subj"])
        obj = self._upsert_entity(s, relation["obj"])
        a, b = identifier(relation["subj"]["label"]), identifier(relation["obj"]["label"])
        table = self.catalog.rel(s, relation["label"], (a, b),
                                 columns_of_value(relation, EDGE_FIELDS))
        given = [name for name in table.columns if relation.get(name) is not None]
        sets = [f"r.{name} = ${name}" for name in given]
        params = {name: stored_value(relation[name], table.columns[name]) for name in given}
        assign = f" SET {', '.join(sets)}" if sets else ""
        s.execute(f"MATCH (a:{a} {{{self.catalog.nodes[a].key}: $__s}}), "
                  f"(b:{b} {{{self.catalog.nodes[b].key}: $__o}}) "
                  f"MERGE (a)-[r:{table.label}]->(b){assign}", {"__s": subj, "__o": obj, **params})
        return [subj, table.label, obj]

    # -- reading -----------------------------------------------------------------------

    async def cypher(self, query: str, *, params: dict[str, Any] | None = None,
                     output_format: str = "json", read_only: bool = True) -> Any:
        """Run Cypher (read-only by default); nodes and edges come back as plain JSON."""
        if read_only:
            check_read_only_cypher(query)
        rows = await self.store.run(lambda s: s.execute(query, params))
        return format_rows([clean_value(row) for row in rows], output_format)

    def node_table(self, label: str) -> NodeTable:
        """The node table of ``label``, or a KnowledgeBaseError naming the labels there are."""
        table = self.catalog.nodes.get(identifier(label))
        if table is None:
            raise KnowledgeBaseError(
                f"Expected an entity label of this graph ({sorted(self.catalog.nodes)}). "
                f"Received: label={label!r}")
        return table

    async def similar(self, texts: str | Sequence[str] | None, vectors: Any, label: str,
                      k: int, threshold: float | None) -> list[dict[str, Any]]:
        """Nodes of ``label`` nearest the queries (fused by rank), with ``score``."""
        table = self.node_table(label)
        queries = await query_vectors(self.embedding_model, texts, vectors)
        if not table.has_vector:
            return []
        keep = "" if threshold is None else f"WHERE score >= {float(threshold)!r} "
        query = (f"MATCH (n:{table.label}) WHERE n.embedding IS NOT NULL WITH n, "
                 f"array_cosine_similarity(n.embedding, CAST($v AS FLOAT[{self.catalog.dim}])) "
                 f"AS score {keep}RETURN n, score ORDER BY score DESC, n.{table.key} LIMIT $k")
        rankings = []
        for vector in queries:
            self.catalog.check_vector(vector)
            rows = await self.store.run(
                functools.partial(LadybugStore.execute, query=query, params={"v": vector, "k": k}))
            rankings.append([{**clean_value(r["n"]), "score": r["score"]} for r in rows])
        return rankings[0] if len(rankings) == 1 else reciprocal_rank_fusion(rankings, table.key, k)

    async def neighbourhood(self, seeds: list[Any], label: str, max_hops: int,
                            rel_label: str | None) -> Any:
        """A KnowledgeGraph of the seed nodes and everything within ``max_hops`` edges."""
        table = self.node_table(label)
        hop = f"[:{identifier(rel_label)}*1..{max_hops}]" if rel_label else f"[*1..{max_hops}]"
        query = (f"MATCH (s:{table.label}) WHERE s.{table.key} IN $ids "
                 f"OPTIONAL MATCH p = (s)-{hop}-(n) RETURN s, nodes(p) AS nodes, rels(p) AS rels")
        rows = await self.store.run(lambda s: s.execute(query, {"ids": seeds}))
        nodes: dict[Any, dict[str, Any]] = {}
        edges: dict[Any, dict[str, Any]] = {}
        for row in rows:
            for node in [row["s"], *(row["nodes"] or [])]:
                nodes.setdefault(internal_id(node["_ID"]), node)
            for edge in row["rels"] or []:
                edges.setdefault(internal_id(edge["_ID"]), edge)
        return graph_of(self.catalog, nodes, list(edges.values()))

    def close(self) -> None:
        """Close the database."""
        self.store.close()
