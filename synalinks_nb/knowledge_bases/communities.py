"""Community detection and PageRank on a plain graph: GraphRAG's index, in Python.

Synalinks runs Louvain, connected components and PageRank through LadybugDB's ``algo``
extension, which LadybugDB downloads at run time; here they are written out, over the
nodes and edges :mod:`~synalinks_nb.knowledge_bases.graph_communities` reads from the
graph. Nodes are any sortable keys; everything iterates in sorted order, so the same
graph always gives the same communities, numbered by size (largest first), then by
their smallest member.

* :func:`louvain` — Blondel et al. (2008): move each node to the neighbouring community
  that most increases modularity, until no move helps; then merge each community into
  one node and repeat on that smaller graph. Edges are undirected and weighted (two
  relations between the same nodes weigh 2). Unlike the engine's, it accepts any number
  of node labels.
* :func:`weakly_connected_components` / :func:`strongly_connected_components`.
* :func:`pagerank` — power iteration on the directed edges; a node without outgoing
  edges spreads its rank evenly over all nodes. The ranks sum to 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "ALGORITHMS",
    "detect",
    "louvain",
    "pagerank",
    "strongly_connected_components",
    "weakly_connected_components",
]

Edge = tuple[Any, Any]
ALGORITHMS = ("louvain", "weakly_connected_components", "strongly_connected_components")


def _numbered(groups: Iterable[Iterable[Any]]) -> dict[Any, int]:
    """Community ids 0, 1, ... by size (largest first), then by smallest member."""
    ordered = sorted((sorted(g, key=repr) for g in groups), key=lambda g: (-len(g), repr(g[0])))
    return {node: index for index, group in enumerate(ordered) for node in group}


def _groups(starts: Iterable[Any], neighbours: Mapping[Any, Iterable[Any]]) -> list[list[Any]]:
    """From each start not reached yet, the nodes reached through ``neighbours``, once each."""
    seen: set[Any] = set()
    groups = []
    for start in starts:
        if start in seen:
            continue
        seen.add(start)
        stack, group = [start], []
        while stack:  # depth first, without recursion: components can be long chains
            node = stack.pop()
            group.append(node)
            for other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        groups.append(group)
    return groups


def _undirected(nodes: Sequence[Any], edges: Iterable[Edge]) -> dict[Any, dict[Any, float]]:
    adjacency: dict[Any, dict[Any, float]] = {n: {} for n in nodes}
    for a, b in edges:
        if a not in adjacency or b not in adjacency:
            continue
        adjacency[a][b] = adjacency[a].get(b, 0.0) + 1.0
        if a != b:
            adjacency[b][a] = adjacency[b].get(a, 0.0) + 1.0
    return adjacency


def _degree(adjacency: dict[Any, dict[Any, float]], node: Any) -> float:
    # A self-loop touches its node twice.
    return sum(w * (2.0 if other == node else 1.0) for other, w in adjacency[node].items())


def _move_nodes(adjacency: dict[Any, dict[Any, float]], resolution: float) -> dict[Any, Any]:
    """Louvain's first phase: each node's community, once no single move helps."""
    order = sorted(adjacency, key=repr)
    degree = {n: _degree(adjacency, n) for n in order}
    two_m = sum(degree.values()) or 1.0
    community = {n: n for n in order}
    total = dict(degree)  # community -> sum of its members' degrees
    moved = True
    while moved:
        moved = False
        for node in order:
            current = community[node]
            total[current] -= degree[node]
            links: dict[Any, float] = defaultdict(float)
            for other, weight in adjacency[node].items():
                if other != node:
                    links[community[other]] += weight
            best, best_gain = current, links.get(current, 0.0) - (
                resolution * total[current] * degree[node] / two_m)
            for candidate in sorted(links, key=repr):
                gain = links[candidate] - resolution * total[candidate] * degree[node] / two_m
                if gain > best_gain + 1e-12:
                    best, best_gain = candidate, gain
            if best_gain < 0 and total.get(node, 0.0) == 0.0:
                best = node  # alone (gain 0) beats every community it could join
            community[node] = best
            total[best] = total.get(best, 0.0) + degree[node]
            moved = moved or best != current
    return community


def _aggregate(adjacency: dict[Any, dict[Any, float]], community: dict[Any, Any]
               ) -> dict[Any, dict[Any, float]]:
    """Louvain's second phase: one node per community, edge weights summed."""
    merged: dict[Any, dict[Any, float]] = {c: {} for c in set(community.values())}
    for node, neighbours in adjacency.items():
        for other, weight in neighbours.items():
            a, b = community[node], community[other]
            # Each internal edge is seen from both ends: half a self-loop each time.
            share = weight if node == other or a != b else weight / 2.0
            merged[a][b] = merged[a].get(b, 0.0) + share
    return merged


def louvain(nodes: Sequence[Hashable], edges: Iterable[Edge], *,
            max_iterations: int | None = None, resolution: float = 1.0) -> dict[Any, int]:
    """Each node's community, by modularity (Louvain), as ids ``0, 1, ...``.

    Args:
        nodes: the nodes (any sortable, hashable keys).
        edges: ``(a, b)`` pairs; direction is ignored, repeats add weight.
        max_iterations: at most this many merge levels (default: until stable).
        resolution: above 1, smaller communities; below 1, larger ones.

    Example:
        >>> triangles = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "f"),
        ...              ("f", "d"), ("a", "d")]
        >>> louvain("abcdef", triangles)
        {'a': 0, 'b': 0, 'c': 0, 'd': 1, 'e': 1, 'f': 1}
    """
    adjacency = _undirected(list(nodes), edges)
    members: dict[Any, list[Any]] = {n: [n] for n in adjacency}
    level = 0
    while max_iterations is None or level < max_iterations:
        level += 1
        community = _move_nodes(adjacency, resolution)
        if len(set(community.values())) == len(adjacency):
            break
        grouped: dict[Any, list[Any]] = defaultdict(list)
        for node, label in community.items():
            grouped[label].extend(members[node])
        members = dict(grouped)
        adjacency = _aggregate(adjacency, community)
    return _numbered(members.values())


def weakly_connected_components(nodes: Sequence[Hashable], edges: Iterable[Edge]
                                ) -> dict[Any, int]:
    """Each node's component when edges are followed in either direction.

    Example:
        >>> weakly_connected_components("abcd", [("a", "b"), ("c", "b")])
        {'a': 0, 'b': 0, 'c': 0, 'd': 1}
    """
    adjacency = _undirected(list(nodes), edges)
    return _numbered(_groups(sorted(adjacency, key=repr), adjacency))


def strongly_connected_components(nodes: Sequence[Hashable], edges: Iterable[Edge]
                                  ) -> dict[Any, int]:
    """Each node's component when edges are followed in their direction (Kosaraju).

    Example:
        >>> strongly_connected_components("abcd", [("a", "b"), ("b", "a"), ("b", "c")])
        {'a': 0, 'b': 0, 'c': 1, 'd': 2}
    """
    order_nodes = sorted(set(nodes), key=repr)
    forward: dict[Any, list[Any]] = {n: [] for n in order_nodes}
    backward: dict[Any, list[Any]] = {n: [] for n in order_nodes}
    for a, b in edges:
        if a in forward and b in forward:
            forward[a].append(b)
            backward[b].append(a)
    finished: list[Any] = []
    seen: set[Any] = set()
    for start in order_nodes:  # first pass: nodes by finishing time, without recursion
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(forward[start]))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in seen), None)
            if child is None:
                finished.append(node)
                stack.pop()
            else:
                seen.add(child)
                stack.append((child, iter(forward[child])))
    # Second pass: on the reversed edges, latest finished first.
    return _numbered(_groups(reversed(finished), backward))


def detect(algorithm: str, nodes: Sequence[Hashable], edges: Sequence[Edge],
           max_iterations: int | None = None) -> dict[Any, int]:
    """Each node's community by ``algorithm`` (one of :data:`ALGORITHMS`)."""
    if algorithm == "louvain":
        return louvain(nodes, edges, max_iterations=max_iterations)
    if algorithm == "weakly_connected_components":
        return weakly_connected_components(nodes, edges)
    if algorithm == "strongly_connected_components":
        return strongly_connected_components(nodes, edges)
    raise ValueError(f"Expected algorithm to be one of {ALGORITHMS}. "
                     f"Received: algorithm={algorithm!r}")


def pagerank(nodes: Sequence[Hashable], edges: Iterable[Edge], *, damping_factor: float = 0.85,
             max_iterations: int = 100, tolerance: float = 1e-9) -> dict[Any, float]:
    """Each node's PageRank over the directed edges (summing to 1).

    Example:
        >>> ranks = pagerank("abc", [("a", "c"), ("b", "c")])
        >>> max(ranks, key=ranks.get), round(sum(ranks.values()), 6)
        ('c', 1.0)
    """
    order = sorted(set(nodes), key=repr)
    if not order:
        return {}
    outgoing: dict[Any, list[Any]] = {n: [] for n in order}
    for a, b in edges:
        if a in outgoing and b in outgoing:
            outgoing[a].append(b)
    count = len(order)
    rank = dict.fromkeys(order, 1.0 / count)
    for _ in range(max_iterations):
        dangling = sum(rank[n] for n in order if not outgoing[n])
        base = (1.0 - damping_factor) / count + damping_factor * dangling / count
        new = dict.fromkeys(order, base)
        for node in order:
            targets = outgoing[node]
            for target in targets:
                new[target] += damping_factor * rank[node] / len(targets)
        change = sum(abs(new[n] - rank[n]) for n in order)
        rank = new
        if change < tolerance:
            break
    return rank
