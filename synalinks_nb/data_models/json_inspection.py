"""Reading object schemas without changing them.

:func:`schema_properties` gives the top-level properties with their ``$ref`` resolved;
:func:`is_schema_equal` says whether two schemas accept the same properties, whatever
their titles and definition names. Part of :mod:`~synalinks_nb.data_models.json_ops`.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models._json_objects import (
    properties_of,
    required_of,
)
from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    normalize,
    object_schema,
    resolve,
)

__all__ = [
    "is_schema_equal",
    "schema_properties",
]


def schema_properties(schema: JsonDict) -> JsonDict:
    """The top-level properties of ``schema``, each ``$ref`` replaced by its definition.

    Only the property itself is resolved (a ``$ref`` nested deeper stays, and
    still resolves against ``schema["$defs"]``). A root ``$ref`` (pydantic's
    form for recursive models) is followed first.

    Args:
        schema: an object schema.

    Returns:
        A new dict mapping each property name to its schema.

    Raises:
        InvalidOperationError: ``schema`` is not an object schema.

    Example:
        >>> s = {"type": "object", "properties": {"city": {"$ref": "#/$defs/City"}},
        ...      "$defs": {"City": {"type": "object", "properties": {"name": {"type": "string"}}}}}
        >>> schema_properties(s)["city"]["properties"]
        {'name': {'type': 'string'}}
    """
    checked = object_schema(schema, "schema")
    defs = checked.get("$defs", {})
    return {key: resolve(value, defs) for key, value in properties_of(checked).items()}


def _shape(schema: JsonDict) -> tuple[Any, ...]:
    defs = schema.get("$defs", {})
    properties = {key: normalize(value, defs) for key, value in properties_of(schema).items()}
    return schema.get("type", "object"), properties, sorted(required_of(schema))


def is_schema_equal(schema1: JsonDict, schema2: JsonDict) -> bool:
    """Whether two object schemas accept the same properties.

    Compares the property names, each property's schema with ``$ref``\\ s
    inlined (so definition names do not matter) and with ``title``,
    ``description`` and ``examples`` ignored at every level, the set of
    required keys, and the root type. Ignores the root title and description,
    key order and ``additionalProperties``. Synalinks compares the
    ``properties`` dicts only, titles and reference names included.

    Args:
        schema1: the first object schema.
        schema2: the second object schema.

    Returns:
        ``True`` when the two schemas are equal in that sense.

    Raises:
        InvalidOperationError: an argument is not an object schema.

    Example:
        >>> a = {"type": "object", "title": "A",
        ...      "properties": {"x": {"type": "string", "title": "X"}}}
        >>> b = {"type": "object", "title": "B", "properties": {"x": {"type": "string"}}}
        >>> is_schema_equal(a, b), is_schema_equal(a, {**b, "required": ["x"]})
        (True, False)
    """
    first, second = object_schema(schema1, "schema1"), object_schema(schema2, "schema2")
    return _shape(first) == _shape(second)
