"""Synalinks' ``synalinks.tree``: nested structures (lists, tuples, dicts) of values.

The package's own helpers are in :mod:`synalinks_nb.utils.tree`; this module gives them
Synalinks' names and signatures (``map_structure(func, *structures)``,
``pack_sequence_as(structure, flat_sequence)``). Everything that is not a list, a tuple or a
dict is a leaf, ``None`` included.

Example:
    >>> import synalinks_nb as sn
    >>> sn.tree.flatten({"a": [1, 2], "b": 3})
    [1, 2, 3]
    >>> sn.tree.map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.utils.tree import CONTAINERS, flatten, pack_like
from synalinks_nb.utils.tree import map_structure as _map_one

__all__ = ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten",
           "is_nested", "lists_to_tuples", "map_structure", "pack_sequence_as", "traverse"]


class MAP_TO_NONE:
    """Returned by :func:`traverse`'s ``func`` to replace a sub-tree with ``None``."""


def is_nested(structure: Any) -> bool:
    """Whether ``structure`` is a list, a tuple or a dict."""
    return isinstance(structure, CONTAINERS)


def _shape(structure: Any) -> Any:
    return _map_one(lambda _: None, structure)


def assert_same_structure(a: Any, b: Any, check_types: bool = True) -> None:
    """Raise ``ValueError`` when ``a`` and ``b`` do not nest the same way.

    Example:
        >>> assert_same_structure([1, {"x": 2}], [3, {"x": 4}])
        >>> assert_same_structure([1, 2], [1])
        Traceback (most recent call last):
        ...
        ValueError: Expected two structures that nest the same way. Received: [1, 2] and [1]
    """
    left, right = _shape(a), _shape(b)
    if not check_types:
        left, right = lists_to_tuples(left), lists_to_tuples(right)
    if left != right:
        raise ValueError("Expected two structures that nest the same way. "
                         f"Received: {a!r} and {b!r}")


def map_structure(func: Callable[..., Any], *structures: Any) -> Any:
    """Apply ``func`` to the leaves of one or more structures of the same shape."""
    if not structures:
        raise TypeError("Expected at least one structure. Received none.")
    if len(structures) == 1:
        return _map_one(func, structures[0])
    for other in structures[1:]:
        assert_same_structure(structures[0], other)
    columns = zip(*(flatten(s) for s in structures), strict=True)
    return pack_like(structures[0], [func(*leaves) for leaves in columns])


def pack_sequence_as(structure: Any, flat_sequence: list[Any]) -> Any:
    """Put ``flat_sequence`` (as from :func:`flatten`) back into the shape of ``structure``.

    Example:
        >>> pack_sequence_as({"a": [0, 0], "b": 0}, [1, 2, 3])
        {'a': [1, 2], 'b': 3}
    """
    if len(flat_sequence) != len(flatten(structure)):
        raise ValueError(f"Expected {len(flatten(structure))} leaves for this structure. "
                         f"Received: {len(flat_sequence)}")
    return pack_like(structure, list(flat_sequence))


def lists_to_tuples(structure: Any) -> Any:
    """The same structure with every list turned into a tuple."""
    if isinstance(structure, list | tuple):
        return tuple(lists_to_tuples(item) for item in structure)
    if isinstance(structure, dict):
        return {key: lists_to_tuples(item) for key, item in structure.items()}
    return structure


def _children(structure: Any) -> list[tuple[Any, Any]]:
    if isinstance(structure, dict):
        return list(structure.items())
    if isinstance(structure, list | tuple):
        return list(enumerate(structure))
    return []


def _rebuild(structure: Any, values: list[Any]) -> Any:
    if isinstance(structure, dict):
        return dict(zip(structure, values, strict=True))
    return type(structure)(values) if isinstance(structure, tuple) else list(values)


def traverse(func: Callable[[Any], Any], structure: Any, top_down: bool = True) -> Any:
    """Apply ``func`` to every sub-tree, depth first (Synalinks' and Keras' ``traverse``).

    Top down, parents come first, and a non-``None`` result replaces the sub-tree and stops
    the descent; bottom up, children come first and a non-``None`` result replaces the
    sub-tree. Return :class:`MAP_TO_NONE` to replace a sub-tree with ``None``.

    Example:
        >>> seen = []
        >>> traverse(seen.append, [(1, 2), {"a": 3}])
        [(1, 2), {'a': 3}]
        >>> seen
        [[(1, 2), {'a': 3}], (1, 2), 1, 2, {'a': 3}, 3]
        >>> traverse(lambda x: x * 10 if isinstance(x, int) else None, [1, (2,)])
        [10, (20,)]
    """

    def visit(node: Any) -> Any:
        if top_down:
            result = func(node)
            if result is not None:
                return None if result is MAP_TO_NONE else result
        rebuilt = _rebuild(node, [visit(child) for _, child in _children(node)]) \
            if isinstance(node, CONTAINERS) else node
        if top_down:
            return rebuilt
        result = func(rebuilt)
        if result is None:
            return rebuilt
        return None if result is MAP_TO_NONE else result

    return visit(structure)


def _paths(structure: Any, prefix: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    if not isinstance(structure, CONTAINERS):
        return {prefix}
    paths: set[tuple[Any, ...]] = set()
    for key, child in _children(structure):
        paths |= _paths(child, (*prefix, key))
    return paths or {prefix}


def assert_same_paths(a: Any, b: Any) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same leaf paths (indices for
    sequences, keys for dicts; the container types may differ).

    Example:
        >>> assert_same_paths([0, 1], (2, 3))
        >>> assert_same_paths({"a": 1}, {"b": 1})
        Traceback (most recent call last):
        ...
        ValueError: Expected two structures with the same paths. Only in the first: [('a',)]; only in the second: [('b',)]
    """  # noqa: E501
    left, right = _paths(a), _paths(b)
    if left != right:
        raise ValueError(
            "Expected two structures with the same paths. Only in the first: "
            f"{sorted(left - right, key=repr)}; only in the second: "
            f"{sorted(right - left, key=repr)}")
