"""Modules as JSON: ``{"class_name", "config"}``, created only from registered classes."""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.utils.registry import get_registered_name, get_registered_object

__all__ = ["deserialize_module", "serialize_module"]


def serialize_module(module: Any) -> dict[str, Any]:
    """``{"class_name": ..., "config": module.get_config()}``."""
    return {"class_name": get_registered_name(type(module)), "config": module.get_config()}


def deserialize_module(value: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Recreate a module from :func:`serialize_module`'s output."""
    if not isinstance(value, dict) or not isinstance(value.get("class_name"), str):
        raise ModuleError(
            f"Expected a module config {{'class_name', 'config'}}. Received: {value!r}"
        )
    cls = get_registered_object(value["class_name"], custom_objects)
    if cls is None:
        raise ModuleError(
            f"Unknown module class {value['class_name']!r}. Register custom modules with "
            "@sn.saving.register_synalinks_serializable() or pass custom_objects."
        )
    return getattr(cls, "from_config")(dict(value.get("config") or {}))  # noqa: B009
