"""The Python layout and its TypeScript twin agree, on shared fixture files.

``visualization/layout.py`` (the static SVG) and ``js/graph/model.ts`` (the
dashboard's graph) are the same algorithm written twice. ``tests/fixtures/
graph_layouts.json`` holds graphs with their expected layout; this test and
``js/graph/model.fixtures.test.ts`` both check their implementation against it,
so a change to one twin fails until the other (and the fixture) follow.

Regenerate the expected layouts, after a deliberate change to both twins, with
``python -m tests.visualization.test_layout_fixtures`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from synalinks_nb.visualization import layout_graph, normalize_graph
from synalinks_nb.visualization.layout import Box

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "graph_layouts.json"


def _node(node_id: str, parent: str | None = None, type_: str = "Generator") -> dict[str, Any]:
    return {"id": node_id, "name": node_id, "type": type_, "trainable": type_ == "Generator",
            "variables": [], "input_schema": {}, "output_schema": {}, "parent": parent,
            "description": ""}


def _graph(name: str, nodes: list[dict[str, Any]], edges: list[tuple[str, str]]) -> Any:
    return {"name": name, "nodes": nodes,
            "edges": [{"source": s, "target": t} for s, t in edges], "variables": {}}


# The graphs of the fixture file: each shape the algorithm treats differently.
CASES = {
    "chain": _graph("chain", [_node("query", type_="Input"), _node("answer")],
                    [("query", "answer")]),
    "skip_edge_and_nested_program": _graph(
        "qa",
        [_node("input", type_="Input"), _node("inner", type_="Program"),
         _node("inner/a", "inner"), _node("inner/b", "inner"), _node("answer")],
        [("input", "inner"), ("inner/a", "inner/b"), ("inner", "answer"),
         ("input", "answer")]),
    "fan_out_and_in_with_long_names": _graph(
        "fan",
        [_node("x", type_="Input"), _node("a_rather_long_module_name"), _node("b"),
         _node("c"), _node("merge", type_="Concat")],
        [("x", "a_rather_long_module_name"), ("x", "b"), ("x", "c"),
         ("a_rather_long_module_name", "merge"), ("b", "merge"), ("c", "merge")]),
    "back_edge": _graph(
        "loop", [_node("a", type_="Input"), _node("b"), _node("c")],
        [("a", "b"), ("b", "c"), ("c", "b")]),
    "program_inside_a_program": _graph(
        "deep",
        [_node("in", type_="Input"), _node("outer", type_="Program"),
         _node("outer/pre", "outer"), _node("outer/inner", "outer", "Program"),
         _node("outer/inner/x", "outer/inner"), _node("outer/inner/y", "outer/inner"),
         _node("out")],
        [("in", "outer"), ("outer/pre", "outer/inner"), ("outer/inner/x", "outer/inner/y"),
         ("outer", "out")]),
}


def _box(b: Box) -> list[float]:
    return [b.x, b.y, b.width, b.height]


def expected_layout(graph: Any) -> dict[str, Any]:
    """The layout as plain JSON: boxes as ``[x, y, width, height]``, edges with points."""
    lay = layout_graph(normalize_graph(graph))
    return {
        "width": lay.width,
        "height": lay.height,
        "nodes": {k: _box(b) for k, b in sorted(lay.nodes.items())},
        "groups": {k: _box(b) for k, b in sorted(lay.groups.items())},
        "edges": [[e.source, e.target, [list(p) for p in e.points]] for e in lay.edges],
    }


def _fixtures() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(FIXTURES.read_text(encoding="utf-8"))
    return loaded


def test_the_fixture_file_holds_every_case() -> None:
    assert [f["name"] for f in _fixtures()] == list(CASES)
    assert all(f["graph"] == CASES[f["name"]] for f in _fixtures())


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda f: f["name"])
def test_python_layout_matches_the_shared_fixture(fixture: dict[str, Any]) -> None:
    # Exact: both twins do the same float arithmetic (halves at most), so no tolerance.
    assert expected_layout(fixture["graph"]) == fixture["layout"]


def test_the_check_notices_a_moved_node() -> None:
    fixture = _fixtures()[0]
    moved = json.loads(json.dumps(fixture["layout"]))
    moved["nodes"]["answer"][1] += 1
    assert expected_layout(fixture["graph"]) != moved


def main() -> None:
    data = [{"name": name, "graph": graph, "layout": expected_layout(graph)}
            for name, graph in CASES.items()]
    FIXTURES.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURES}")


if __name__ == "__main__":
    main()
