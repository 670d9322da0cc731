"""Concatenation and union: ``x1 + x2``, ``x1 & x2``, ``x1 | x2`` and ``x1 ^ x2``.

:func:`concat_schemas` and :func:`concat_json` put two objects' keys side by side, a
colliding key taking the first free numeric suffix (``answer_1``), named the same way
on schemas and on JSON. :func:`union_schemas` describes ``x1 | x2`` and ``x1 ^ x2``,
whose value is either side or both concatenated. The key rules, and where they differ
from Synalinks', are in :mod:`~synalinks_nb.data_models.json_ops`.
"""

from __future__ import annotations

from collections.abc import Sequence

from synalinks_nb.data_models._json_objects import (
    is_closed,
    joined_title,
    json_keys,
    new_object,
    properties_of,
    required_of,
    set_required,
)
from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    default_title,
    json_object,
    merge_defs,
    normalize,
    object_schema,
)

__all__ = [
    "concat_json",
    "concat_schemas",
    "union_schemas",
]


def _collision_names(keys1: Sequence[str], keys2: Sequence[str]) -> list[str]:
    """The names ``keys2`` get when added after ``keys1``: ``k``, ``k_1``, ``k_2``..."""
    taken = set(keys1)
    names = []
    for key in keys2:
        name, index = key, 0
        while name in taken:
            index += 1
            name = f"{key}_{index}"
        taken.add(name)
        names.append(name)
    return names


def _concat(schema1: JsonDict, schema2: JsonDict, separator: str) -> tuple[JsonDict, JsonDict]:
    """Concatenate two checked schemas; also return ``schema2`` with its refs renamed."""
    body2 = {key: value for key, value in schema2.items() if key != "$defs"}
    defs, schema2 = merge_defs(schema1.get("$defs", {}), schema2.get("$defs", {}), body2)
    properties1, properties2 = properties_of(schema1), properties_of(schema2)
    names = _collision_names(list(properties1), list(properties2))
    renames = dict(zip(properties2, names, strict=True))
    properties = dict(properties1)
    for key, value in properties2.items():
        name = renames[key]
        if name != key and isinstance(value, dict):
            value = {**value, "title": default_title(name)}
        properties[name] = value
    required = [*required_of(schema1), *(renames[key] for key in required_of(schema2))]
    closed = is_closed(schema1) and is_closed(schema2)
    title = joined_title(schema1, schema2, separator)
    return new_object(title, properties, required, closed, defs), schema2


def concat_schemas(schema1: JsonDict, schema2: JsonDict) -> JsonDict:
    """The schema of two data models concatenated (``x1 + x2``, ``x1 & x2``).

    Properties of ``schema1`` come first, then those of ``schema2``; a key already
    present gets the first free numeric suffix (``answer_1``, ``answer_2``...) and
    a matching title (``"Answer 1"``). Each property stays required if its own
    side required it. ``$defs`` are merged; a second-side definition that clashes
    with a different one of the same name is renamed ``Name_1`` and its
    references rewritten. The title joins both titles with ``" + "`` (once if
    they are equal).

    Args:
        schema1: the first object schema.
        schema2: the second object schema.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: an argument is not an object schema.

    Example:
        >>> s = {"type": "object", "title": "Answer",
        ...      "properties": {"answer": {"type": "string", "title": "Answer"}},
        ...      "required": ["answer"]}
        >>> both = concat_schemas(s, s)
        >>> list(both["properties"]), both["required"], both["title"]
        (['answer', 'answer_1'], ['answer', 'answer_1'], 'Answer')
        >>> list(concat_schemas(both, s)["properties"])
        ['answer', 'answer_1', 'answer_2']
    """
    result, _ = _concat(object_schema(schema1, "schema1"), object_schema(schema2, "schema2"), " + ")
    return result


def concat_json(
    json1: JsonDict,
    json2: JsonDict,
    *,
    schema1: JsonDict | None = None,
    schema2: JsonDict | None = None,
) -> JsonDict:
    """Two JSON objects concatenated, keys renamed exactly as :func:`concat_schemas` does.

    Collision suffixes are computed from the keys of the objects. When an object
    may omit optional keys, pass its schema: the names are then computed from
    the schema's properties, so the result matches ``concat_schemas(schema1,
    schema2)`` even when a key is missing.

    Args:
        json1: the first JSON object.
        json2: the second JSON object.
        schema1: optional schema of ``json1``.
        schema2: optional schema of ``json2``.

    Returns:
        A new JSON object.

    Raises:
        InvalidOperationError: an argument is not a JSON object (or schema).

    Example:
        >>> concat_json({"answer": "Paris"}, {"answer": "Lyon", "score": 1})
        {'answer': 'Paris', 'answer_1': 'Lyon', 'score': 1}
        >>> optional = {"type": "object", "properties": {"answer": {"type": "string"}}}
        >>> concat_json({}, {"answer": "Lyon"}, schema1=optional)
        {'answer_1': 'Lyon'}
    """
    value1, value2 = json_object(json1, "json1"), json_object(json2, "json2")
    keys1 = json_keys(value1, schema1, "schema1")
    keys2 = json_keys(value2, schema2, "schema2")
    renames = dict(zip(keys2, _collision_names(keys1, keys2), strict=True))
    result = dict(value1)
    for key, value in value2.items():
        result[renames[key]] = value
    return result


# -- union ------------------------------------------------------------------------------


def _accepting(current: JsonDict, other: JsonDict, defs: JsonDict) -> JsonDict:
    """A property schema accepting both ``current`` and ``other``."""
    if normalize(current, defs) == normalize(other, defs):
        return current
    merged: JsonDict = {"anyOf": [current, other]}
    if isinstance(current, dict) and "title" in current:
        merged["title"] = current["title"]
    return merged


def union_schemas(schema1: JsonDict, schema2: JsonDict) -> JsonDict:
    """The schema of ``x1 | x2`` and ``x1 ^ x2`` on symbolic data models.

    At run time ``x1 | x2`` is ``x1`` alone, ``x2`` alone, or both concatenated;
    ``x1 ^ x2`` is one of the first two. The schema accepts all three: its
    properties are those of :func:`concat_schemas`, a key whose value differs
    between the cases (``answer`` from ``x1`` or from ``x2``) gets ``anyOf``
    both schemas, and only the keys required in both inputs are required. The
    title joins both titles with ``" | "``.

    Where we differ from Synalinks: Synalinks gives the result the schema of
    ``x1`` only, so an output produced by ``x2`` fails validation and the
    concatenated case is not described at all.

    Args:
        schema1: the first object schema.
        schema2: the second object schema.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: an argument is not an object schema.

    Example:
        >>> s1 = {"type": "object", "properties": {"answer": {"type": "string"}},
        ...       "required": ["answer"]}
        >>> s2 = {"type": "object", "properties": {"answer": {"type": "integer"}},
        ...       "required": ["answer"]}
        >>> u = union_schemas(s1, s2)
        >>> u["properties"]["answer"]
        {'anyOf': [{'type': 'string'}, {'type': 'integer'}]}
        >>> u["properties"]["answer_1"]["type"], u["required"]
        ('integer', ['answer'])
    """
    first, second = object_schema(schema1, "schema1"), object_schema(schema2, "schema2")
    result, second = _concat(first, second, " | ")
    properties, defs = result["properties"], result.get("$defs", {})
    for side in (first, second):
        for key, value in properties_of(side).items():
            properties[key] = _accepting(properties[key], value, defs)
    both = set(required_of(second))
    return set_required(result, [key for key in required_of(first) if key in both])
