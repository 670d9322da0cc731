"""Small file helpers shared by the callbacks that write files."""

from __future__ import annotations

from typing import Any

__all__ = ["program_variables"]


def program_variables(program: Any) -> dict[str, Any]:
    """``{variable path: value}`` for every variable of ``program``."""
    return {v.path: v.get_json() for v in program.variables}
