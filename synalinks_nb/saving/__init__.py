"""Saving and loading: JSON only, atomic, safe (layer 7)."""

from __future__ import annotations

from synalinks_nb.utils.registry import (
    get_registered_name,
    get_registered_object,
    register_synalinks_serializable,
)

__all__ = ["get_registered_name", "get_registered_object", "register_synalinks_serializable"]
