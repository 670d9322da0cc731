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

__all__ = ["assert_same_structure", "flatten", "is_nested", "lists_to_tuples",
           "map_structure", "pack_sequence_as"]


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
