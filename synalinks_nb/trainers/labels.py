"""Labels are checked before any call: a wrong label would otherwise score 0, silently.

A label (an element of ``y``) must be a data model or a dict whose fields are
fields of the program's output, each valid for that field's schema. Labels may
be partial (``{"answer": ...}`` for a program answering ``thinking`` and
``answer``): rewards usually compare a mask of the output.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.errors import SchemaValidationError
from synalinks_nb.rewards.reward import as_json

__all__ = ["check_labels"]


def check_labels(ys: list[Any] | None, output_schema: dict[str, Any] | None,
                 rewards: list[Any], name: str = "y") -> None:
    """Raise ``ValueError`` naming the first label that cannot be compared with an output.

    Example:
        >>> schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
        >>> check_labels([{"answer": "Paris"}], schema, [])
        >>> check_labels([{"anwser": "Paris"}], schema, [])
        Traceback (most recent call last):
        ...
        ValueError: Expected the fields of y[0] to be fields of the program's output
        (['answer']). Received: unknown field(s) ['anwser']
    """
    if ys is None:
        needing = [type(r).__name__ for r in rewards if getattr(r, "requires_labels", False)]
        if needing:
            raise ValueError(f"Expected labels ({name}=...) for the reward(s) {needing}, which "
                             f"compare predictions with labels. Received: {name}=None")
        return
    properties = (output_schema or {}).get("properties")
    defs = (output_schema or {}).get("$defs")
    for i, label in enumerate(ys):
        try:
            value = as_json(label)
        except TypeError:
            value = label
        if not isinstance(value, dict):
            raise ValueError(f"Expected {name}[{i}] to be a data model or a dict. "
                             f"Received: {label!r}")
        if not isinstance(properties, dict):
            continue
        unknown = sorted(set(value) - set(properties))
        if unknown:
            raise ValueError(f"Expected the fields of {name}[{i}] to be fields of the program's "
                             f"output ({sorted(properties)}). Received: unknown field(s) "
                             f"{unknown}")
        for key, field_value in value.items():
            schema = properties[key] if defs is None else {**properties[key], "$defs": defs}
            try:
                validate_json(field_value, schema, what=f"{name}[{i}].{key}")
            except SchemaValidationError as exc:
                raise ValueError(f"Expected {name}[{i}].{key} to match the program's output "
                                 f"schema. Received: {exc}") from exc
