"""Synalinks' ``utils.pack_x_y`` / ``utils.unpack_x_y``: the ``(x, y)`` tuples of ``fit``."""

from __future__ import annotations

from typing import Any

__all__ = ["pack_x_y", "unpack_x_y"]


def unpack_x_y(data: Any) -> tuple[Any, Any]:
    """``(x, y)`` from ``x``, ``(x,)`` or ``(x, y)`` (``y`` is ``None`` when absent).

    Example:
        >>> unpack_x_y(("question",)), unpack_x_y(["question", "answer"])
        (('question', None), ('question', 'answer'))
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None
    if len(data) == 1:
        return data[0], None
    if len(data) == 2:
        return data[0], data[1]
    raise ValueError(f"Expected data as x, (x,) or (x, y). Received a tuple of {len(data)}: "
                     f"{data!r:.200}")


def pack_x_y(x: Any, y: Any = None) -> tuple[Any, ...]:
    """``(x,)``, or ``(x, y)`` when ``y`` is given.

    Example:
        >>> pack_x_y("question"), pack_x_y("question", "answer")
        (('question',), ('question', 'answer'))
    """
    return (x,) if y is None else (x, y)
