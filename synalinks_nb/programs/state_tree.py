"""``program.get_state_tree()`` / ``set_state_tree()``: variable values as one nested dict.

Synalinks' format: ``{"trainable_variables": {...}, "non_trainable_variables": {...}}``
where each variable's value sits under its path split at ``/``
(``{"qa": {"generator": {"instructions": {...}}}}`` for ``qa/generator/instructions``).
Synalinks also has optimizer and metric variables; here optimizers keep their state in
themselves and metrics in plain Python, so those groups are empty.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from synalinks_nb.errors import VariableError
from synalinks_nb.variables.variable import Variable

__all__ = ["assign_state_tree", "state_tree"]

_GROUPS = ("trainable_variables", "non_trainable_variables")
# Synalinks' other groups: no variables hold that state here.
_EMPTY_GROUPS = ("optimizer_trainable_variables", "optimizer_non_trainable_variables",
                 "metrics_variables")


def state_tree(program: Any) -> dict[str, Any]:
    """The values of ``program``'s variables, nested by path, in Synalinks' groups."""
    tree: dict[str, Any] = {group: _nested(getattr(program, group)) for group in _GROUPS}
    tree.update({group: {} for group in _EMPTY_GROUPS})
    return tree


def _nested(variables: list[Variable]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for variable in variables:
        *parents, last = variable.path.split("/")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        if last in node:
            raise VariableError(f"Expected unique variable paths for get_state_tree(). "
                                f"Received: {variable.path!r} twice (give modules unique names)")
        node[last] = copy.deepcopy(variable.get_json())
    return nested


def assign_state_tree(program: Any, tree: dict[str, Any]) -> None:
    """Assign the values of a :func:`state_tree` (fields given replace the current ones).

    Every value is checked before any is assigned: a refused tree changes nothing.

    Raises:
        VariableError: an unknown group, a path that is no variable of the program, or
            values for a group that holds no variables here.
        InvalidVariableValueError: a value does not match its variable's schema.
    """
    planned: list[tuple[Variable, Any]] = []
    for group, values in tree.items():
        if group in _EMPTY_GROUPS:
            if any(True for _ in _leaves(values)):
                raise VariableError(f"Expected no values for {group!r}: optimizer and metric "
                                    "state is not held in variables here. Received some.")
            continue
        if group not in _GROUPS:
            raise VariableError(f"Expected state tree groups among {_GROUPS + _EMPTY_GROUPS}. "
                                f"Received: {group!r}")
        planned.extend(_plan_group(getattr(program, group), values))
    for variable, value in planned:
        variable.validate(value)
    for variable, value in planned:
        variable.assign(value, source="load")


def _plan_group(variables: list[Variable], values: dict[str, Any]) -> list[tuple[Variable, Any]]:
    """Each variable the group's values touch, with its new value (fields merged in)."""
    by_path = {variable.path: variable for variable in variables}
    updates: dict[str, dict[str, Any]] = {}
    for path, value in _leaves(values):
        owner = next((p for p in by_path if path.startswith(p + "/")), None)
        if owner is None:
            raise VariableError(f"Expected paths of the program's variables {sorted(by_path)}. "
                                f"Received: {path!r}")
        updates.setdefault(owner, {})[path[len(owner) + 1:]] = value
    planned = []
    for owner, fields in updates.items():
        new_value = copy.deepcopy(by_path[owner].get_json())
        for field, value in fields.items():
            *parents, last = field.split("/")
            node = new_value
            for part in parents:
                node = node.setdefault(part, {})
            node[last] = value
        planned.append((by_path[owner], new_value))
    return planned


def _leaves(tree: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every non-dict value, paths joined with ``/`` (as Synalinks)."""
    if not isinstance(tree, dict):
        raise VariableError(f"Expected a nested dict of values. Received: {tree!r}")
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            yield from _leaves(value, f"{prefix}{key}/")
        else:
            yield f"{prefix}{key}", value
