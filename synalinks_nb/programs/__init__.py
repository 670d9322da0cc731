"""Programs: graphs of modules (layer 5)."""

from __future__ import annotations

from synalinks_nb.programs.program import Program
from synalinks_nb.programs.sequential import Sequential
from synalinks_nb.utils.registry import register_builtin

__all__ = ["Program", "Sequential"]

register_builtin(Program)
register_builtin(Sequential)
