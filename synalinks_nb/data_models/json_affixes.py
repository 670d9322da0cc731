"""``prefix`` and ``suffix``: rename every top-level key (``draft_answer``, ``answer_final``).

Titles and ``required`` are renamed with the keys. Part of
:mod:`~synalinks_nb.data_models.json_ops`.
"""

from __future__ import annotations

from collections.abc import Callable

from synalinks_nb.data_models._json_objects import (
    properties_of,
    required_of,
    set_required,
)
from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    default_title,
    json_object,
    name_affix,
    object_schema,
)

__all__ = [
    "prefix_json",
    "prefix_schema",
    "suffix_json",
    "suffix_schema",
]


def _rename_schema(
    schema: JsonDict, rename: Callable[[str], str], retitle: Callable[[str], str]
) -> JsonDict:
    properties: JsonDict = {}
    for key, value in properties_of(schema).items():
        if isinstance(value, dict):
            value = {**value, "title": retitle(value.get("title", default_title(key)))}
        properties[rename(key)] = value
    required = [rename(key) for key in required_of(schema)]
    schema["properties"] = properties
    return set_required(schema, required)


def prefix_schema(schema: JsonDict, prefix: str) -> JsonDict:
    """Rename every top-level property ``key`` to ``<prefix>_key``.

    Titles get the prefix too (``"Answer"`` -> ``"Draft Answer"``); ``required``
    is renamed.

    Args:
        schema: an object schema.
        prefix: a non-empty string.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: bad ``schema`` or ``prefix``.

    Example:
        >>> s = {"type": "object", "properties": {"answer": {"type": "string"}},
        ...      "required": ["answer"]}
        >>> p = prefix_schema(s, "draft")
        >>> p["properties"], p["required"]
        ({'draft_answer': {'type': 'string', 'title': 'Draft Answer'}}, ['draft_answer'])
    """
    prefix = name_affix(prefix, "prefix")
    return _rename_schema(
        object_schema(schema, "schema"),
        lambda key: f"{prefix}_{key}",
        lambda title: f"{prefix.title()} {title}",
    )


def prefix_json(json: JsonDict, prefix: str) -> JsonDict:
    """Rename every top-level key ``key`` to ``<prefix>_key``.

    Args:
        json: a JSON object.
        prefix: a non-empty string.

    Returns:
        A new JSON object.

    Raises:
        InvalidOperationError: bad ``json`` or ``prefix``.

    Example:
        >>> prefix_json({"answer": "Paris"}, "draft")
        {'draft_answer': 'Paris'}
    """
    prefix = name_affix(prefix, "prefix")
    return {f"{prefix}_{key}": value for key, value in json_object(json, "json").items()}


def suffix_schema(schema: JsonDict, suffix: str) -> JsonDict:
    """Rename every top-level property ``key`` to ``key_<suffix>``.

    Titles get the suffix too (``"Answer"`` -> ``"Answer Final"``); ``required``
    is renamed.

    Args:
        schema: an object schema.
        suffix: a non-empty string.

    Returns:
        A new object schema.

    Raises:
        InvalidOperationError: bad ``schema`` or ``suffix``.

    Example:
        >>> s = {"type": "object", "properties": {"answer": {"type": "string"}}}
        >>> suffix_schema(s, "final")["properties"]
        {'answer_final': {'type': 'string', 'title': 'Answer Final'}}
    """
    suffix = name_affix(suffix, "suffix")
    return _rename_schema(
        object_schema(schema, "schema"),
        lambda key: f"{key}_{suffix}",
        lambda title: f"{title} {suffix.title()}",
    )


def suffix_json(json: JsonDict, suffix: str) -> JsonDict:
    """Rename every top-level key ``key`` to ``key_<suffix>``.

    Args:
        json: a JSON object.
        suffix: a non-empty string.

    Returns:
        A new JSON object.

    Raises:
        InvalidOperationError: bad ``json`` or ``suffix``.

    Example:
        >>> suffix_json({"answer": "Paris"}, "final")
        {'answer_final': 'Paris'}
    """
    suffix = name_affix(suffix, "suffix")
    return {f"{key}_{suffix}": value for key, value in json_object(json, "json").items()}
