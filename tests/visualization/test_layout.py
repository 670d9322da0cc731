from __future__ import annotations

import itertools
from typing import Any

import pytest

from synalinks_nb.errors import GraphError
from synalinks_nb.visualization import layout_graph, normalize_graph
from synalinks_nb.visualization.layout import longest_path_layers


def test_nodes_follow_the_data_flow_top_to_bottom(nested_graph: dict[str, Any]) -> None:
    lay = layout_graph(normalize_graph(nested_graph))
    order = ["input", "inner_input", "rewrite", "search", "answer", "critic"]
    ys = [lay.nodes[n].y for n in order]
    assert ys == sorted(ys)
    assert len(set(ys)) == len(ys)  # a chain: one node per row
    for e in lay.edges:  # every arrow points down
        assert lay.nodes[e.source].y + lay.nodes[e.source].height <= lay.nodes[e.target].y


def test_edges_to_a_nested_program_join_its_entry_and_exit(nested_graph: dict[str, Any]) -> None:
    lay = layout_graph(normalize_graph(nested_graph))
    pairs = {(e.source, e.target) for e in lay.edges}
    assert ("input", "inner_input") in pairs
    assert ("search", "answer") in pairs
    assert "retriever" not in lay.nodes  # drawn as a group box, not a node


def test_no_two_nodes_overlap(nested_graph: dict[str, Any]) -> None:
    lay = layout_graph(normalize_graph(nested_graph))
    for a, b in itertools.combinations(lay.nodes.values(), 2):
        assert not a.overlaps(b)


def test_group_boxes_contain_their_children_and_nothing_else(nested_graph: dict[str, Any]) -> None:
    lay = layout_graph(normalize_graph(nested_graph))
    box = lay.groups["retriever"]
    for node_id, b in lay.nodes.items():
        if node_id in {"inner_input", "rewrite", "search"}:
            assert box.contains(b), node_id
        else:
            assert not box.overlaps(b), node_id
    assert box.x >= 0
    assert box.x + box.width <= lay.width


def test_deeply_nested_groups_nest_their_boxes() -> None:
    graph = normalize_graph(
        {
            "nodes": [
                {"id": "outer", "type": "Program"},
                {"id": "mid", "type": "Program", "parent": "outer"},
                {"id": "leaf", "parent": "mid"},
                {"id": "x"},
            ],
            "edges": [{"source": "x", "target": "outer"}],
        }
    )
    lay = layout_graph(graph)
    assert lay.groups["outer"].contains(lay.groups["mid"])
    assert lay.groups["mid"].contains(lay.nodes["leaf"])
    assert lay.nodes["x"].y < lay.nodes["leaf"].y


def test_layout_is_deterministic(nested_graph: dict[str, Any]) -> None:
    a = layout_graph(normalize_graph(nested_graph))
    b = layout_graph(normalize_graph(nested_graph))
    assert a == b


def test_parallel_branches_share_a_row() -> None:
    graph = normalize_graph(
        {
            "nodes": [{"id": "in"}, {"id": "left"}, {"id": "right"}, {"id": "join"}],
            "edges": [
                {"source": "in", "target": "left"},
                {"source": "in", "target": "right"},
                {"source": "left", "target": "join"},
                {"source": "right", "target": "join"},
            ],
        }
    )
    lay = layout_graph(graph)
    assert lay.nodes["left"].y == lay.nodes["right"].y
    assert lay.nodes["left"].x < lay.nodes["right"].x


def test_cycles_do_not_hang() -> None:
    layers = longest_path_layers(["a", "b", "c"], {"a": ["b"], "b": ["c"], "c": ["a"]})
    assert layers == {"a": 0, "b": 1, "c": 2}


def test_long_chains_do_not_hit_the_recursion_limit() -> None:
    ids = [f"n{i}" for i in range(3000)]
    layers = longest_path_layers(ids, {a: [b] for a, b in itertools.pairwise(ids)})
    assert layers["n2999"] == 2999


def test_malformed_graphs_raise_graph_error() -> None:
    with pytest.raises(GraphError, match="Expected graph node 0 'id' to be a string"):
        normalize_graph({"nodes": [{"name": "no id"}]})
    with pytest.raises(GraphError, match="'nodes'"):
        normalize_graph({"nodes": "abc"})


def test_edges_to_unknown_nodes_are_dropped() -> None:
    g = normalize_graph({"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "ghost"}]})
    assert g["edges"] == []
