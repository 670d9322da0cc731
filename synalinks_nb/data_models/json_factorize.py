"""``factorize``: each family of keys (``answer``, ``answer_1``...) becomes one list.

Keys sharing a base key (numeric suffix removed, last word singular) form a family;
a family of two or more becomes a plural list property, on the schema and on the JSON
alike. The key rules, and where they differ from Synalinks', are in
:mod:`~synalinks_nb.data_models.json_ops`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synalinks_nb.data_models._json_objects import (
    json_keys,
    properties_of,
    required_of,
    set_required,
)
from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    base_key,
    default_title,
    is_plural_key,
    json_object,
    normalize,
    object_schema,
    plural_key,
    strip_suffix,
    without_annotations,
)

__all__ = [
    "factorize_json",
    "factorize_schema",
]


def _families(keys: Sequence[str]) -> dict[str, list[str]]:
    families: dict[str, list[str]] = {}
    for key in keys:
        families.setdefault(base_key(key), []).append(key)
    return families


def _family_name(base: str, members: list[str]) -> str:
    if len(members) > 1:
        return plural_key(base)
    member = members[0]
    return member if is_plural_key(member) else strip_suffix(member)


def _elements(member: JsonDict) -> list[JsonDict]:
    """The schemas of what a member adds to the list: its items if it is a list."""
    if not isinstance(member, dict):
        return [{}]  # a boolean schema: anything goes
    if member.get("type") == "array":
        items = member.get("items", {})
        return [items] if isinstance(items, dict) else [{}]
    if isinstance(member.get("anyOf"), list):
        branches = [branch for branch in member["anyOf"] if isinstance(branch, dict)]
        return [element for branch in branches for element in _elements(branch)]
    return [without_annotations(member)]


def _list_schema(name: str, members: list[JsonDict], defs: JsonDict) -> JsonDict:
    items: list[JsonDict] = []
    for element in (e for member in members for e in _elements(member)):
        if all(normalize(element, defs) != normalize(seen, defs) for seen in items):
            items.append(element)
    return {
        "items": items[0] if len(items) == 1 else {"anyOf": items},
        "title": default_title(name),
        "type": "array",
    }


def factorize_schema(schema: JsonDict) -> JsonDict:
    """Group each family of keys (``answer``, ``answer_1``...) into one list property.

    A family of two or more keys becomes a plural array property (``answers``)
    at the place of its first member; its items are the members' schemas (a
    member that is already a list contributes its items), deduplicated, under
    ``anyOf`` when they differ. It is required when any member was. A lone key
    loses its numeric suffix (``answer_1`` -> ``answer``); a lone plural key is
    kept as is.

    Args:
        schema: an object schema.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: ``schema`` is not an object schema.

    Example:
        >>> s = {"type": "object", "properties": {
        ...     "answer": {"type": "string"}, "answer_1": {"type": "string"},
        ...     "score": {"type": "number"}}, "required": ["answer", "score"]}
        >>> f = factorize_schema(s)
        >>> f["properties"]["answers"]
        {'items': {'type': 'string'}, 'title': 'Answers', 'type': 'array'}
        >>> f["required"]
        ['answers', 'score']
    """
    result = object_schema(schema, "schema")
    source, required = properties_of(result), set(required_of(result))
    defs = result.get("$defs", {})
    properties: JsonDict = {}
    new_required = []
    for base, members in _families(list(source)).items():
        name = _family_name(base, members)
        if len(members) > 1:
            properties[name] = _list_schema(name, [source[m] for m in members], defs)
        else:
            properties[name] = source[members[0]]
        if required.intersection(members):
            new_required.append(name)
    result["properties"] = properties
    return set_required(result, new_required)


def factorize_json(json: JsonDict, *, schema: JsonDict | None = None) -> JsonDict:
    """Group each family of keys into one list, as :func:`factorize_schema` does.

    Members are gathered in key order; a member that is a list is spliced in,
    any other value appended. Pass the object's schema when it may omit
    optional keys, so that families are formed from the schema's keys.

    Args:
        json: a JSON object.
        schema: optional schema of ``json``.

    Returns:
        A new JSON object.

    Raises:
        InvalidOperationError: ``json`` is not a JSON object.

    Example:
        >>> factorize_json({"answer": "a", "answer_1": "b", "answers": ["c"], "score": 1})
        {'answers': ['a', 'b', 'c'], 'score': 1}
    """
    value = json_object(json, "json")
    result: JsonDict = {}
    for base, members in _families(json_keys(value, schema, "schema")).items():
        present = [key for key in members if key in value]
        if not present:
            continue
        if len(members) == 1:
            result[_family_name(base, members)] = value[present[0]]
            continue
        gathered: list[Any] = []
        for key in present:
            item = value[key]
            gathered.extend(item) if isinstance(item, list) else gathered.append(item)
        result[_family_name(base, members)] = gathered
    return result
