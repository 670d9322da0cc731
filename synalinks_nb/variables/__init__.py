"""Trainable, versioned JSON values (layer 2), and Synalinks' variable scopes."""

from __future__ import annotations

from synalinks_nb.variables.scopes import StatelessScope, SymbolicScope, name_scope
from synalinks_nb.variables.variable import Variable, Version, candidate_values

__all__ = ["StatelessScope", "SymbolicScope", "Variable", "Version", "candidate_values",
           "name_scope"]
