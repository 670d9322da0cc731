"""Private helpers behind :mod:`synalinks_nb.data_models.json_ops`.

Three families live here, none of them public:

* **Key naming** — the English plural/singular rules and the ``_<n>`` suffix
  convention that Synalinks uses to relate ``answer``, ``answer_1`` and
  ``answers``. The rules follow Synalinks' ``nlp_utils`` (regular ``-s``/``-es``/
  ``-ies`` endings plus a table of irregular nouns) with two repairs: a word that
  is itself a known singular (``analysis``) or ends in ``ss``/``us`` (``class``,
  ``status``) is not mistaken for a plural.
* **Input checks** — every op accepts plain dicts and refuses anything else with
  an :class:`~synalinks_nb.errors.InvalidOperationError`.
* **``$defs`` / ``$ref`` plumbing** — pydantic puts nested models in ``$defs``;
  the ops must keep every ``$ref`` resolvable, rename clashing definitions, drop
  definitions nothing refers to any more, and compare schemas with references
  inlined.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from synalinks_nb.errors import InvalidOperationError

JsonDict = dict[str, Any]

_DEFS_PREFIX = "#/$defs/"
_SUFFIX = re.compile(r"_\d+$")
_SIBILANT_END = re.compile(r"(s|x|z|sh|ch)$")
_CONSONANT_Y_END = re.compile(r"[^aeiou]y$")

# singular -> plural. Common irregular English nouns; the rest follow the rules.
_IRREGULAR_PLURALS = {
    "analysis": "analyses", "appendix": "appendices", "axis": "axes",
    "basis": "bases", "cactus": "cacti", "child": "children", "corpus": "corpora",
    "crisis": "crises", "criterion": "criteria", "curriculum": "curricula",
    "datum": "data", "diagnosis": "diagnoses", "echo": "echoes", "fish": "fish",
    "focus": "foci", "foot": "feet", "fungus": "fungi", "genus": "genera",
    "goose": "geese", "half": "halves", "hero": "heroes", "hypothesis": "hypotheses",
    "index": "indices", "knife": "knives", "leaf": "leaves", "life": "lives",
    "man": "men", "matrix": "matrices", "medium": "media", "mouse": "mice",
    "news": "news", "nucleus": "nuclei", "person": "people",
    "phenomenon": "phenomena", "potato": "potatoes", "quiz": "quizzes",
    "radius": "radii", "self": "selves", "series": "series", "sheep": "sheep",
    "species": "species", "stimulus": "stimuli", "syllabus": "syllabi",
    "that": "those", "thesis": "theses", "this": "these", "tomato": "tomatoes",
    "tooth": "teeth", "vertex": "vertices", "wife": "wives", "woman": "women",
}  # fmt: skip
_IRREGULAR_SINGULARS = {plural: single for single, plural in _IRREGULAR_PLURALS.items()}


# -- key naming -------------------------------------------------------------------


def _plural_word(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if _CONSONANT_Y_END.search(word):
        return word[:-1] + "ies"
    if _SIBILANT_END.search(word):
        return word + "es"
    return word + "s"


def _singular_word(word: str) -> str:
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if word in _IRREGULAR_PLURALS or word.endswith(("ss", "us")) or len(word) < 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and _SIBILANT_END.search(word[:-2]):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _map_last_word(key: str, function: Callable[[str], str]) -> str:
    head, sep, last = key.rpartition("_")
    return f"{head}{sep}{function(last)}"


def strip_suffix(key: str) -> str:
    """``answer_12`` -> ``answer``; keys without a numeric suffix are unchanged."""
    return _SUFFIX.sub("", key)


def base_key(key: str) -> str:
    """The singular, suffix-free form that masks and factorize group keys by."""
    return _map_last_word(strip_suffix(key), _singular_word)


def plural_key(key: str) -> str:
    """The plural, suffix-free form: ``answer_1`` -> ``answers``."""
    return _map_last_word(strip_suffix(key), _plural_word)


def is_plural_key(key: str) -> bool:
    """Whether the last ``_``-separated word of ``key`` is a plural noun."""
    last = key.rpartition("_")[2]
    return _singular_word(last) != last


def default_title(key: str) -> str:
    """The title pydantic would give a field named ``key``: ``answer_1`` -> ``Answer 1``."""
    return key.replace("_", " ").title()


def key_matcher(mask: Sequence[str] | None, pattern: str | None) -> Callable[[str], bool]:
    """Build the predicate shared by the mask ops (see ``in_mask_schema``)."""
    if mask is not None:
        names = list(mask) if isinstance(mask, Iterable) and not isinstance(mask, str) else None
        if names is None or not all(isinstance(name, str) for name in names):
            raise InvalidOperationError(
                f"Expected `mask` to be a list of property names. Received: mask={mask!r}"
            )
        mask = names
    if pattern is not None and not isinstance(pattern, str):
        raise InvalidOperationError(
            f"Expected `pattern` to be a regular expression string. Received: pattern={pattern!r}"
        )
    try:
        regex = re.compile(pattern) if pattern else None
    except re.error as error:
        raise InvalidOperationError(
            f"Expected `pattern` to be a valid regular expression ({error}). "
            f"Received: pattern={pattern!r}"
        ) from error
    bases = {base_key(k) for k in mask or ()}

    def matches(key: str) -> bool:
        base = base_key(key)
        if base in bases:
            return True
        return regex is not None and bool(regex.search(key) or regex.search(base))

    return matches


# -- input checks -------------------------------------------------------------------


def object_schema(schema: Any, name: str) -> JsonDict:
    """Return a deep copy of ``schema`` as an object schema with inline root properties.

    Pydantic writes a self-referencing model as ``{"$ref": ..., "$defs": ...}``;
    the root reference is inlined so every op can read ``properties`` directly.
    """
    if not isinstance(schema, dict):
        raise InvalidOperationError(
            f"Expected `{name}` to be a JSON schema (a dict). Received: {name}={schema!r:.200}"
        )
    result: JsonDict = copy.deepcopy(schema)
    target = def_name(result.get("$ref"))
    if target is not None and "properties" not in result:
        definition = result.get("$defs", {}).get(target)
        if isinstance(definition, dict):
            del result["$ref"]
            result = {**copy.deepcopy(definition), **result}
    if result.get("type", "object") != "object":
        raise InvalidOperationError(
            f'Expected `{name}` to be an object schema (type "object"). '
            f"Received: {name}.type={result.get('type')!r}"
        )
    if not isinstance(result.get("properties", {}), dict):
        raise InvalidOperationError(
            f"Expected `{name}.properties` to be a dict. "
            f"Received: {name}.properties={result.get('properties')!r:.200}"
        )
    return result


def json_object(value: Any, name: str) -> JsonDict:
    """Return a deep copy of ``value`` after checking it is a JSON object."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise InvalidOperationError(
            f"Expected `{name}` to be a JSON object (a dict with str keys). "
            f"Received: {name}={value!r:.200}"
        )
    return copy.deepcopy(value)


def name_affix(value: Any, name: str) -> str:
    """Check a prefix or suffix argument."""
    if not isinstance(value, str) or not value:
        raise InvalidOperationError(
            f"Expected `{name}` to be a non-empty string. Received: {name}={value!r}"
        )
    return value


# -- $defs and $ref -------------------------------------------------------------------


def def_name(ref: Any) -> str | None:
    """``"#/$defs/Item"`` -> ``"Item"``; anything else -> ``None``."""
    if isinstance(ref, str) and ref.startswith(_DEFS_PREFIX):
        return ref[len(_DEFS_PREFIX) :]
    return None


def rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    """Return a copy of ``node`` with every ``#/$defs/<old>`` pointing to ``<new>``."""
    if isinstance(node, list):
        return [rewrite_refs(item, renames) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: rewrite_refs(value, renames) for key, value in node.items()}
    target = def_name(node.get("$ref"))
    if target in renames:
        result["$ref"] = _DEFS_PREFIX + renames[target]
    return result


def _refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _refs_in(item)
    elif isinstance(node, dict):
        target = def_name(node.get("$ref"))
        if target is not None:
            yield target
        for key, value in node.items():
            if key != "$defs":
                yield from _refs_in(value)


def prune_defs(schema: JsonDict) -> JsonDict:
    """Drop the ``$defs`` entries no longer reachable from the schema body (in place)."""
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return schema
    reachable: set[str] = set()
    pending = list(_refs_in(schema))
    while pending:
        name = pending.pop()
        if name not in reachable and name in defs:
            reachable.add(name)
            pending.extend(_refs_in(defs[name]))
    kept = {name: value for name, value in defs.items() if name in reachable}
    if kept:
        schema["$defs"] = kept
    else:
        del schema["$defs"]
    return schema


def merge_defs(defs1: JsonDict, defs2: JsonDict, body2: Any) -> tuple[JsonDict, Any]:
    """Merge two ``$defs`` maps; a clashing second definition is renamed ``Name_<n>``.

    Returns the merged map and ``body2`` with its references rewritten. Renaming
    repeats until stable, since renaming ``B`` changes any second-side
    definition that refers to ``B``.
    """
    renames: dict[str, str] = {}
    taken = set(defs1) | set(defs2)
    changed = True
    while changed:
        changed = False
        for name, definition in defs2.items():
            if name in renames or name not in defs1:
                continue
            if defs1[name] != rewrite_refs(definition, renames):
                renames[name] = _fresh_name(name, taken)
                taken.add(renames[name])
                changed = True
    merged = dict(defs1)
    for name, definition in defs2.items():
        merged.setdefault(renames.get(name, name), rewrite_refs(definition, renames))
    return merged, rewrite_refs(body2, renames)


def _fresh_name(name: str, taken: set[str]) -> str:
    index = 1
    while f"{name}_{index}" in taken:
        index += 1
    return f"{name}_{index}"


def resolve(node: Any, defs: JsonDict) -> Any:
    """Follow a ``$ref`` (chain) to its definition; other nodes are returned as is."""
    seen: set[str] = set()
    while isinstance(node, dict):
        target = def_name(node.get("$ref"))
        if target is None or target in seen or target not in defs:
            break
        seen.add(target)
        node = defs[target]
    return node


# -- walking and comparing ------------------------------------------------------------

_SCHEMA_LIST_KEYWORDS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_KEYWORDS = ("items", "additionalProperties", "not")
_ANNOTATIONS = frozenset({"title", "description", "examples"})
_DATA_KEYWORDS = frozenset({"enum", "const", "default"})


def subschemas(node: JsonDict) -> Iterator[JsonDict]:
    """Yield the schemas directly nested in ``node`` (not ``$defs``)."""
    for value in node.get("properties", {}).values():
        if isinstance(value, dict):
            yield value
    for keyword in _SCHEMA_LIST_KEYWORDS:
        for value in node.get(keyword, []):
            if isinstance(value, dict):
                yield value
    for keyword in _SCHEMA_KEYWORDS:
        if isinstance(node.get(keyword), dict):
            yield node[keyword]


def normalize(node: Any, defs: JsonDict, expanding: frozenset[str] = frozenset()) -> Any:
    """A comparable form of a schema: references inlined, annotations dropped.

    A reference met again while it is being expanded (a recursive model) becomes
    ``{"$ref": "<recursive>"}``, so recursive schemas compare by shape.
    """
    if isinstance(node, list):
        return [normalize(item, defs, expanding) for item in node]
    if not isinstance(node, dict):
        return node
    target = def_name(node.get("$ref"))
    if target is not None and target in defs:
        if target in expanding:
            return {"$ref": "<recursive>"}
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return normalize({**defs[target], **rest}, defs, expanding | {target})
    result: JsonDict = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or key == "$defs":
            continue
        if key == "properties" and isinstance(value, dict):
            result[key] = {name: normalize(v, defs, expanding) for name, v in value.items()}
        elif key == "required" and isinstance(value, list):
            result[key] = sorted(value)
        else:
            result[key] = value if key in _DATA_KEYWORDS else normalize(value, defs, expanding)
    return result


def without_annotations(node: JsonDict) -> JsonDict:
    """A copy of ``node`` without its own ``title``/``description``/``examples``."""
    return {key: value for key, value in node.items() if key not in _ANNOTATIONS}
