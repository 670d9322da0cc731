"""Stored nodes and edges back as data models, and the graph's schema as text.

A search returns a :class:`~synalinks_nb.KnowledgeGraph` whose entities and
relations are instances of models made from the tables (one per label, its
``label`` a ``Literal``), so ``graph.entities[0].name`` works for a free-form
graph as for a declared one, and the graph's JSON keeps every property.
"""

from __future__ import annotations

import functools
from types import GenericAlias
from typing import Any, Literal, Union

import pydantic

from synalinks_nb.data_models.knowledge import Entity, KnowledgeGraph, Relation
from synalinks_nb.knowledge_bases.graph_tables import GraphCatalog, NodeTable, RelTable

__all__ = ["clean_value", "graph_of", "internal_id", "node_model", "schema_text"]

_PYTHON = {"STRING": str, "INT64": int, "DOUBLE": float, "BOOLEAN": bool}


@functools.lru_cache(maxsize=256)
def _model(base: type, label: str, fields: tuple[tuple[str, str], ...],
           endpoints: tuple[type, type] | None = None) -> Any:
    definitions: dict[str, Any] = {"label": (Literal[label], ...)}
    if endpoints is not None:
        definitions["subj"] = (endpoints[0], ...)
        definitions["obj"] = (endpoints[1], ...)
    for name, kind in fields:
        definitions[name] = (_PYTHON.get(kind, str) | None, None)
    return pydantic.create_model(label, __base__=base, **definitions)


def node_model(table: NodeTable) -> Any:
    """The entity model of a node table."""
    return _model(Entity, table.label, tuple(table.columns.items()))


def clean_value(value: Any) -> Any:
    """A query result as JSON for people and models: nodes and edges without internal ids.

    Example:
        >>> clean_value({"_ID": {"offset": 0}, "_LABEL": "City", "name": "Paris",
        ...              "embedding": [0.1]})
        {'label': 'City', 'name': 'Paris'}
    """
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict) and "_LABEL" in value:
        cleaned = {"label": value["_LABEL"]}
        cleaned.update({k: clean_value(v) for k, v in value.items()
                        if not k.startswith("_") and k != "embedding"})
        return cleaned
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value


def _instance(model: Any, columns: dict[str, str], node: dict[str, Any]) -> Any:
    return model(label=node["_LABEL"], **{n: node.get(n) for n in columns})


def graph_of(catalog: GraphCatalog, nodes: dict[Any, dict[str, Any]],
             edges: list[dict[str, Any]]) -> Any:
    """A KnowledgeGraph of stored nodes (by internal id) and the edges between them."""
    labels = sorted({n["_LABEL"] for n in nodes.values()})
    if not labels:
        return KnowledgeGraph(entities=[], relations=[])
    models = {label: node_model(catalog.nodes[label]) for label in labels}
    entities = {iid: _instance(models[n["_LABEL"]], catalog.nodes[n["_LABEL"]].columns, n)
                for iid, n in nodes.items()}
    relations = []
    rel_models = []
    for edge in edges:
        source, target = internal_id(edge["_SRC"]), internal_id(edge["_DST"])
        if source not in nodes or target not in nodes:
            continue
        subj, obj = nodes[source], nodes[target]
        table: RelTable = catalog.rels[edge["_LABEL"]]
        model = _model(Relation, table.label, tuple(table.columns.items()),
                       (models[subj["_LABEL"]], models[obj["_LABEL"]]))
        rel_models.append(model)
        relations.append(model(
            subj=entities[source], label=table.label, obj=entities[target],
            **{n: edge.get(n) for n in table.columns}))
    fields: dict[str, Any] = {
        "entities": (GenericAlias(list, _union(list(models.values()))), ...),
        "relations": (GenericAlias(list, _union(rel_models or [Relation])), ...)}
    graph_model = pydantic.create_model("KnowledgeGraph", __base__=KnowledgeGraph, **fields)
    return graph_model(entities=list(entities.values()), relations=relations)


def _union(models: list[Any]) -> Any:
    """``Union[A, B, ...]`` of models (pydantic picks the member by its ``Literal`` label).

    Not ``A | B``: ``|`` between data-model classes builds Synalinks' logical Or.
    """
    members = tuple(dict.fromkeys(models))
    return members[0] if len(members) == 1 else Union.__getitem__(members)


def internal_id(node_or_edge_id: dict[str, Any]) -> tuple[int, int]:
    """The engine's identity of a node or edge (its ``_ID``, ``_SRC`` or ``_DST``)."""
    return (int(node_or_edge_id["table"]), int(node_or_edge_id["offset"]))


def schema_text(catalog: GraphCatalog) -> str:
    """The node and edge tables as a text block for a language model writing Cypher.

    Example:
        >>> from synalinks_nb.knowledge_bases.graph_tables import NodeTable, RelTable
        >>> catalog = GraphCatalog()
        >>> catalog.nodes["City"] = NodeTable("City", {"name": "STRING"})
        >>> catalog.rels["InCountry"] = RelTable("InCountry", {}, {("City", "Country")})
        >>> print(schema_text(catalog))
        # Entities
        (:City)
          - name (STRING, primary key)
        <BLANKLINE>
        # Relations
        (:City)-[:InCountry]->(:Country)
    """
    sections = []
    if catalog.nodes:
        blocks = []
        for table in catalog.nodes.values():
            lines = [f"(:{table.label})"]
            lines += [f"  - {name} ({kind}{', primary key' if name == table.key else ''})"
                      for name, kind in table.columns.items()]
            blocks.append("\n".join(lines))
        sections.append("# Entities\n" + "\n".join(blocks))
    if catalog.rels:
        blocks = []
        for rel in catalog.rels.values():
            lines = [f"(:{a})-[:{rel.label}]->(:{b})" for a, b in sorted(rel.pairs)]
            lines += [f"  - {name} ({kind})" for name, kind in rel.columns.items()]
            blocks.append("\n".join(lines))
        sections.append("# Relations\n" + "\n".join(blocks))
    return "\n\n".join(sections)
