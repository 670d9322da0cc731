"""Variables in save files: current value and full version history, checked before use.

Each variable is saved as ``{"path", "value", "versions"}``, versions being
:meth:`Version.to_dict` records. Restoring is all-or-nothing: every entry is
matched to a variable of the program by path and every value (current and
historical) is validated against that variable's schema *before* any variable
changes, so a bad file never leaves a program half-loaded. Every problem is a
:class:`~synalinks_nb.errors.CorruptedFileError` naming the variable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import CorruptedFileError, InvalidVariableValueError
from synalinks_nb.variables.variable import DECIDERS, SOURCES, Variable, Version

__all__ = ["restore_variables", "variables_to_json"]

_OPTIONAL_INT = ("epoch", "batch")
_OPTIONAL_NUMBER = ("reward_before", "reward_after", "val_reward_before", "val_reward_after")
_FIELDS = frozenset({"index", "value", "source", "timestamp", "decided_by", "note",
                     *_OPTIONAL_INT, *_OPTIONAL_NUMBER})


def variables_to_json(variables: Sequence[Variable]) -> list[dict[str, Any]]:
    """Every variable's path, current value and versions, as JSON."""
    return [
        {"path": v.path, "value": v.get_json(), "versions": [x.to_dict() for x in v.versions]}
        for v in variables
    ]


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _check_value(variable: Variable, value: Any, where: str) -> Any:
    try:
        return variable.validate(value)
    except InvalidVariableValueError as exc:
        raise CorruptedFileError(
            f"{where}: the value of variable {variable.path!r} does not match its schema: {exc}"
        ) from exc


def _version(variable: Variable, record: Any, position: int, where: str) -> Version:
    where = f"{where}.versions[{position}]"
    if not isinstance(record, dict):
        raise CorruptedFileError(f"{where}: expected a version object for variable "
                                 f"{variable.path!r}. Received: {str(record)[:60]}")
    unknown = sorted(set(record) - _FIELDS)
    problems = [f"unknown fields {unknown}"] if unknown else []
    if type(record.get("index")) is not int or record["index"] != position:
        problems.append(f"index {record.get('index')!r} (expected {position})")
    if record.get("source") not in SOURCES:
        problems.append(f"source {str(record.get('source'))[:40]!r} (expected one of {SOURCES})")
    if not _number(record.get("timestamp")):
        problems.append("timestamp (expected a number)")
    if record.get("decided_by") is not None and record.get("decided_by") not in DECIDERS:
        problems.append(f"decided_by (expected one of {DECIDERS} or null)")
    if record.get("note") is not None and not isinstance(record.get("note"), str):
        problems.append("note (expected a string or null)")
    for key in _OPTIONAL_INT:
        if record.get(key) is not None and type(record.get(key)) is not int:
            problems.append(f"{key} (expected an integer or null)")
    for key in _OPTIONAL_NUMBER:
        if record.get(key) is not None and not _number(record.get(key)):
            problems.append(f"{key} (expected a number or null)")
    if problems:
        raise CorruptedFileError(
            f"{where}: version of variable {variable.path!r} is invalid: {'; '.join(problems)}."
        )
    value = _check_value(variable, record.get("value"), where)
    return Version(
        index=record["index"], value=value, source=record["source"],
        timestamp=float(record["timestamp"]), epoch=record.get("epoch"),
        batch=record.get("batch"), reward_before=record.get("reward_before"),
        reward_after=record.get("reward_after"), decided_by=record.get("decided_by"),
        note=record.get("note"), val_reward_before=record.get("val_reward_before"),
        val_reward_after=record.get("val_reward_after"),
    )


def _entries_by_path(entries: Any, source: str) -> dict[str, tuple[int, dict[str, Any]]]:
    if not isinstance(entries, list):
        raise CorruptedFileError(f"{source}: expected 'variables' to be a list. "
                                 f"Received: {type(entries).__name__}")
    by_path: dict[str, tuple[int, dict[str, Any]]] = {}
    for i, entry in enumerate(entries):
        where = f"{source}: variables[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise CorruptedFileError(f"{where}: expected {{'path', 'value', 'versions'}}.")
        if not isinstance(entry.get("versions"), list) or not entry["versions"]:
            raise CorruptedFileError(
                f"{where}: expected a non-empty 'versions' list for variable {entry['path']!r}."
            )
        if entry["path"] in by_path:
            raise CorruptedFileError(f"{where}: variable {entry['path']!r} appears twice.")
        by_path[entry["path"]] = (i, entry)
    return by_path


def restore_variables(variables: Sequence[Variable], entries: Any, source: str) -> None:
    """Give each variable its saved value and history (all checked first, then all applied)."""
    by_path = _entries_by_path(entries, source)
    expected = {v.path for v in variables}
    missing, extra = sorted(expected - set(by_path)), sorted(set(by_path) - expected)
    if missing or extra:
        raise CorruptedFileError(
            f"{source}: expected the variables of this program ({sorted(expected)}). "
            f"Missing from the file: {missing}; in the file but not in the program: {extra}."
        )
    restored: list[tuple[Variable, Any, list[Version]]] = []
    for variable in variables:
        i, entry = by_path[variable.path]
        where = f"{source}: variables[{i}]"
        value = _check_value(variable, entry.get("value"), where)
        versions = [_version(variable, r, n, where) for n, r in enumerate(entry["versions"])]
        restored.append((variable, value, versions))
    for variable, value, versions in restored:
        variable.set_history(value, versions)
