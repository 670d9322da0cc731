"""Louvain, connected components and PageRank (knowledge_bases/communities.py)."""

from __future__ import annotations

import itertools

import pytest

from synalinks_nb.knowledge_bases.communities import (
    detect,
    louvain,
    pagerank,
    strongly_connected_components,
    weakly_connected_components,
)


def ring_of_cliques(cliques: int, size: int) -> tuple[list[str], list[tuple[str, str]]]:
    nodes = [f"{c}-{i}" for c in range(cliques) for i in range(size)]
    edges = [(f"{c}-{i}", f"{c}-{j}") for c in range(cliques)
             for i, j in itertools.combinations(range(size), 2)]
    edges += [(f"{c}-0", f"{(c + 1) % cliques}-1") for c in range(cliques)]
    return nodes, edges


def groups(assignment: dict[str, int]) -> set[frozenset[str]]:
    found: dict[int, set[str]] = {}
    for node, community in assignment.items():
        found.setdefault(community, set()).add(node)
    return {frozenset(g) for g in found.values()}


def test_louvain_finds_each_clique_of_a_ring() -> None:
    nodes, edges = ring_of_cliques(6, 5)
    found = groups(louvain(nodes, edges))
    assert found == {frozenset(f"{c}-{i}" for i in range(5)) for c in range(6)}


def test_louvain_is_deterministic_whatever_the_input_order() -> None:
    nodes, edges = ring_of_cliques(4, 4)
    assert louvain(nodes, edges) == louvain(list(reversed(nodes)), list(reversed(edges)))


def test_isolated_nodes_are_their_own_communities_and_ids_go_by_size() -> None:
    assignment = louvain(["a", "b", "c", "z"], [("a", "b"), ("b", "c"), ("c", "a")])
    assert assignment == {"a": 0, "b": 0, "c": 0, "z": 1}
    assert louvain([], []) == {}


def test_louvain_with_one_level_only_stops_early_but_still_partitions() -> None:
    nodes, edges = ring_of_cliques(8, 3)
    one_level = louvain(nodes, edges, max_iterations=1)
    assert set(one_level) == set(nodes)
    assert len(set(one_level.values())) >= len(set(louvain(nodes, edges).values()))


def test_components_follow_edges_with_and_without_direction() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "d")]
    assert groups(weakly_connected_components("abcdef", edges)) == {
        frozenset("abcde"), frozenset("f")}
    assert groups(strongly_connected_components("abcdef", edges)) == {
        frozenset("abc"), frozenset("d"), frozenset("e"), frozenset("f")}


def test_detect_names_the_algorithms_it_knows() -> None:
    assert detect("weakly_connected_components", "ab", [("a", "b")]) == {"a": 0, "b": 0}
    with pytest.raises(ValueError, match="louvain"):
        detect("leiden", "ab", [])


def test_pagerank_on_a_cycle_is_uniform_and_a_hub_ranks_first() -> None:
    cycle = pagerank("abcd", [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert all(abs(r - 0.25) < 1e-9 for r in cycle.values())
    star = pagerank("hxyz", [("x", "h"), ("y", "h"), ("z", "h"), ("h", "x")])
    assert max(star, key=star.__getitem__) == "h"
    assert star["x"] > star["y"] == pytest.approx(star["z"])  # h links back to x only
    assert sum(star.values()) == pytest.approx(1.0)
