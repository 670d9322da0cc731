"""JSON-schema validation with compiled validators cached per schema.

Every JSON value that enters the package (a model's answer, a variable
assignment, a human edit, a loaded file) is checked here, so the error type and
message are the same everywhere: :class:`~synalinks_nb.errors.SchemaValidationError`
naming the JSON path of the first offending field.

Two validators per schema, with one behaviour. The fast one
(:mod:`.fast_validation`) covers the keywords pydantic emits for DataModels and
only says "certainly valid" or "not proven". Whenever it is missing (a schema
outside its subset) or not proven, ``jsonschema``'s ``Draft202012Validator``
decides and builds the error, so messages and paths are jsonschema's in every
case. ``jsonschema`` is imported on first need, not at package import, and not
at all while every schema seen is in the subset and every value valid: its
import costs about a second where ``rfc3987-syntax`` is installed (any Jupyter).

Schemas are cached by identity and compiled once, so a schema dict must not be
changed in place after it has been used.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from synalinks_nb.data_models.fast_validation import Check, compile_schema
from synalinks_nb.errors import SchemaValidationError

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = ["schema_key", "validate_json"]

_CACHE_SIZE = 512


class _Compiled:
    """The validators of one schema: the fast check if the schema is in its
    subset, and jsonschema's validator, built when first needed."""

    __slots__ = ("fast", "schema", "slow")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.fast: Check | None = compile_schema(schema)
        self.slow: Validator | None = None
        if self.fast is None:
            self.jsonschema()  # rejects an invalid schema now, as before the fast path

    def jsonschema(self) -> Validator:
        if self.slow is None:
            from jsonschema import Draft202012Validator

            # A schema the fast path compiled always passes this check.
            Draft202012Validator.check_schema(self.schema)
            self.slow = Draft202012Validator(self.schema)
        return self.slow


_compiled: OrderedDict[str, _Compiled] = OrderedDict()
# Keyed by id() of schema dicts we have seen, to skip re-serialising hot schemas.
# Holding a reference to the dict keeps the id from being reused.
_by_identity: dict[int, tuple[dict[str, Any], _Compiled]] = {}


def schema_key(schema: dict[str, Any]) -> str:
    """A canonical string for a schema (sorted keys), usable as a cache key."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), default=str)


def _compiled_for(schema: dict[str, Any]) -> _Compiled:
    hit = _by_identity.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    key = schema_key(schema)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _Compiled(schema)
        _compiled[key] = compiled
        if len(_compiled) > _CACHE_SIZE:
            _compiled.popitem(last=False)
    if len(_by_identity) > _CACHE_SIZE:
        _by_identity.clear()
    _by_identity[id(schema)] = (schema, compiled)
    return compiled


def validate_json(value: Any, schema: dict[str, Any], *,
                  what: str | Callable[[], str] = "JSON") -> None:
    """Raise :class:`SchemaValidationError` unless ``value`` matches ``schema``.

    Args:
        value: the JSON value (dicts, lists, str, numbers, bool, None).
        schema: a JSON schema (draft 2020-12; pydantic's output is fine).
        what: how to name the value in the message ("the answer", "variable 'x'"), or
            a function returning it, called only when there is a message to write.

    Example:
        >>> schema = {"type": "object", "properties": {"n": {"type": "integer"}},
        ...           "required": ["n"]}
        >>> validate_json({"n": 1}, schema)
        >>> validate_json({"n": "one"}, schema)
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.SchemaValidationError: Expected the field $.n ... Received: 'one' is...
    """
    try:
        compiled = _compiled_for(schema)
    except Exception as exc:  # jsonschema.SchemaError and friends
        raise _invalid_schema(what() if callable(what) else what, exc) from exc
    if compiled.fast is not None:
        try:
            if compiled.fast(value):
                return
        except RecursionError:  # a very deep value: jsonschema has its say
            pass
    what = what() if callable(what) else what
    try:
        validator = compiled.jsonschema()
    except Exception as exc:  # not expected: compiled schemas pass check_schema
        raise _invalid_schema(what, exc) from exc
    errors = sorted(validator.iter_errors(value), key=lambda e: (len(e.path), str(e.path)))
    if not errors:
        return
    first = errors[0]
    path = first.json_path
    raise SchemaValidationError(
        f"Expected the field {path} of {what} to match its schema. Received: {first.message}",
        path=path,
        errors=[f"{e.json_path}: {e.message}" for e in errors],
    )


def _invalid_schema(what: str, exc: Exception) -> SchemaValidationError:
    return SchemaValidationError(
        f"Expected a valid JSON schema for {what}. Received an invalid schema: {exc}"
    )
