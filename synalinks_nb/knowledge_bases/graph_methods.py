"""The graph side of :class:`~synalinks_nb.KnowledgeBase`: Synalinks' graph methods.

``KnowledgeBase`` mixes this class in; each method takes Synalinks' arguments and
forwards to the :class:`~synalinks_nb.knowledge_bases.graph.GraphStore`, which
is opened on first use (so ``ladybug`` is needed only by programs that use a
graph). Records may be data models or their JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synalinks_nb.data_models.knowledge import (
    is_entities,
    is_entity,
    is_knowledge_graph,
    is_relation,
    is_relations,
)
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases import graph_communities, graph_fulltext
from synalinks_nb.knowledge_bases.graph import GraphStore
from synalinks_nb.knowledge_bases.graph_models import node_model, schema_text
from synalinks_nb.knowledge_bases.graph_store import parse_graph_uri
from synalinks_nb.knowledge_bases.graph_tables import identifier
from synalinks_nb.knowledge_bases.results import format_rows

__all__ = ["GraphMethods"]


def _json(record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        return dict(record)
    get_json = getattr(record, "get_json", None)
    if get_json is None:
        raise KnowledgeBaseError(
            f"Expected data models or their JSON. Received: {type(record).__name__}")
    value: dict[str, Any] = get_json()
    return value


def _many(one_or_many: Any) -> tuple[list[dict[str, Any]], bool]:
    single = not isinstance(one_or_many, list | tuple)
    return [_json(r) for r in ([one_or_many] if single else one_or_many)], single


class GraphMethods:
    """Entities, relations, Cypher and graph searches (the ``graph_uri`` side)."""

    graph_path: str | None
    entity_models: list[Any]
    relation_models: list[Any]
    embedding_model: Any
    dedup_threshold: float
    wipe_on_start: bool
    _graph_store: GraphStore | None

    @property
    def graph(self) -> GraphStore:
        """The graph store, opened on first use."""
        if self._graph_store is None:
            if self.graph_path is None:
                raise KnowledgeBaseError(
                    "Expected a knowledge base with a graph store for graph operations "
                    "(pass graph_uri='ladybug://...'). Received one opened with uri= alone")
            self._graph_store = GraphStore(
                self.graph_path, entity_models=self.entity_models,
                relation_models=self.relation_models, embedding_model=self.embedding_model,
                dedup_threshold=self.dedup_threshold, wipe_on_start=self.wipe_on_start)
        return self._graph_store

    @staticmethod
    def _graph_path(graph_uri: str | None, pair: bool, name: str) -> str | None:
        if graph_uri is not None:
            return parse_graph_uri(graph_uri)
        if not pair:
            return None
        from synalinks_nb.config import config

        return str(config.home / "knowledge_bases" / f"{name}.lb")

    async def update_entities(self, entity_or_entities: Any) -> Any:
        """Upsert entities (nodes); returns the key(s) they resolved to (de-duplicated)."""
        entities, single = _many(entity_or_entities)
        keys = await self.graph.update_entities(entities)
        return keys[0] if single else keys

    async def update_relations(self, relation_or_relations: Any) -> Any:
        """Upsert relations (edges) with their endpoints; ``[subj_key, label, obj_key]`` each."""
        relations, single = _many(relation_or_relations)
        triples = await self.graph.update_relations(relations)
        return triples[0] if single else triples

    async def update_knowledge_graph(self, knowledge_graph: Any) -> dict[str, list[Any]]:
        """Upsert a graph's entities, then its relations."""
        value = _json(knowledge_graph)
        return {"entities": await self.graph.update_entities(list(value.get("entities") or [])),
                "relations": await self.graph.update_relations(
                    list(value.get("relations") or []))}

    async def update_graph_records(self, record: Any) -> bool:
        """Store a graph-shaped record (graph, entities, relations, one of them); ``False``
        for a record of another shape (``UpdateKnowledge`` sends those to the tables)."""
        value = _json(record)
        if is_knowledge_graph(record):
            await self.update_knowledge_graph(value)
        elif "knowledge_graphs" in value:
            for graph in value["knowledge_graphs"] or []:
                await self.update_knowledge_graph(graph)
        elif is_entities(record):
            await self.graph.update_entities(list(value["entities"] or []))
        elif is_relations(record):
            await self.graph.update_relations(list(value["relations"] or []))
        elif is_relation(record):
            await self.graph.update_relations([value])
        elif is_entity(record):
            await self.graph.update_entities([value])
        else:
            return False
        return True

    async def get_entity(self, id_or_ids: Any, *, label: str) -> Any:
        """Entities of ``label`` by primary key (``None`` where missing), as JSON."""
        table = self.graph.node_table(label)
        ids = id_or_ids if isinstance(id_or_ids, list) else [id_or_ids]
        rows = await self.graph.cypher(
            f"MATCH (n:{table.label}) WHERE n.{table.key} IN $ids RETURN n",
            params={"ids": ids})
        by_key = {row["n"][table.key]: row["n"] for row in rows}
        found = [by_key.get(i) for i in ids]
        return found if isinstance(id_or_ids, list) else found[0]

    async def delete_entity(self, id_or_ids: Any, *, label: str) -> int:
        """Delete entities and their edges; returns how many existed."""
        table = self.graph.node_table(label)
        ids = id_or_ids if isinstance(id_or_ids, list) else [id_or_ids]
        rows = await self.graph.cypher(
            f"MATCH (n:{table.label}) WHERE n.{table.key} IN $ids DETACH DELETE n "
            "RETURN count(*) AS deleted", params={"ids": ids}, read_only=False)
        return int(rows[0]["deleted"]) if rows else 0

    async def delete_relation(self, *, label: str, source_id: Any, target_id: Any) -> int:
        """Delete the ``label`` edges from ``source_id`` to ``target_id``; returns how many."""
        rows = await self.graph.cypher(
            f"MATCH (a)-[r:{identifier(label)}]->(b) WHERE a.{self._key_of_edge(label, 0)} = $s "
            f"AND b.{self._key_of_edge(label, 1)} = $o DELETE r RETURN count(*) AS deleted",
            params={"s": source_id, "o": target_id}, read_only=False)
        return int(rows[0]["deleted"]) if rows else 0

    def _key_of_edge(self, label: str, end: int) -> str:
        rel = self.graph.catalog.rels.get(identifier(label))
        if rel is None:
            raise KnowledgeBaseError(
                f"Expected a relation label of this graph ({sorted(self.graph.catalog.rels)}). "
                f"Received: label={label!r}")
        keys = {self.graph.catalog.nodes[pair[end]].key for pair in rel.pairs}
        if len(keys) != 1:
            raise KnowledgeBaseError(
                f"Expected the {label} edges' endpoints to share a primary-key name. "
                f"Received: {sorted(keys)}")
        return keys.pop()

    async def cypher(self, query: str, *, params: dict[str, Any] | None = None,
                     output_format: str = "json", read_only: bool = True) -> Any:
        """Run a Cypher query; ``read_only=True`` (default) refuses writes, files, procedures.

        Raises:
            ReadOnlyQueryError: a write in read-only mode.
            KnowledgeBaseError: LadybugDB refused the query (its message included).
        """
        return await self.graph.cypher(query, params=params, output_format=output_format,
                                       read_only=read_only)

    async def entity_similarity_search(
        self, text_or_texts: str | Sequence[str] | None = None, *, label: str,
        vector_or_vectors: Sequence[Any] | None = None, k: int = 10,
        threshold: float | None = None, output_format: str = "json",
    ) -> Any:
        """Entities of ``label`` nearest the query (cosine), best first, with ``score``."""
        rows = await self.graph.similar(text_or_texts, vector_or_vectors, label, k, threshold)
        return format_rows(rows, output_format)

    async def entity_fulltext_search(
        self, text_or_texts: str | Sequence[str] | None, *, label: str, k: int = 10,
        threshold: float | None = None, conjunctive: bool = False,
        bm25_b: float | None = None, output_format: str = "json",
    ) -> Any:
        """Entities of ``label`` ranked by BM25 over their string properties (the tables'
        BM25), best first: ``{<key>: value, "node": {...}, "score"}`` rows.

        Example:
            >>> import asyncio, synalinks_nb as sn
            >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
            >>> _ = asyncio.run(kb.update_entities([
            ...     {"label": "Bird", "name": "Owl", "habit": "hunts mice at night"},
            ...     {"label": "Bird", "name": "Swift", "habit": "sleeps while flying"}]))
            >>> [r["name"] for r in asyncio.run(kb.entity_fulltext_search(
            ...     "night hunter", label="Bird"))]
            ['Owl']
        """
        rows = await graph_fulltext.entity_fulltext(
            self.graph, text_or_texts, label=label, k=k, threshold=threshold,
            conjunctive=conjunctive, bm25_b=bm25_b)
        return format_rows(rows, output_format)

    async def relation_fulltext_search(
        self, text_or_texts: str | Sequence[str] | None, *, label: str, k: int = 10,
        threshold: float | None = None, conjunctive: bool = False,
        bm25_b: float | None = None, output_format: str = "json",
    ) -> Any:
        """Relations of ``label`` whose subject or object matches (BM25), scored by the sum
        of both ends: ``{"subj", "rel", "obj", "score", "subj_score", "obj_score",
        "matched_on", <endpoint keys>}`` rows, best first."""
        rows = await graph_fulltext.relation_fulltext(
            self.graph, text_or_texts, label=label, k=k, threshold=threshold,
            conjunctive=conjunctive, bm25_b=bm25_b)
        return format_rows(rows, output_format)

    async def local_graph_search(
        self, text_or_texts: str | Sequence[str] | None = None, *, label: str,
        vector_or_vectors: Sequence[Any] | None = None, max_hops: int = 2, k: int = 10,
        threshold: float | None = None, rel_label: str | None = None,
    ) -> Any:
        """GraphRAG's local search: the ``k`` nearest entities of ``label`` and everything
        within ``max_hops`` edges of them (either direction), as a ``KnowledgeGraph``."""
        if not isinstance(max_hops, int) or max_hops < 1:
            raise KnowledgeBaseError(f"Expected max_hops >= 1. Received: max_hops={max_hops!r}")
        seeds = await self.graph.similar(text_or_texts, vector_or_vectors, label, k, threshold)
        key = self.graph.node_table(label).key
        return await self.graph.neighbourhood([row[key] for row in seeds], label, max_hops,
                                              rel_label)

    # -- GraphRAG's global side (graph_communities) ---------------------------------------

    async def build_communities(
        self, *, algorithm: str = "louvain", node_labels: Sequence[str] | None = None,
        rel_labels: Sequence[str] | None = None, max_iterations: int | None = None,
        with_pagerank: bool = True, damping_factor: float = 0.85,
    ) -> int:
        """Cluster the graph (``"louvain"``, ``"weakly_connected_components"`` or
        ``"strongly_connected_components"``), rank its nodes by PageRank, and store both
        on the nodes (``community``, ``rank``); returns how many nodes were stamped.

        Example:
            >>> import asyncio, synalinks_nb as sn
            >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
            >>> knows = [{"subj": {"label": "P", "name": a}, "label": "Knows",
            ...           "obj": {"label": "P", "name": b}}
            ...          for a, b in ("ab", "bc", "ca", "de", "ef", "fd", "ad")]
            >>> _ = asyncio.run(kb.update_relations(knows))
            >>> asyncio.run(kb.build_communities())
            6
            >>> rows = asyncio.run(kb.global_graph_search(k=2))
            >>> sorted(sorted(m["name"] for m in r["members"]) for r in rows)
            [['a', 'b', 'c'], ['d', 'e', 'f']]
        """
        return await graph_communities.build_communities(
            self.graph, entity_models=self.entity_models, algorithm=algorithm,
            node_labels=node_labels, rel_labels=rel_labels, max_iterations=max_iterations,
            with_pagerank=with_pagerank, damping_factor=damping_factor)

    async def detect_communities(
        self, *, algorithm: str = "louvain", node_labels: Sequence[str] | None = None,
        rel_labels: Sequence[str] | None = None, max_iterations: int | None = None,
    ) -> Any:
        """The communities as ``KnowledgeGraphs`` (largest first), computed now, not stored."""
        return await graph_communities.detect_communities(
            self.graph, algorithm=algorithm, node_labels=node_labels, rel_labels=rel_labels,
            max_iterations=max_iterations)

    async def pagerank(
        self, *, node_labels: Sequence[str] | None = None,
        rel_labels: Sequence[str] | None = None, damping_factor: float = 0.85,
        max_iterations: int = 100, tolerance: float | None = None,
        normalize_initial: bool | None = None, k: int | None = None,
        output_format: str = "json",
    ) -> Any:
        """Entities by PageRank, highest first: ``{<key>, "label", "node", "rank"}`` rows.

        ``normalize_initial`` is accepted for Synalinks' signature: the power iteration
        here always starts from the uniform distribution.
        """
        rows = await graph_communities.pagerank_rows(
            self.graph, node_labels=node_labels, rel_labels=rel_labels,
            damping_factor=damping_factor, max_iterations=max_iterations,
            tolerance=tolerance, k=k)
        return format_rows(rows, output_format)

    async def global_graph_search(
        self, *, node_labels: Sequence[str] | None = None, k: int = 10,
        members_per_community: int = 10, output_format: str = "json",
    ) -> Any:
        """The ``k`` communities of the last ``build_communities`` with the highest total
        rank: ``{"community", "size", "total_rank", "members"}`` rows (none before a build)."""
        rows = await graph_communities.community_rows(
            self.graph, node_labels=node_labels, k=k,
            members_per_community=members_per_community)
        return format_rows(rows, output_format)

    async def community_graph_search(
        self, *, node_labels: Sequence[str] | None = None,
        rel_labels: Sequence[str] | None = None, k: int = 10,
        members_per_community: int | None = None,
    ) -> Any:
        """The same communities as ``KnowledgeGraphs``: members (best ranked first) and the
        relations inside each community."""
        return await graph_communities.community_graphs(
            self.graph, node_labels=node_labels, rel_labels=rel_labels, k=k,
            members_per_community=members_per_community)

    def get_symbolic_entities(self) -> list[SymbolicDataModel]:
        """One symbolic model per node label of the graph."""
        return [SymbolicDataModel(schema=node_model(t).get_schema())
                for t in self.graph.catalog.nodes.values()]

    def get_graph_schema(self) -> str:
        """The node and edge tables as text (what ``Text2Cypher`` shows the model)."""
        return schema_text(self.graph.catalog)
