"""Knowledge-graph data models: entities (nodes), relations (edges) and graphs of them.

Synalinks' shapes, name for name. An :class:`Entity` has a ``label`` (its node
type) and whatever fields a subclass adds; the first field after ``label`` is
its primary key in a graph store. A :class:`Relation` carries its two endpoint
entities in full (``subj``, ``obj``) and a ``label`` (its edge type), so a list
of relations alone describes a connected graph. Pin ``label`` to a ``Literal``
in a subclass for a fixed graph schema; leave it a ``str`` for free-form
extraction, where the language model names the types.

Fields typed with these base classes keep a subclass's fields when serialised
(``KnowledgeGraph(entities=[City(...)])`` keeps the city's name).

The ``is_*`` predicates look at a schema's properties, not at the class, so they
accept a ``DataModel`` class or instance, a ``JsonDataModel`` or a
``SymbolicDataModel`` alike (a relation is also entity-shaped: test it first).
"""

from __future__ import annotations

from typing import Any

from pydantic import SerializeAsAny

from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = [
    "EmbeddedEntity",
    "Entities",
    "Entity",
    "KnowledgeGraph",
    "KnowledgeGraphs",
    "Relation",
    "Relations",
    "is_embedded_entity",
    "is_entities",
    "is_entity",
    "is_knowledge_graph",
    "is_knowledge_graphs",
    "is_relation",
    "is_relations",
]


class Entity(DataModel):
    """A node of a knowledge graph: its label (type) and the fields a subclass adds."""

    # The docstrings of these classes stay one line: they are the schemas' descriptions,
    # which every prompt carrying a graph repeats. The examples are on the predicates.

    label: str = Field(description="The entity label")


class EmbeddedEntity(Entity):
    """An entity with its embedding vector."""

    embedding: list[float] = Field(description="The embedding vector")


class Relation(DataModel):
    """An edge of a knowledge graph: subj -[label]-> obj, both endpoints in full."""

    subj: SerializeAsAny[Entity] = Field(description="The subject entity")
    label: str = Field(description="The relation label")
    obj: SerializeAsAny[Entity] = Field(description="The object entity")


class Entities(DataModel):
    """A list of entities."""

    entities: list[SerializeAsAny[Entity]] = Field(description="The entities")


class Relations(DataModel):
    """A list of relations."""

    relations: list[SerializeAsAny[Relation]] = Field(description="The relations")


class KnowledgeGraph(DataModel):
    """Entities and the relations between them."""

    entities: list[SerializeAsAny[Entity]] = Field(description="The entities")
    relations: list[SerializeAsAny[Relation]] = Field(description="The relations")


class KnowledgeGraphs(DataModel):
    """A list of knowledge graphs."""

    knowledge_graphs: list[SerializeAsAny[KnowledgeGraph]] = Field(
        description="The knowledge graphs")


def _properties(x: Any) -> dict[str, Any]:
    get_schema = getattr(x, "get_schema", None)
    if get_schema is None:
        return {}
    properties: dict[str, Any] = get_schema().get("properties") or {}
    return properties


def is_entity(x: Any) -> bool:
    """Whether ``x``'s schema has a ``label`` field (relations have one too).

    Example:
        >>> from typing import Literal
        >>> import synalinks_nb as sn
        >>> class City(sn.Entity):
        ...     label: Literal["City"]
        ...     name: str = sn.Field(description="The city name")
        >>> paris = City(label="City", name="Paris")
        >>> paris.get_json(), sn.is_entity(paris), sn.is_entity(sn.Entities)
        ({'label': 'City', 'name': 'Paris'}, True, False)
    """
    return "label" in _properties(x)


def is_embedded_entity(x: Any) -> bool:
    """Whether ``x``'s schema has ``label`` and ``embedding`` fields."""
    properties = _properties(x)
    return "label" in properties and "embedding" in properties


def is_relation(x: Any) -> bool:
    """Whether ``x``'s schema has ``subj``, ``label`` and ``obj`` fields.

    Example:
        >>> import synalinks_nb as sn
        >>> class Person(sn.Entity):
        ...     name: str
        >>> class Knows(sn.Relation):
        ...     subj: Person
        ...     obj: Person
        >>> edge = Knows(subj=Person(label="Person", name="Ada"), label="Knows",
        ...              obj=Person(label="Person", name="Charles"))
        >>> edge.get_json()["obj"]["name"], sn.is_relation(edge), sn.is_relation(Person)
        ('Charles', True, False)
    """
    properties = _properties(x)
    return all(key in properties for key in ("subj", "label", "obj"))


def is_entities(x: Any) -> bool:
    """Whether ``x``'s schema has an ``entities`` field (knowledge graphs have one too)."""
    return "entities" in _properties(x)


def is_relations(x: Any) -> bool:
    """Whether ``x``'s schema has a ``relations`` field (knowledge graphs have one too)."""
    return "relations" in _properties(x)


def is_knowledge_graph(x: Any) -> bool:
    """Whether ``x``'s schema has ``entities`` and ``relations`` fields.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.is_knowledge_graph(sn.KnowledgeGraph), sn.is_knowledge_graph(sn.Entities)
        (True, False)
    """
    properties = _properties(x)
    return "entities" in properties and "relations" in properties


def is_knowledge_graphs(x: Any) -> bool:
    """Whether ``x``'s schema has a ``knowledge_graphs`` field."""
    return "knowledge_graphs" in _properties(x)
