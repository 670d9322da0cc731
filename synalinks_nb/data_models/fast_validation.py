"""Schemas compiled to small Python checks: the fast path of :mod:`.validation`.

``jsonschema`` walks a schema for every value it validates (~10–45 µs for a
small answer) and takes over a second to import. Almost every schema the
package meets is pydantic's output for a DataModel, which uses a handful of
keywords. :func:`compile_schema` turns such a schema into nested closures that
answer one question: *is this value certainly valid?*

The contract with :mod:`.validation` keeps behaviour identical by construction:

* A check returns ``True`` only when ``jsonschema``'s ``Draft202012Validator``
  (no format checker) finds no error. ``False`` means "not proven": the caller
  asks ``jsonschema``, which builds the error message or, for values JSON has no
  type for (a ``Decimal``, a ``str`` subclass in an ``enum``), accepts them.
* :func:`compile_schema` returns ``None`` for any schema outside the subset or
  malformed in any way, and the caller then uses ``jsonschema`` for that schema,
  its ``check_schema`` error included. A schema it compiles is one
  ``check_schema`` accepts, so skipping that check is safe.

The subset: ``type`` (a name or a list), ``properties``, ``required``,
``additionalProperties``, ``items``, ``enum``, ``const``, ``anyOf``, ``$ref`` to
``#`` or ``#/$defs/<name>`` (recursion included), ``minItems``, ``maxItems``,
``minLength``, ``maxLength``, ``minimum``, ``maximum``, ``exclusiveMinimum``,
``exclusiveMaximum``, and the annotations ``title``, ``description``,
``default``, ``examples``, ``format`` (an annotation without a format checker),
``deprecated``, ``readOnly``, ``writeOnly`` and ``$comment``. Any other keyword
(``pattern``, ``oneOf``, ``allOf``, ``prefixItems``, ``uniqueItems``...) sends the
whole schema to ``jsonschema``.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Check", "compile_schema"]

Check = Callable[[Any], bool]
"""A compiled schema: ``True`` when the value is certainly valid."""

_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "object": (dict,), "array": (list,), "boolean": (bool,),
    "null": (type(None),), "integer": (), "number": (),
}  # fmt: skip
_STRING_ANNOTATIONS = frozenset({"title", "description", "format", "$comment"})
_BOOLEAN_ANNOTATIONS = frozenset({"deprecated", "readOnly", "writeOnly"})
_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "anyOf", "$ref", "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "default", "examples",
}) | _STRING_ANNOTATIONS | _BOOLEAN_ANNOTATIONS  # fmt: skip
# pydantic names its $defs with these characters only; anything else may need
# JSON-pointer or percent unescaping, which jsonschema does and we leave to it.
_DEF_REF = re.compile(r"#/\$defs/([A-Za-z0-9_.\-]+)")
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


class _Unsupported(Exception):
    """The schema is outside the subset (or malformed): jsonschema handles it."""


def compile_schema(schema: Any) -> Check | None:
    """A fast check for ``schema``, or ``None`` when jsonschema must handle it.

    Example:
        >>> check = compile_schema({"type": "object", "properties": {
        ...     "n": {"type": "integer"}}, "required": ["n"]})
        >>> check({"n": 1}), check({"n": 1.0}), check({"n": True}), check({})
        (True, True, False, False)
        >>> compile_schema({"type": "string", "pattern": "^a"}) is None
        True
    """
    if not isinstance(schema, dict):
        return None
    try:
        return _Compiler(schema).compile_root()
    except (_Unsupported, RecursionError):  # RecursionError: absurdly deep schemas
        return None


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


class _Compiler:
    """Compiles one root schema; ``$ref`` targets are compiled once each."""

    def __init__(self, root: dict[str, Any]) -> None:
        defs = root.get("$defs", {})
        if not isinstance(defs, dict) or not all(type(k) is str for k in defs):
            raise _Unsupported
        self.targets: dict[str, Any] = {"#": root}
        self.targets.update((f"#/$defs/{name}", sub) for name, sub in defs.items())
        # Compiled checks by ref; a list while the target is being compiled, so a
        # recursive ref reads the check from it when called rather than when built.
        self.compiled: dict[str, Check | list[Check]] = {}
        _reject_unguarded_cycles(self.targets)

    def compile_root(self) -> Check:
        check = self._ref("#")
        for ref in self.targets:  # unreferenced $defs must be well formed too
            self._ref(ref)
        return check

    def _ref(self, ref: Any) -> Check:
        if ref not in self.targets:
            raise _Unsupported
        done = self.compiled.get(ref)
        if callable(done):
            return done
        if done is not None:  # recursion: late-bound through the cell
            late = done
            return lambda value: late[0](value)
        cell: list[Check] = []
        self.compiled[ref] = cell
        check = self.compile(self.targets[ref], root=ref == "#")
        cell.append(check)
        self.compiled[ref] = check
        return check

    def compile(self, schema: Any, root: bool = False) -> Check:
        """The check for one (sub)schema."""
        if type(schema) is bool:
            return _always if schema else _never
        if not isinstance(schema, dict):
            raise _Unsupported
        unknown = schema.keys() - _KEYWORDS
        if unknown and not (root and unknown == {"$defs"}):
            raise _Unsupported
        _check_annotations(schema)
        types = _types(schema.get("type"))
        checks = [self._object(schema, types), self._array(schema, types),
                  _string(schema, types), _number(schema)]
        if types is not None and not any(checks[:3]):
            checks.append(_type_check(types))
        if "enum" in schema:
            checks.append(_enum(schema["enum"]))
        if "const" in schema:
            checks.append(_enum([schema["const"]]))
        if "anyOf" in schema:
            checks.append(self._any_of(schema["anyOf"]))
        if "$ref" in schema:
            checks.append(self._ref(_ref_name(schema["$ref"])))
        return _all_of([c for c in checks if c is not None])

    def _any_of(self, schemas: Any) -> Check:
        if type(schemas) is not list or not schemas:
            raise _Unsupported
        branches = [self.compile(s) for s in schemas]
        if _always in branches:
            return _always
        if len(branches) == 1:
            return branches[0]
        if len(branches) == 2:
            first, second = branches
            return lambda value: first(value) or second(value)
        return lambda value: any(branch(value) for branch in branches)

    def _object(self, schema: dict[str, Any], types: frozenset[str] | None) -> Check | None:
        """properties, required and additionalProperties; with ``type: object``
        alone the check is also the type check."""
        props = schema.get("properties", {})
        need = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        if (not isinstance(props, dict) or not all(type(k) is str for k in props)
                or type(need) is not list or not all(type(k) is str for k in need)
                or len(set(need)) != len(need)):
            raise _Unsupported
        only = _is(types, "object")
        if not (props or need or extra is not True or only):
            return None
        checks = tuple((name, self.compile(sub)) for name, sub in props.items())
        names, required = frozenset(props), frozenset(need)
        extra_check = self.compile(extra)
        closed = extra_check is _never
        other = None if extra_check is _always or closed else extra_check

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return not only  # else the type check beside this one decides
            if required and not value.keys() >= required:
                return False
            for name, sub in checks:
                if name in value and not sub(value[name]):
                    return False
            if closed:
                return value.keys() <= names
            if other is not None:
                for key, item in value.items():
                    if key not in names and not other(item):
                        return False
            return True

        return check if only else _guarded(check, types)

    def _array(self, schema: dict[str, Any], types: frozenset[str] | None) -> Check | None:
        """items, minItems and maxItems (with ``type: array`` alone, the type too)."""
        low = _count(schema.get("minItems", 0))
        high = _count(schema.get("maxItems")) if "maxItems" in schema else None
        only = _is(types, "array")
        if "items" not in schema and not low and high is None and not only:
            return None
        item = self.compile(schema.get("items", True))
        each = None if item is _always else item

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return not only
            size = len(value)
            if size < low or (high is not None and size > high):
                return False
            if each is not None:
                for item in value:
                    if not each(item):
                        return False
            return True

        return check if only else _guarded(check, types)


def _is(types: frozenset[str] | None, name: str) -> bool:
    """Whether ``type`` is exactly ``name``."""
    return types is not None and len(types) == 1 and name in types


def _guarded(check: Check, types: frozenset[str] | None) -> Check:
    """``check`` (which passes values of other kinds) and the ``type`` keyword."""
    if types is None:
        return check
    return _all_of([_type_check(types), check])


def _all_of(checks: list[Check]) -> Check:
    checks = [c for c in checks if c is not _always]
    if _never in checks:
        return _never
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    return lambda value: all(check(value) for check in checks)


def _string(schema: dict[str, Any], types: frozenset[str] | None) -> Check | None:
    """minLength and maxLength, in code points (with ``type: string`` alone, the type)."""
    low = _count(schema.get("minLength", 0))
    high = _count(schema.get("maxLength")) if "maxLength" in schema else None
    only = _is(types, "string")
    if not low and high is None:
        return _type_check(types) if only else None

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return not only
        return low <= len(value) and (high is None or len(value) <= high)

    return check if only else _guarded(check, types)


def _number(schema: dict[str, Any]) -> Check | None:
    """minimum, maximum and the exclusive bounds, compared as jsonschema compares."""
    present = [name for name in _BOUNDS if name in schema]
    if not present:
        return None
    if any(type(schema[name]) not in (int, float) for name in present):
        raise _Unsupported  # bools and strings included: check_schema rejects them
    low, high, above, below = (schema.get(name) for name in _BOUNDS)

    def check(value: Any) -> bool:
        if isinstance(value, bool):
            return True  # not a number for JSON Schema: the bounds do not apply
        if not isinstance(value, (int, float)):
            return not isinstance(value, numbers.Number)  # Decimal & co: ask jsonschema
        return not ((low is not None and value < low) or (high is not None and value > high)
                    or (above is not None and value <= above)
                    or (below is not None and value >= below))

    return check


def _types(declared: Any) -> frozenset[str] | None:
    if declared is None:
        return None
    names = [declared] if type(declared) is str else declared
    if (type(names) is not list or not names or len(set(map(str, names))) != len(names)
            or not all(type(n) is str and n in _SIMPLE_TYPES for n in names)):
        raise _Unsupported  # includes misspelt names: jsonschema reports those
    return frozenset(names)


def _type_check(types: frozenset[str] | None) -> Check:
    """The ``type`` keyword: booleans are not numbers, 1.0 is an integer."""
    if types is None:
        return _always
    plain = tuple(cls for name in types for cls in _SIMPLE_TYPES[name])
    if "number" in types:
        return lambda value: isinstance(value, plain) or (
            isinstance(value, (int, float)) and not isinstance(value, bool))
    if "integer" in types:
        return lambda value: isinstance(value, plain) or (
            (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, float) and value.is_integer()))
    if len(plain) == 1:
        only = plain[0]
        return lambda value: isinstance(value, only)
    return lambda value: isinstance(value, plain)


def _enum(members: Any) -> Check:
    """enum (and const, as a one-member enum) with JSON equality: 1 == 1.0, True != 1."""
    if type(members) is not list or not all(_is_json(m) for m in members):
        raise _Unsupported
    strings = frozenset(m for m in members if type(m) is str)
    others = [m for m in members if type(m) is not str]

    def check(value: Any) -> bool:
        if type(value) is str:
            return value in strings  # a str equals no non-str member
        return any(_json_equal(value, m) for m in others)

    return check


def _json_equal(value: Any, member: Any) -> bool:
    """True when jsonschema's equality holds; only exact JSON types are compared,
    so a subclass or a tuple is "not proven" and goes to jsonschema."""
    if value is member:
        return True
    kind = type(member)
    if kind is str:
        return type(value) is str and value == member
    if kind is int or kind is float:
        return (type(value) is int or type(value) is float) and value == member
    if kind is list:
        return (type(value) is list and len(value) == len(member)
                and all(map(_json_equal, value, member)))
    if kind is dict:
        return (type(value) is dict and len(value) == len(member)
                and all(k in value and _json_equal(value[k], v) for k, v in member.items()))
    return False  # bool and None are singletons: identity was the only way to be equal


def _is_json(value: Any) -> bool:
    kind = type(value)
    if kind is list:
        return all(map(_is_json, value))
    if kind is dict:
        return all(type(k) is str and _is_json(v) for k, v in value.items())
    return kind in (str, int, float, bool) or value is None


def _count(value: Any) -> int:
    """A non-negative integer keyword (minItems...); 2.0 is allowed by the
    meta-schema but left to jsonschema."""
    if type(value) is not int or value < 0:
        raise _Unsupported
    return value


def _ref_name(ref: Any) -> str:
    if ref == "#" or (type(ref) is str and _DEF_REF.fullmatch(ref)):
        return str(ref)
    raise _Unsupported


def _check_annotations(schema: dict[str, Any]) -> None:
    """Annotations do not validate, but check_schema checks their types."""
    for name, value in schema.items():
        if name in _STRING_ANNOTATIONS and type(value) is not str:
            raise _Unsupported
        if name in _BOOLEAN_ANNOTATIONS and type(value) is not bool:
            raise _Unsupported
        if name == "examples" and type(value) is not list:
            raise _Unsupported


def _same_level_refs(schema: Any) -> Iterator[Any]:
    """Refs applied to the same value as ``schema`` (through $ref and anyOf)."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        yield schema["$ref"]
    if type(schema.get("anyOf")) is list:
        for branch in schema["anyOf"]:
            yield from _same_level_refs(branch)


def _reject_unguarded_cycles(targets: dict[str, Any]) -> None:
    """A ref cycle that never descends into the value (``A: {$ref: B}``,
    ``B: {anyOf: [{$ref: A}]}``) recurses forever: leave it to jsonschema."""
    edges = {ref: [r for r in _same_level_refs(s) if type(r) is str and r in targets]
             for ref, s in targets.items()}
    state: dict[str, bool] = {}  # False while on the current path, True when done

    def visit(ref: str) -> None:
        if state.get(ref) is False:
            raise _Unsupported
        if ref in state:
            return
        state[ref] = False
        for nxt in edges[ref]:
            visit(nxt)
        state[ref] = True

    for ref in targets:
        visit(ref)
