"""Argument checks shared by the built-in callbacks' constructors.

Each raises ``TypeError`` (wrong kind) or ``ValueError`` (right kind, wrong value) with
the ``Expected ... Received: name=value`` message of the rest of the package.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["checked_choice", "checked_int", "checked_number", "checked_path", "checked_str"]


def checked_path(name: str, value: Any) -> Path:
    """A file path (``str`` or ``os.PathLike``), as a ``Path``."""
    if isinstance(value, bytes) or not isinstance(value, str | os.PathLike) or not str(value):
        raise TypeError(f"Expected {name} to be a file path (str or Path). "
                        f"Received: {name}={value!r}")
    return Path(value)


def checked_int(name: str, value: Any, minimum: int = 0) -> int:
    """An int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Expected {name} to be an int. Received: {name}={value!r}")
    if value < minimum:
        raise ValueError(f"Expected {name} to be an int >= {minimum}. Received: {name}={value}")
    return value


def checked_number(name: str, value: Any, minimum: float | None = None) -> float:
    """A finite number (not a bool), at least ``minimum`` when given."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"Expected {name} to be a number. Received: {name}={value!r}")
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        bound = f" >= {minimum}" if minimum is not None else ""
        raise ValueError(f"Expected {name} to be a finite number{bound}. "
                         f"Received: {name}={value!r}")
    return float(value)


def checked_str(name: str, value: Any) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"Expected {name} to be a non-empty string. Received: {name}={value!r}")
    return value


def checked_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """One of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"Expected {name} to be one of {', '.join(map(repr, choices))}. "
                         f"Received: {name}={value!r}")
    return value
