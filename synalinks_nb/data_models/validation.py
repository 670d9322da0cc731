"""JSON-schema validation with compiled validators cached per schema.

Every JSON value that enters the package (a model's answer, a variable
assignment, a human edit, a loaded file) is checked here, so the error type and
message are the same everywhere: :class:`~synalinks_nb.errors.SchemaValidationError`
naming the JSON path of the first offending field.

``jsonschema`` is imported on first use, not at package import.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from synalinks_nb.errors import SchemaValidationError

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

__all__ = ["schema_key", "validate_json"]

_CACHE_SIZE = 512
_validators: OrderedDict[str, Validator] = OrderedDict()
# Keyed by id() of schema dicts we have seen, to skip re-serialising hot schemas.
# Holding a reference to the dict keeps the id from being reused.
_by_identity: dict[int, tuple[dict[str, Any], Validator]] = {}


def schema_key(schema: dict[str, Any]) -> str:
    """A canonical string for a schema (sorted keys), usable as a cache key."""
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), default=str)


def _validator_for(schema: dict[str, Any]) -> Validator:
    hit = _by_identity.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    key = schema_key(schema)
    validator = _validators.get(key)
    if validator is None:
        from jsonschema import Draft202012Validator

        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        _validators[key] = validator
        if len(_validators) > _CACHE_SIZE:
            _validators.popitem(last=False)
    if len(_by_identity) > _CACHE_SIZE:
        _by_identity.clear()
    _by_identity[id(schema)] = (schema, validator)
    return validator


def validate_json(value: Any, schema: dict[str, Any], *, what: str = "JSON") -> None:
    """Raise :class:`SchemaValidationError` unless ``value`` matches ``schema``.

    Args:
        value: the JSON value (dicts, lists, str, numbers, bool, None).
        schema: a JSON schema (draft 2020-12; pydantic's output is fine).
        what: how to name the value in the message ("the answer", "variable 'x'").

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
        validator = _validator_for(schema)
    except Exception as exc:  # jsonschema.SchemaError and friends
        raise SchemaValidationError(
            f"Expected a valid JSON schema for {what}. Received an invalid schema: {exc}"
        ) from exc
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
