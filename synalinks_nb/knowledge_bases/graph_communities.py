"""GraphRAG's global side on a stored graph: communities, PageRank, community subgraphs.

``build_communities`` reads the nodes and edges of the chosen labels, clusters them
(:mod:`~synalinks_nb.knowledge_bases.communities`), scores them with PageRank, and
writes both onto the nodes as two columns, ``community`` (INT64) and ``rank`` (DOUBLE),
added to each node table it touches (Synalinks' reserved names: an entity model may not
declare them). Re-running overwrites them. The searches then only read those columns:

* ``community_graphs`` — the ``k`` communities with the highest total rank, each as a
  ``KnowledgeGraph`` of its members and the edges *inside* it (an edge between two
  communities belongs to neither);
* ``community_rows`` — the same communities as rows: size, total rank, members.

A node is identified by ``(label, primary key)``. Nodes written after the last
``build_communities`` have no community and are left out until it runs again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from synalinks_nb.data_models.knowledge import KnowledgeGraphs
from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.communities import ALGORITHMS, detect, pagerank
from synalinks_nb.knowledge_bases.graph import GraphStore
from synalinks_nb.knowledge_bases.graph_models import clean_value, graph_of, internal_id
from synalinks_nb.knowledge_bases.graph_store import LadybugStore
from synalinks_nb.knowledge_bases.graph_tables import COMMUNITY_COLUMNS, identifier

__all__ = ["build_communities", "community_graphs", "community_rows", "detect_communities",
           "pagerank_rows"]

Key = tuple[str, Any]


class _Graph:
    """The nodes (by ``(label, key)``) and edges of some labels, as read from the store."""

    def __init__(self) -> None:
        self.nodes: dict[Key, dict[str, Any]] = {}
        self.edges: list[tuple[Key, Key, dict[str, Any]]] = []

    def key(self, graph: GraphStore, node: dict[str, Any]) -> Key:
        return (node["_LABEL"], node[graph.catalog.nodes[node["_LABEL"]].key])


def _labels(graph: GraphStore, node_labels: Sequence[str] | None,
            rel_labels: Sequence[str] | None) -> tuple[list[str], list[str]]:
    catalog = graph.catalog
    nodes = sorted(catalog.nodes) if node_labels is None else [
        graph.node_table(label).label for label in node_labels]
    rels = sorted(catalog.rels) if rel_labels is None else [identifier(r) for r in rel_labels]
    unknown = [r for r in rels if r not in catalog.rels]
    if unknown:
        raise KnowledgeBaseError(f"Expected relation labels of this graph "
                                 f"({sorted(catalog.rels)}). Received: {unknown}")
    return nodes, rels


def _read(graph: GraphStore, s: LadybugStore, node_labels: list[str], rel_labels: list[str],
          where: str = "") -> _Graph:
    read = _Graph()
    for label in node_labels:
        for row in s.execute(f"MATCH (n:{label}) {where} RETURN n"):
            read.nodes[read.key(graph, row["n"])] = row["n"]
    for rel in rel_labels:
        for row in s.execute(f"MATCH (a)-[r:{rel}]->(b) RETURN a, r, b"):
            a, b = read.key(graph, row["a"]), read.key(graph, row["b"])
            if a in read.nodes and b in read.nodes:
                read.edges.append((a, b, row["r"]))
    return read


async def _communities(graph: GraphStore, algorithm: str, node_labels: Sequence[str] | None,
                       rel_labels: Sequence[str] | None, max_iterations: int | None
                       ) -> tuple[_Graph, dict[Key, int]]:
    if algorithm not in ALGORITHMS:
        raise KnowledgeBaseError(f"Expected algorithm to be one of {ALGORITHMS}. "
                                 f"Received: algorithm={algorithm!r}")
    nodes, rels = _labels(graph, node_labels, rel_labels)
    read = await graph.store.run(lambda s: _read(graph, s, nodes, rels))
    pairs = [(a, b) for a, b, _ in read.edges]
    return read, detect(algorithm, list(read.nodes), pairs, max_iterations)


def _subgraph(graph: GraphStore, read: _Graph, members: list[Key]) -> Any:
    kept = set(members)
    nodes = {internal_id(read.nodes[m]["_ID"]): read.nodes[m] for m in members}
    edges = [e for a, b, e in read.edges if a in kept and b in kept]
    return graph_of(graph.catalog, nodes, edges)


async def detect_communities(graph: GraphStore, *, algorithm: str = "louvain",
                             node_labels: Sequence[str] | None = None,
                             rel_labels: Sequence[str] | None = None,
                             max_iterations: int | None = None) -> Any:
    """One ``KnowledgeGraph`` per community, largest first (nothing is written)."""
    read, assignment = await _communities(graph, algorithm, node_labels, rel_labels,
                                          max_iterations)
    groups: dict[int, list[Key]] = defaultdict(list)
    for key, community in assignment.items():
        groups[community].append(key)
    return KnowledgeGraphs(knowledge_graphs=[_subgraph(graph, read, groups[c])
                                             for c in sorted(groups)])


def _check_reserved(graph: GraphStore, labels: set[str], models: Sequence[Any]) -> None:
    declared = {name for model in models for name in
                (model.get_schema().get("properties") or {})}
    for label in sorted(labels):
        clash = sorted((set(graph.catalog.nodes[label].columns) | declared)
                       & set(COMMUNITY_COLUMNS))
        if clash:
            raise KnowledgeBaseError(
                f"Expected no entity field named {clash} on {label}: build_communities "
                f"writes the reserved columns {sorted(COMMUNITY_COLUMNS)}. Rename the field.")


def _stamp(graph: GraphStore, s: LadybugStore, values: dict[Key, tuple[int, float]]) -> int:
    for label in sorted({label for label, _ in values}):
        table = graph.catalog.nodes[label]
        if not table.stamped:
            for name, kind in COMMUNITY_COLUMNS.items():
                s.execute(f"ALTER TABLE {label} ADD {name} {kind}")
            table.stamped = True
        rows = [{"k": key, "c": c, "r": r} for (lab, key), (c, r) in values.items()
                if lab == label]
        s.execute(f"UNWIND $rows AS row MATCH (n:{label}) WHERE n.{table.key} = row.k "
                  "SET n.community = row.c, n.rank = row.r", {"rows": rows})
    return len(values)


async def build_communities(graph: GraphStore, *, entity_models: Sequence[Any] = (),
                            algorithm: str = "louvain",
                            node_labels: Sequence[str] | None = None,
                            rel_labels: Sequence[str] | None = None,
                            max_iterations: int | None = None, with_pagerank: bool = True,
                            damping_factor: float = 0.85) -> int:
    """Cluster, rank, and write ``community``/``rank`` onto the nodes; returns how many."""
    read, assignment = await _communities(graph, algorithm, node_labels, rel_labels,
                                          max_iterations)
    _check_reserved(graph, {label for label, _ in assignment}, entity_models)
    ranks = pagerank(list(read.nodes), [(a, b) for a, b, _ in read.edges],
                     damping_factor=damping_factor) if with_pagerank else {}
    values = {key: (community, ranks.get(key, 0.0)) for key, community in assignment.items()}
    return await graph.store.run(lambda s: _stamp(graph, s, values))


async def pagerank_rows(graph: GraphStore, *, node_labels: Sequence[str] | None = None,
                        rel_labels: Sequence[str] | None = None, damping_factor: float = 0.85,
                        max_iterations: int = 100, tolerance: float | None = None,
                        k: int | None = None) -> list[dict[str, Any]]:
    """``{<key column>: key, "label", "node", "rank"}`` rows, highest rank first."""
    nodes, rels = _labels(graph, node_labels, rel_labels)
    read = await graph.store.run(lambda s: _read(graph, s, nodes, rels))
    ranks = pagerank(list(read.nodes), [(a, b) for a, b, _ in read.edges],
                     damping_factor=damping_factor, max_iterations=max_iterations,
                     tolerance=1e-9 if tolerance is None else tolerance)
    ordered = sorted(ranks, key=lambda key: (-ranks[key], repr(key)))[:k]
    return [{graph.catalog.nodes[label].key: value, "label": label,
             "node": _member(read.nodes[(label, value)]), "rank": ranks[(label, value)]}
            for label, value in ordered]


def _member(node: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = clean_value(node)
    return {k: v for k, v in cleaned.items() if k not in COMMUNITY_COLUMNS}


async def _stamped(graph: GraphStore, node_labels: Sequence[str] | None,
                   rel_labels: Sequence[str] | None, k: int
                   ) -> tuple[_Graph, list[tuple[int, list[Key]]]]:
    """The stamped graph and its ``k`` communities by total rank, members best first."""
    nodes, rels = _labels(graph, node_labels, rel_labels)
    built = [label for label in nodes if graph.catalog.nodes[label].stamped]
    read = await graph.store.run(
        lambda s: _read(graph, s, built, rels, "WHERE n.community IS NOT NULL"))
    groups: dict[int, list[Key]] = defaultdict(list)
    for key, node in read.nodes.items():
        groups[int(node["community"])].append(key)
    total = {c: sum(float(read.nodes[m]["rank"] or 0.0) for m in ms) for c, ms in groups.items()}
    order = sorted(groups, key=lambda c: (-total[c], c))[:k]
    best_first = [(c, sorted(groups[c], key=lambda m: (-float(read.nodes[m]["rank"] or 0.0),
                                                        repr(m)))) for c in order]
    return read, best_first


async def community_graphs(graph: GraphStore, *, node_labels: Sequence[str] | None = None,
                           rel_labels: Sequence[str] | None = None, k: int = 10,
                           members_per_community: int | None = None) -> Any:
    """The ``k`` most important communities as ``KnowledgeGraphs`` (empty before a build)."""
    read, communities = await _stamped(graph, node_labels, rel_labels, k)
    return KnowledgeGraphs(knowledge_graphs=[
        _subgraph(graph, read, members[:members_per_community]) for _, members in communities])


async def community_rows(graph: GraphStore, *, node_labels: Sequence[str] | None = None,
                         k: int = 10, members_per_community: int = 10
                         ) -> list[dict[str, Any]]:
    """``{"community", "size", "total_rank", "members"}`` rows, most important first."""
    read, communities = await _stamped(graph, node_labels, [], k)
    return [{"community": c, "size": len(members),
             "total_rank": sum(float(read.nodes[m]["rank"] or 0.0) for m in members),
             "members": [_member(read.nodes[m]) for m in members[:members_per_community]]}
            for c, members in communities]
