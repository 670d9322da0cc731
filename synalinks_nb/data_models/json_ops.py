"""Pure operations on JSON objects and their JSON schemas.

Every data-model operator (``+ & | ^``, ``in_mask``, ``factorize``...) is defined
twice here: once on a JSON schema (what a :class:`SymbolicDataModel` carries while
a program graph is built) and once on a JSON object (what a
:class:`JsonDataModel` carries at run time). Both halves apply the same key rule,
so the JSON an op returns always validates against the schema the same op
returns for the inputs' schemas. The functions take and return plain dicts,
never mutate their arguments, and know nothing of the classes above them.

Key naming follows Synalinks:

* **Collisions** (``concat``): a second ``answer`` becomes ``answer_1``, a third
  ``answer_2``. The number is appended to the colliding key as written, so a
  colliding ``answer_1`` becomes ``answer_1_1``.
* **Families** (masks, ``factorize``): ``answer``, ``answer_3`` and ``answers``
  share the base key ``answer`` (numeric suffix removed, last word singular).

Schemas may use pydantic's ``$defs``/``$ref``: references stay resolvable,
clashing definitions are renamed, unreachable ones are dropped.

Where we differ from Synalinks (each is a bug fix there):

* ``concat``: a property is required when its own side requires it (Synalinks
  looked the key up in both sides); clashing ``$defs`` are renamed instead of
  overwritten; the title joins both titles (``"Query + Answer"``) instead of
  keeping the first; ``additionalProperties: false`` only when both sides forbid
  extra keys.
* ``concat_json`` and ``factorize_json`` accept the inputs' schemas, so a JSON
  object that omits an optional key still gets the names its schema got.
* ``factorize``: a lone plural key (``entities``) is kept in the schema (Synalinks
  dropped it from the schema but not from the JSON); a lone suffixed key loses
  only its suffix (``foos_1`` -> ``foos``); the list's ``items`` keep the members'
  full schemas; ``required`` follows the members.
* masks: a key is kept (``in_mask``) or dropped (``out_mask``) by its name only,
  for objects and lists alike (Synalinks' ``in_mask_json`` kept every list, which
  its own schema then rejected); ``pattern`` is searched in the key and in its
  base key; unreachable ``$defs`` are dropped by following references.
* ``prefix``/``suffix``: ``required`` is renamed, not reset to every key.
* :func:`union_schemas` is new: Synalinks gave ``x1 | x2`` the schema of ``x1``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from synalinks_nb.data_models._schema_utils import (
    JsonDict,
    base_key,
    default_title,
    is_plural_key,
    json_object,
    key_matcher,
    merge_defs,
    name_affix,
    normalize,
    object_schema,
    plural_key,
    prune_defs,
    resolve,
    strip_suffix,
    subschemas,
    without_annotations,
)

__all__ = [
    "concat_json",
    "concat_schemas",
    "factorize_json",
    "factorize_schema",
    "in_mask_json",
    "in_mask_schema",
    "is_schema_equal",
    "out_mask_json",
    "out_mask_schema",
    "prefix_json",
    "prefix_schema",
    "schema_properties",
    "suffix_json",
    "suffix_schema",
    "union_schemas",
]


# -- shared steps ---------------------------------------------------------------------


def _properties(schema: JsonDict) -> JsonDict:
    properties: JsonDict = schema.get("properties", {})
    return properties


def _required(schema: JsonDict) -> list[str]:
    properties = _properties(schema)
    return [key for key in schema.get("required", []) if key in properties]


def _closed(schema: JsonDict) -> bool:
    return schema.get("additionalProperties") is False


def _set_required(schema: JsonDict, required: list[str]) -> JsonDict:
    if required:
        schema["required"] = required
    else:
        schema.pop("required", None)
    return schema


def _joined_title(schema1: JsonDict, schema2: JsonDict, separator: str) -> str | None:
    titles = [t for t in (schema1.get("title"), schema2.get("title")) if isinstance(t, str) and t]
    if len(titles) == 2 and titles[0] == titles[1]:
        titles = titles[:1]
    return separator.join(titles) or None


def _new_object(
    title: str | None, properties: JsonDict, required: list[str], closed: bool, defs: JsonDict
) -> JsonDict:
    result: JsonDict = {"type": "object", "properties": properties}
    if title:
        result["title"] = title
    _set_required(result, required)
    if closed:
        result["additionalProperties"] = False
    if defs:
        result["$defs"] = defs
    return prune_defs(result)


def _json_keys(value: JsonDict, schema: Any, name: str) -> list[str]:
    """The keys an op names by: the schema's properties first, then extra JSON keys."""
    if schema is None:
        return list(value)
    properties = _properties(object_schema(schema, name))
    return [*properties, *(key for key in value if key not in properties)]


# -- concat ---------------------------------------------------------------------------


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
    properties1, properties2 = _properties(schema1), _properties(schema2)
    names = _collision_names(list(properties1), list(properties2))
    renames = dict(zip(properties2, names, strict=True))
    properties = dict(properties1)
    for key, value in properties2.items():
        name = renames[key]
        if name != key and isinstance(value, dict):
            value = {**value, "title": default_title(name)}
        properties[name] = value
    required = [*_required(schema1), *(renames[key] for key in _required(schema2))]
    closed = _closed(schema1) and _closed(schema2)
    title = _joined_title(schema1, schema2, separator)
    return _new_object(title, properties, required, closed, defs), schema2


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
    keys1 = _json_keys(value1, schema1, "schema1")
    keys2 = _json_keys(value2, schema2, "schema2")
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
        for key, value in _properties(side).items():
            properties[key] = _accepting(properties[key], value, defs)
    both = set(_required(second))
    return _set_required(result, [key for key in _required(first) if key in both])


# -- factorize -------------------------------------------------------------------------


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
    source, required, defs = _properties(result), set(_required(result)), result.get("$defs", {})
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
    return _set_required(result, new_required)


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
    for base, members in _families(_json_keys(value, schema, "schema")).items():
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


# -- masks -------------------------------------------------------------------------------


def _filter_properties(node: JsonDict, drop: Callable[[str], bool]) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    node["properties"] = {k: v for k, v in properties.items() if not drop(k)}
    if "required" in node:
        _set_required(node, [k for k in node["required"] if k in node["properties"]])


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


# -- prefix and suffix -----------------------------------------------------------------


def _rename_schema(
    schema: JsonDict, rename: Callable[[str], str], retitle: Callable[[str], str]
) -> JsonDict:
    properties: JsonDict = {}
    for key, value in _properties(schema).items():
        if isinstance(value, dict):
            value = {**value, "title": retitle(value.get("title", default_title(key)))}
        properties[rename(key)] = value
    required = [rename(key) for key in _required(schema)]
    schema["properties"] = properties
    return _set_required(schema, required)


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


# -- inspection --------------------------------------------------------------------------


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
    return {key: resolve(value, defs) for key, value in _properties(checked).items()}


def _shape(schema: JsonDict) -> tuple[Any, ...]:
    defs = schema.get("$defs", {})
    properties = {key: normalize(value, defs) for key, value in _properties(schema).items()}
    return schema.get("type", "object"), properties, sorted(_required(schema))


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
