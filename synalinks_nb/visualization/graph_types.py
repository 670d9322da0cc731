"""Typed view of the ``program.graph()`` description, and its normalisation.

The graph is produced by :mod:`synalinks_nb.programs.graph` and rendered by the
static SVG here and by the notebook widgets (``js/protocol.ts`` has the same
types). :func:`normalize_graph` accepts any mapping of that shape, fills the
optional fields with their defaults and raises :class:`GraphError` when the
structure is wrong, so renderers can rely on every key being present.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from synalinks_nb.errors import GraphError

__all__ = ["GraphDict", "GraphEdgeDict", "GraphNodeDict", "GraphVariableDict", "normalize_graph"]


class GraphNodeDict(TypedDict):
    """One operation of the program (a nested program has ``type == "Program"``)."""

    id: str
    name: str
    type: str
    trainable: bool
    variables: list[str]
    input_schema: Any
    output_schema: Any
    parent: str | None
    description: str


class GraphEdgeDict(TypedDict):
    """Data flows from ``source`` to ``target`` (node ids)."""

    source: str
    target: str


class GraphVariableDict(TypedDict):
    """Current value, number of versions and description of a variable."""

    value: Any
    versions: int
    description: str


class GraphDict(TypedDict):
    """The whole description: ``name``, ``nodes``, ``edges`` and ``variables`` by path."""

    name: str
    nodes: list[GraphNodeDict]
    edges: list[GraphEdgeDict]
    variables: dict[str, GraphVariableDict]


def _expect(condition: bool, what: str, expected: str, received: Any) -> None:
    if not condition:
        raise GraphError(f"Expected {what} to be {expected}. Received: {received!r}")


def _node(raw: Any, i: int) -> GraphNodeDict:
    _expect(isinstance(raw, Mapping), f"graph node {i}", "a mapping", raw)
    node_id = raw.get("id")
    _expect(isinstance(node_id, str) and node_id != "", f"graph node {i} 'id'", "a string", node_id)
    parent = raw.get("parent")
    _expect(
        parent is None or isinstance(parent, str), f"'parent' of {node_id!r}", "str or None", parent
    )
    variables = raw.get("variables") or []
    _expect(
        isinstance(variables, list) and all(isinstance(v, str) for v in variables),
        f"'variables' of {node_id!r}",
        "a list of paths",
        variables,
    )
    return {
        "id": node_id,
        "name": str(raw.get("name") or node_id),
        "type": str(raw.get("type") or "Module"),
        "trainable": bool(raw.get("trainable", False)),
        "variables": list(variables),
        "input_schema": raw.get("input_schema"),
        "output_schema": raw.get("output_schema"),
        "parent": parent,
        "description": str(raw.get("description") or ""),
    }


def normalize_graph(graph: Mapping[str, Any]) -> GraphDict:
    """Validate a graph description and fill in defaults.

    Args:
        graph: a mapping shaped like ``program.graph()``.

    Returns:
        A new dict with every key present; edges naming unknown nodes are dropped.

    Raises:
        GraphError: when nodes or edges are not shaped as expected.

    Example:
        >>> g = normalize_graph({"name": "qa", "nodes": [{"id": "in"}], "edges": []})
        >>> g["nodes"][0]["type"], g["variables"]
        ('Module', {})
    """
    _expect(isinstance(graph, Mapping), "the graph", "a mapping", graph)
    raw_nodes = graph.get("nodes") or []
    raw_edges = graph.get("edges") or []
    _expect(isinstance(raw_nodes, list), "graph 'nodes'", "a list", raw_nodes)
    _expect(isinstance(raw_edges, list), "graph 'edges'", "a list", raw_edges)
    nodes = [_node(n, i) for i, n in enumerate(raw_nodes)]
    ids = {n["id"] for n in nodes}
    edges: list[GraphEdgeDict] = []
    for e in raw_edges:
        _expect(isinstance(e, Mapping), "a graph edge", "a mapping with source and target", e)
        source, target = e.get("source"), e.get("target")
        if source in ids and target in ids:
            edges.append({"source": str(source), "target": str(target)})
    raw_vars = graph.get("variables") or {}
    _expect(isinstance(raw_vars, Mapping), "graph 'variables'", "a mapping", raw_vars)
    variables: dict[str, GraphVariableDict] = {}
    for path, v in raw_vars.items():
        v = v if isinstance(v, Mapping) else {"value": v}
        variables[str(path)] = {
            "value": v.get("value"),
            "versions": int(v.get("versions") or 0),
            "description": str(v.get("description") or ""),
        }
    name = str(graph.get("name") or "")
    return {"name": name, "nodes": nodes, "edges": edges, "variables": variables}
