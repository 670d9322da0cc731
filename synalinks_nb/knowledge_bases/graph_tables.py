"""The node and edge tables of a knowledge graph: created from models or from the data.

A node table is named after the entity's ``label``; its columns are the
entity's fields but ``label`` (the first one is the primary key, Synalinks'
convention) and, once a vector is stored, ``embedding FLOAT[dim]``. An edge
table is named after the relation's ``label``, connects the endpoint labels it
has seen (``ALTER TABLE ... ADD FROM a TO b`` when a new pair arrives), and has
the relation's fields but ``subj``, ``label`` and ``obj`` as properties.

Tables come from the declared entity and relation models when the knowledge
base opens, and otherwise from the first record of a label (free-form graphs):
a value's Python type chooses the column type, a field seen later adds a
column. Lists and objects are stored as JSON text. The catalog is read back
from the database, so reopening a file knows its tables. Labels and field names
are checked to be plain identifiers before they reach a query (Cypher cannot
bind them as parameters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.graph_store import LadybugStore
from synalinks_nb.knowledge_bases.tables import quote

__all__ = ["COMMUNITY_COLUMNS", "EDGE_FIELDS", "GraphCatalog", "NodeTable", "RelTable",
           "identifier"]

#: the fields of a relation that are not edge properties
EDGE_FIELDS = ("subj", "label", "obj", "embedding")
#: the columns ``build_communities`` adds to node tables (not entity fields)
COMMUNITY_COLUMNS = {"community": "INT64", "rank": "DOUBLE"}
_SCHEMA_TYPES = {"string": "STRING", "integer": "INT64", "number": "DOUBLE", "boolean": "BOOLEAN"}


def identifier(name: Any) -> str:
    """``name`` if it can be a table or property name (letters, digits, underscores)."""
    return quote(str(name))[1:-1]


def value_type(value: Any) -> str:
    """The column type for a value: its scalar type, else STRING (JSON text)."""
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "INT64"
    if isinstance(value, float):
        return "DOUBLE"
    return "STRING"


def schema_type(prop: dict[str, Any]) -> str:
    """The column type for a JSON-schema property (STRING for anything not scalar)."""
    options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    kind = options[0].get("type") if len(options) == 1 else None  # `int | None` is an int
    return _SCHEMA_TYPES.get(kind, "STRING") if isinstance(kind, str) else "STRING"


def stored_value(value: Any, kind: str) -> Any:
    """A value as its column holds it: lists and objects in STRING columns as JSON."""
    if kind == "STRING" and value is not None and not isinstance(value, str):
        return json.dumps(value)
    return value


@dataclass
class NodeTable:
    """One node label: its primary key and typed columns (without the embedding)."""

    label: str
    columns: dict[str, str]
    has_vector: bool = False
    #: whether ``build_communities`` added the ``community`` and ``rank`` columns
    stamped: bool = False

    @property
    def key(self) -> str:
        """The primary-key column (the first field after ``label``)."""
        return next(iter(self.columns))


@dataclass
class RelTable:
    """One relation label: the endpoint label pairs it connects and its properties."""

    label: str
    columns: dict[str, str]
    pairs: set[tuple[str, str]] = field(default_factory=set)


class GraphCatalog:
    """The tables of one graph database, kept in step with its catalog."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeTable] = {}
        self.rels: dict[str, RelTable] = {}
        self.dim: int | None = None

    def load(self, s: LadybugStore) -> None:
        """Read the existing tables of the database (a reopened file)."""
        for row in s.execute("CALL show_tables() RETURN name, type"):
            info = s.execute(f"CALL table_info('{identifier(row['name'])}') RETURN *")
            columns = {str(c["name"]): str(c["type"]) for c in info}
            if row["type"] == "NODE":
                vector = columns.pop("embedding", None)
                if vector is not None:
                    self.dim = int(vector.split("[")[1].rstrip("]"))
                stamped = all(columns.get(c) == t for c, t in COMMUNITY_COLUMNS.items())
                for name in COMMUNITY_COLUMNS if stamped else ():
                    columns.pop(name)
                self.nodes[row["name"]] = NodeTable(row["name"], columns, vector is not None,
                                                    stamped)
            elif row["type"] == "REL":
                pairs = {(c["source table name"], c["destination table name"])
                         for c in s.execute(f"CALL show_connection('{row['name']}') RETURN *")}
                self.rels[row["name"]] = RelTable(row["name"], columns, pairs)

    def node(self, s: LadybugStore, label: str, columns: dict[str, str],
             dim: int | None) -> NodeTable:
        """The node table of ``label``, created or widened to hold ``columns`` (and a vector)."""
        label = identifier(label)
        table = self.nodes.get(label)
        if table is None:
            if not columns:
                raise KnowledgeBaseError(
                    f"Expected an entity of label {label!r} to have a field besides 'label' "
                    "(the first one is its primary key). Received none.")
            defs = [f"{identifier(n)} {kind}" for n, kind in columns.items()]
            key = identifier(next(iter(columns)))
            s.execute(f"CREATE NODE TABLE IF NOT EXISTS {label}({', '.join(defs)}, "
                      f"PRIMARY KEY({key}))")
            table = self.nodes[label] = NodeTable(label, dict(columns))
        for name, kind in columns.items():
            if name not in table.columns:
                s.execute(f"ALTER TABLE {label} ADD {identifier(name)} {kind}")
                table.columns[name] = kind
        if dim is not None and not table.has_vector:
            self._check_dim(dim)
            s.execute(f"ALTER TABLE {label} ADD embedding FLOAT[{dim}]")
            table.has_vector = True
        return table

    def rel(self, s: LadybugStore, label: str, pair: tuple[str, str],
            columns: dict[str, str]) -> RelTable:
        """The edge table of ``label``, created or extended to connect ``pair``."""
        label = identifier(label)
        table = self.rels.get(label)
        props = "".join(f", {identifier(n)} {kind}" for n, kind in columns.items())
        if table is None:
            s.execute(f"CREATE REL TABLE IF NOT EXISTS {label}(FROM {pair[0]} TO {pair[1]}{props})")
            table = self.rels[label] = RelTable(label, dict(columns), {pair})
        if pair not in table.pairs:
            s.execute(f"ALTER TABLE {label} ADD FROM {pair[0]} TO {pair[1]}")
            table.pairs.add(pair)
        for name, kind in columns.items():
            if name not in table.columns:
                s.execute(f"ALTER TABLE {label} ADD {identifier(name)} {kind}")
                table.columns[name] = kind
        return table

    def _check_dim(self, dim: int) -> None:
        if self.dim is not None and dim != self.dim:
            raise KnowledgeBaseError(
                f"Expected embeddings of dimension {self.dim} in this graph. Received: {dim}")
        self.dim = dim

    def check_vector(self, vector: list[float]) -> None:
        """Refuse a vector whose dimension differs from the graph's."""
        self._check_dim(len(vector))


def columns_of_schema(schema: dict[str, Any], skip: tuple[str, ...]) -> dict[str, str]:
    """Typed columns of a model's schema, in field order, without the ``skip`` fields."""
    properties = schema.get("properties") or {}
    return {identifier(name): schema_type(prop) for name, prop in properties.items()
            if name not in skip}


def columns_of_value(value: dict[str, Any], skip: tuple[str, ...]) -> dict[str, str]:
    """Typed columns of a record, in field order, without the ``skip`` fields."""
    return {identifier(name): value_type(v) for name, v in value.items() if name not in skip}
