"""Trainable, versioned JSON values (layer 2)."""

from __future__ import annotations

from synalinks_nb.variables.variable import Variable, Version, candidate_values

__all__ = ["Variable", "Version", "candidate_values"]
