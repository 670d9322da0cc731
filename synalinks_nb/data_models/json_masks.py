"""``in_mask`` and ``out_mask``: keep or drop keys by name or by pattern.

A mask name matches the key itself, its suffixed forms and its plural; a pattern is
searched in the key and in its base key. Schemas and JSON are filtered by the same rule,
into nested objects, ``$defs`` and list items when ``recursive``. The key rules, and
where they differ from Synalinks', are in :mod:`~synalinks_nb.data_models.json_ops`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from synalinks_nb.data_models._json_objects import (
    set_required,
)
from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    json_object,
    key_matcher,
    object_schema,
    prune_defs,
    subschemas,
)

__all__ = [
    "in_mask_json",
    "in_mask_schema",
    "out_mask_json",
    "out_mask_schema",
]


def _filter_properties(node: JsonDict, drop: Callable[[str], bool]) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    node["properties"] = {k: v for k, v in properties.items() if not drop(k)}
    if "required" in node:
        set_required(node, [k for k in node["required"] if k in node["properties"]])


def _mask_schema(schema: JsonDict, drop: Callable[[str], bool], recursive: bool) -> JsonDict:
    pending = [schema]
    if recursive:
        pending.extend(d for d in schema.get("$defs", {}).values() if isinstance(d, dict))
    while pending:
        node = pending.pop()
        _filter_properties(node, drop)
        if recursive:
            pending.extend(subschemas(node))
    return prune_defs(schema)


def _mask_json(value: Any, drop: Callable[[str], bool], recursive: bool) -> Any:
    if isinstance(value, list):
        return [_mask_json(item, drop, recursive) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: _mask_json(item, drop, recursive) if recursive else item
        for key, item in value.items()
        if not drop(key)
    }


def in_mask_schema(
    schema: JsonDict,
    mask: Sequence[str] | None = None,
    recursive: bool = True,
    pattern: str | None = None,
) -> JsonDict:
    """Keep only the properties named by ``mask`` or matching ``pattern``.

    A mask key matches itself, its suffixed forms and its plural (``answer``
    matches ``answer_1``, ``answer_12``, ``answers``; ``answers`` matches
    ``answer``). ``pattern`` is a regular expression searched (``re.search``) in
    each key and in its base key; a key is kept if the mask or the pattern
    matches. With ``recursive``, the same rule applies inside nested objects,
    ``$defs`` definitions and list items. ``required`` lists only kept keys;
    definitions no longer referenced are dropped. No mask and no pattern keep
    nothing.

    Args:
        schema: an object schema.
        mask: property names to keep.
        recursive: also filter nested objects.
        pattern: optional regular expression of names to keep.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: bad ``schema``, ``mask`` or ``pattern``.

    Example:
        >>> s = {"type": "object", "properties": {
        ...     "thinking": {"type": "string"}, "answer": {"type": "string"},
        ...     "answer_1": {"type": "string"}}, "required": ["thinking", "answer"]}
        >>> kept = in_mask_schema(s, mask=["answers"])
        >>> list(kept["properties"]), kept["required"]
        (['answer', 'answer_1'], ['answer'])
    """
    keep = key_matcher(mask, pattern)
    return _mask_schema(object_schema(schema, "schema"), lambda key: not keep(key), recursive)


def in_mask_json(
    json: JsonDict,
    mask: Sequence[str] | None = None,
    recursive: bool = True,
    pattern: str | None = None,
) -> JsonDict:
    """Keep only the keys named by ``mask`` or matching ``pattern``.

    The rule is :func:`in_mask_schema`'s, applied to the object and, with
    ``recursive``, to every nested object, including objects inside lists.

    Args:
        json: a JSON object.
        mask: keys to keep.
        recursive: also filter nested objects.
        pattern: optional regular expression of keys to keep.

    Returns:
        A new JSON object.

    Raises:
        InvalidOperationError: bad ``json``, ``mask`` or ``pattern``.

    Example:
        >>> in_mask_json({"thinking": "...", "answers": ["a"], "answer_1": "b"}, mask=["answer"])
        {'answers': ['a'], 'answer_1': 'b'}
        >>> in_mask_json({"first_name": "Ada", "age": 36}, pattern="name$")
        {'first_name': 'Ada'}
    """
    keep = key_matcher(mask, pattern)
    result: JsonDict = _mask_json(json_object(json, "json"), lambda key: not keep(key), recursive)
    return result


def out_mask_schema(
    schema: JsonDict,
    mask: Sequence[str] | None = None,
    recursive: bool = True,
    pattern: str | None = None,
) -> JsonDict:
    """Drop the properties named by ``mask`` or matching ``pattern``.

    Matching, recursion and ``required`` follow :func:`in_mask_schema`, with the
    opposite outcome. No mask and no pattern drop nothing.

    Args:
        schema: an object schema.
        mask: property names to drop.
        recursive: also filter nested objects.
        pattern: optional regular expression of names to drop.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: bad ``schema``, ``mask`` or ``pattern``.

    Example:
        >>> s = {"type": "object", "properties": {
        ...     "thinking": {"type": "string"}, "answer": {"type": "string"}},
        ...     "required": ["thinking", "answer"]}
        >>> out_mask_schema(s, mask=["thinking"])["required"]
        ['answer']
    """
    drop = key_matcher(mask, pattern)
    return _mask_schema(object_schema(schema, "schema"), drop, recursive)


def out_mask_json(
    json: JsonDict,
    mask: Sequence[str] | None = None,
    recursive: bool = True,
    pattern: str | None = None,
) -> JsonDict:
    """Drop the keys named by ``mask`` or matching ``pattern`` (see :func:`in_mask_json`).

    Args:
        json: a JSON object.
        mask: keys to drop.
        recursive: also filter nested objects.
        pattern: optional regular expression of keys to drop.

    Returns:
        A new JSON object.

    Raises:
        InvalidOperationError: bad ``json``, ``mask`` or ``pattern``.

    Example:
        >>> out_mask_json({"thinking": "...", "steps": [{"thinking": "x", "n": 1}]},
        ...               mask=["thinking"])
        {'steps': [{'n': 1}]}
    """
    drop = key_matcher(mask, pattern)
    result: JsonDict = _mask_json(json_object(json, "json"), drop, recursive)
    return result
