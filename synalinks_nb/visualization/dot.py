"""``program_to_dot``: a program's graph in the DOT language (Synalinks' ``utils`` name).

Synalinks returns a ``pydot.Dot`` object built through graphviz. Here the same
graph description the widgets and the SVG draw (``program.graph()``) is written
as DOT text, with no dependency: the result is a ``str`` (the DOT source) with
pydot's ``to_string()``, ready for ``dot -Tpng`` or any graphviz binding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synalinks_nb.visualization.graph_types import GraphNodeDict, normalize_graph

__all__ = ["DotGraph", "program_to_dot"]

_RANKDIRS = ("TB", "LR", "BT", "RL")


class DotGraph(str):
    """DOT source text; ``to_string()`` returns it, as pydot's ``Dot`` does."""

    def to_string(self) -> str:
        """The DOT source."""
        return str(self)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _fields(schema: Any) -> str:
    props = schema.get("properties") if isinstance(schema, Mapping) else None
    return ", ".join(props) if isinstance(props, Mapping) else "?"


def _label(node: GraphNodeDict, options: Mapping[str, bool]) -> str:
    lines = [f"{node['name']} ({node['type']})" if options["names"] else node["type"]]
    if options["schemas"]:
        lines += [f"in: {_fields(node['input_schema'])}", f"out: {_fields(node['output_schema'])}"]
        if options["defs"]:
            defs = (node["output_schema"] or {}).get("$defs") or {}
            lines += [f"defs: {', '.join(defs)}"] if defs else []
    if options["trainable"]:
        lines.append("trainable" if node["trainable"] else "frozen")
    return "\n".join(lines)


def _top(node_id: str, parents: Mapping[str, str | None]) -> str:
    """The outermost node holding ``node_id`` (collapsed nested programs)."""
    while parents.get(node_id):
        node_id = parents[node_id] or node_id
    return node_id


def program_to_dot(program: Any, show_schemas: bool = False, show_defs: bool = False,
                   show_module_names: bool = True, rankdir: str = "TB",
                   expand_nested: bool = False, dpi: int = 200, subgraph: bool = False,
                   show_trainable: bool = False) -> DotGraph:
    """The program's graph as DOT text (a ``digraph``, or a ``subgraph cluster`` block).

    Args:
        program: any program.
        show_schemas: list each module's input and output fields.
        show_defs: with ``show_schemas``, also name the output schema's ``$defs``.
        show_module_names: label nodes ``name (Type)`` rather than ``Type``.
        rankdir: ``"TB"``, ``"LR"``, ``"BT"`` or ``"RL"``.
        expand_nested: draw the modules of nested programs in a cluster each;
            otherwise a nested program is one node.
        dpi: the picture's resolution, as a graph attribute.
        subgraph: write a ``subgraph cluster_<name>`` block to embed in another graph.
        show_trainable: say ``trainable`` or ``frozen`` on each node.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> async def build():
        ...     x = sn.Input(data_model=Query, name="query")
        ...     return sn.Program(inputs=x, outputs=await sn.Identity(name="same")(x), name="echo")
        >>> print(sn.utils.program_to_dot(asyncio.run(build()), rankdir="LR").to_string())
        digraph "echo" {
          graph [rankdir="LR", dpi=200];
          node [shape="box"];
          "query" [label="query (Input)"];
          "same" [label="same (Identity)"];
          "query" -> "same";
        }
    """
    if rankdir not in _RANKDIRS:
        raise ValueError(f"Expected rankdir to be one of {_RANKDIRS}. Received: {rankdir!r}")
    graph = normalize_graph(program.graph())
    options = {"names": show_module_names, "schemas": show_schemas, "defs": show_defs,
               "trainable": show_trainable}
    parents = {n["id"]: n["parent"] for n in graph["nodes"]}
    head = f"subgraph {_quote('cluster_' + graph['name'])}" if subgraph else \
        f"digraph {_quote(graph['name'])}"
    lines = [head + " {", f"  graph [rankdir={_quote(rankdir)}, dpi={int(dpi)}];",
             '  node [shape="box"];']
    for node in graph["nodes"]:
        if node["parent"] and not expand_nested:
            continue
        line = f"  {_quote(node['id'])} [label={_quote(_label(node, options))}];"
        if node["parent"]:
            line = f"  subgraph {_quote('cluster_' + node['parent'])} {{ {line.strip()} }}"
        lines.append(line)
    edges: list[tuple[str, str]] = []
    for edge in graph["edges"]:
        source, target = edge["source"], edge["target"]
        if not expand_nested:
            source, target = _top(source, parents), _top(target, parents)
        if source != target and (source, target) not in edges:
            edges.append((source, target))
    lines += [f"  {_quote(s)} -> {_quote(t)};" for s, t in edges]
    return DotGraph("\n".join([*lines, "}"]))
