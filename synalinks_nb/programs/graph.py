"""``program.graph()``: the JSON description of a program that widgets and SVGs render.

Format::

    {"name": str,
     "nodes": [{"id", "name", "type", "trainable", "variables": [paths],
                "input_schema", "output_schema", "parent", "description"}],
     "edges": [{"source", "target"}],
     "variables": {path: {"value", "versions", "description"}}}

A node is one operation (module, input, or operator step); its id is the
operation's name, unique per session. A nested program is a node of type
``"Program"``; its inner nodes carry ``"parent": <program id>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.utils.tree import flatten

if TYPE_CHECKING:
    from synalinks_nb.ops.node import Node
    from synalinks_nb.programs.functional import FunctionalGraph

__all__ = ["describe_graph", "node_type"]

_OP_TYPES = {"concat": "Concat", "and": "And", "or": "Or", "xor": "Xor"}


def node_type(operation: Any) -> str:
    """The display type: the class name, or the operator for ``+ & | ^`` steps."""
    kind = getattr(operation, "kind", None)
    if type(operation).__name__ == "LogicalOp" and kind in _OP_TYPES:
        return _OP_TYPES[kind]
    if type(operation).__name__ == "InputModule":
        return "Input"
    return type(operation).__name__


def _schema(x: Any) -> Any:
    leaves = [s for s in flatten(x) if isinstance(s, SymbolicDataModel)]
    if not leaves:
        return None
    if len(leaves) == 1:
        return leaves[0].get_schema()
    return [s.get_schema() for s in leaves]


def _node_entry(node: Node, parent: str | None) -> dict[str, Any]:
    op = node.operation
    variables = [v.path for v in getattr(op, "variables", [])]
    trainable = bool(getattr(op, "trainable_variables", []))
    return {
        "id": op.name,
        "name": op.name,
        "type": "Program" if hasattr(op, "graph") and callable(op.graph) else node_type(op),
        "trainable": trainable,
        "variables": variables,
        "input_schema": _schema(list(node.args)) if node.args else _schema(node.outputs),
        "output_schema": _schema(node.outputs),
        "parent": parent,
        "description": op.description,
    }


def describe_graph(
    name: str, graph: FunctionalGraph | None, modules: list[Any], parent: str | None = None
) -> dict[str, Any]:
    """Describe ``graph`` (or, without one, just the ``modules``) in the format above."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, str]] = []
    variables: dict[str, Any] = {}
    if graph is None:
        for module in modules:
            nodes.append({"id": module.name, "name": module.name, "type": type(module).__name__,
                          "trainable": bool(module.trainable_variables),
                          "variables": [v.path for v in module.variables],
                          "input_schema": None, "output_schema": None, "parent": parent,
                          "description": module.description})
    else:
        seen: set[str] = set()
        input_nodes = [x._history for x in graph.flat_inputs if x._history is not None]
        for node in [*input_nodes, *graph.nodes]:
            entry = _node_entry(node, parent)
            if entry["id"] in seen:
                continue
            seen.add(entry["id"])
            nodes.append(entry)
            for p in node.parent_nodes:
                edge = {"source": p.operation.name, "target": node.operation.name}
                if edge not in edges:
                    edges.append(edge)
            if entry["type"] == "Program":
                inner = getattr(node.operation, "graph")(parent=node.operation.name)  # noqa: B009
                nodes.extend(inner["nodes"])
                edges.extend(inner["edges"])
    for module in modules:
        for v in module.variables:
            variables[v.path] = {"value": v.value, "versions": len(v.versions),
                                 "description": v.description}
    return {"name": name, "nodes": nodes, "edges": edges, "variables": variables}
