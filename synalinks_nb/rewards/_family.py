"""One registry per family (rewards, metrics, optimizers): ``get``/``serialize``/``deserialize``.

Shared by :mod:`synalinks_nb.rewards`, :mod:`synalinks_nb.metrics` and
:mod:`synalinks_nb.optimizers`. String ids (``"exact_match"``) name built-ins;
configs ``{"class_name", "config"}`` are resolved through
:mod:`synalinks_nb.utils.registry`, so loading never imports a module a file names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import UnknownObjectError
from synalinks_nb.utils.registry import get_registered_name, get_registered_object

__all__ = ["Family"]


class Family:
    """The registry of one family of pluggable objects."""

    def __init__(self, kind: str, base: type, wrap: Callable[[Any], Any] | None = None) -> None:
        self.kind = kind
        self.base = base
        self.wrap = wrap
        self.aliases: dict[str, Callable[[], Any]] = {}

    def alias(self, name: str, factory: Callable[[], Any]) -> None:
        """Make ``get(name)`` return ``factory()``."""
        self.aliases[name] = factory

    def get(self, identifier: Any) -> Any:
        """An instance from an instance, a string id, a config dict or (when wrapped) a function."""
        if isinstance(identifier, self.base):
            return identifier
        if isinstance(identifier, str):
            key = identifier.strip().lower()
            if key in self.aliases:
                return self.aliases[key]()
            cls = get_registered_object(identifier)
            if isinstance(cls, type) and issubclass(cls, self.base):
                return cls()
            raise ValueError(
                f"Expected a {self.kind} object or one of {sorted(self.aliases)}. "
                f"Received: {identifier!r}"
            )
        if isinstance(identifier, dict):
            return self.deserialize(identifier)
        if self.wrap is not None and callable(identifier):
            return self.wrap(identifier)
        raise TypeError(
            f"Expected a {self.kind} object, a string id or a config dict. "
            f"Received: {type(identifier).__name__}"
        )

    def serialize(self, obj: Any) -> dict[str, Any]:
        """``{"class_name", "config"}`` for ``obj``."""
        return {"class_name": get_registered_name(type(obj)), "config": obj.get_config()}

    def deserialize(self, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> Any:
        """The object described by :meth:`serialize`'s output (registered classes only)."""
        name = config.get("class_name")
        cls = get_registered_object(str(name), custom_objects)
        if cls is None or not issubclass(cls, self.base):
            raise UnknownObjectError(
                f"Expected a registered {self.kind} class name. Received: {name!r}"
            )
        return cls.from_config(dict(config.get("config") or {}))  # type: ignore[attr-defined]
