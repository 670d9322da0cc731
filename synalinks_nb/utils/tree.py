"""Nested structures (lists, tuples, dicts) of data models: flatten and map.

Programs take and return nested structures (``inputs=[a, b]``,
``outputs={"answer": x}``); everything else is a leaf, ``None`` included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CONTAINERS", "flatten", "map_structure", "pack_like"]

#: The structure types; everything else is a leaf. A tuple rather than ``list | tuple |
#: dict``: isinstance on it is faster, and these checks run several times per module call.
CONTAINERS = (list, tuple, dict)


def flatten(structure: Any) -> list[Any]:
    """Leaves in a stable order (dicts in insertion order).

    Example:
        >>> flatten({"a": [1, 2], "b": (3, None)})
        [1, 2, 3, None]
    """
    if not isinstance(structure, CONTAINERS):  # the common case, first: one data model
        return [structure]
    if isinstance(structure, dict):
        return [leaf for item in structure.values() for leaf in flatten(item)]
    return [leaf for item in structure for leaf in flatten(item)]


def map_structure(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Apply ``fn`` to every leaf, keeping the structure.

    Example:
        >>> map_structure(lambda x: x * 2, {"a": [1, 2], "b": 3})
        {'a': [2, 4], 'b': 6}
    """
    if not isinstance(structure, CONTAINERS):
        return fn(structure)
    if isinstance(structure, list):
        return [map_structure(fn, item) for item in structure]
    if isinstance(structure, tuple):
        return tuple(map_structure(fn, item) for item in structure)
    if isinstance(structure, dict):
        return {key: map_structure(fn, item) for key, item in structure.items()}
    return fn(structure)


def pack_like(structure: Any, leaves: list[Any]) -> Any:
    """Put ``leaves`` (as from :func:`flatten`) back into the shape of ``structure``.

    Example:
        >>> pack_like({"a": [0, 0], "b": 0}, [1, 2, 3])
        {'a': [1, 2], 'b': 3}
    """
    it = iter(leaves)
    return map_structure(lambda _: next(it), structure)
