"""Steps every JSON op shares: reading an object schema, and building a new one.

The ops gathered in :mod:`~synalinks_nb.data_models.json_ops` read a schema's
properties and required keys the same way, and build their results through
:func:`new_object` and :func:`set_required`, so that ``required`` never names a
missing key and definitions nothing refers to are dropped. :func:`json_keys` gives
the order in which an op names a JSON object's keys when the object's schema is known.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    object_schema,
    prune_defs,
)

__all__ = [
    "is_closed",
    "joined_title",
    "json_keys",
    "new_object",
    "properties_of",
    "required_of",
    "set_required",
]


def properties_of(schema: JsonDict) -> JsonDict:
    """The schema's ``properties`` (empty when it has none)."""
    properties: JsonDict = schema.get("properties", {})
    return properties


def required_of(schema: JsonDict) -> list[str]:
    """The required keys that are properties of the schema."""
    properties = properties_of(schema)
    return [key for key in schema.get("required", []) if key in properties]


def is_closed(schema: JsonDict) -> bool:
    """Whether the schema forbids keys it does not list."""
    return schema.get("additionalProperties") is False


def set_required(schema: JsonDict, required: list[str]) -> JsonDict:
    """Set ``required`` in place (removed when empty) and return the schema."""
    if required:
        schema["required"] = required
    else:
        schema.pop("required", None)
    return schema


def joined_title(schema1: JsonDict, schema2: JsonDict, separator: str) -> str | None:
    """Both titles joined by ``separator`` (once when equal), or None without titles."""
    titles = [t for t in (schema1.get("title"), schema2.get("title")) if isinstance(t, str) and t]
    if len(titles) == 2 and titles[0] == titles[1]:
        titles = titles[:1]
    return separator.join(titles) or None


def new_object(
    title: str | None, properties: JsonDict, required: list[str], closed: bool, defs: JsonDict
) -> JsonDict:
    """An object schema; definitions nothing refers to are dropped."""
    result: JsonDict = {"type": "object", "properties": properties}
    if title:
        result["title"] = title
    set_required(result, required)
    if closed:
        result["additionalProperties"] = False
    if defs:
        result["$defs"] = defs
    return prune_defs(result)


def json_keys(value: JsonDict, schema: Any, name: str) -> list[str]:
    """The keys an op names by: the schema's properties first, then extra JSON keys."""
    if schema is None:
        return list(value)
    properties = properties_of(object_schema(schema, name))
    return [*properties, *(key for key in value if key not in properties)]
