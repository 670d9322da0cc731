"""Synalinks' initializers: objects that give a variable its first value.

A variable's ``initializer`` is usually a JSON dict; an :class:`Initializer` is the other
form Synalinks accepts (``initializers.Empty(data_model=Persona)``: the data model's default
value). ``Variable`` reads any initializer through its ``get_json()``.

Example:
    >>> import synalinks_nb as sn
    >>> init = sn.initializers.Empty(data_model=sn.Instructions)
    >>> v = sn.Variable(initializer=init, data_model=sn.Instructions)
    >>> v.get_json()
    {'instructions': '', 'examples': []}
"""

from __future__ import annotations

import inspect
from typing import Any

from synalinks_nb.utils.registry import get_registered_name, get_registered_object, register_builtin

__all__ = ["Empty", "Initializer", "deserialize", "empty", "get", "serialize"]


def _default_json(data_model: Any) -> dict[str, Any]:
    """A DataModel class's default value, or an instance's value."""
    instance: Any = data_model() if inspect.isclass(data_model) else data_model
    value: dict[str, Any] = instance.get_json()
    return value


class Initializer:
    """Base class of initializers: ``__call__(data_model=None)`` returns the first JSON value.

    Subclass contract: implement ``__call__``; add constructor arguments to ``get_config``.

    Args:
        schema: the value's JSON schema (default: ``data_model``'s).
        json: the value (default: ``data_model``'s default, or the instance's value).
        data_model: a DataModel class or instance.

    Example:
        A constant initializer:

        >>> class Constant(Initializer):
        ...     def __call__(self, data_model=None, **kwargs):
        ...         return self.get_json()
        >>> Constant(json={"instructions": "Be brief."})()
        {'instructions': 'Be brief.'}
    """

    def __init__(self, schema: dict[str, Any] | None = None, json: dict[str, Any] | None = None,
                 data_model: Any = None) -> None:
        if schema is None and data_model is not None:
            schema = data_model.get_schema()
        if json is None and data_model is not None:
            json = _default_json(data_model)
        self._schema = schema
        self._json = json

    def get_json(self) -> dict[str, Any] | None:
        """The value this initializer gives."""
        return self._json

    def get_schema(self) -> dict[str, Any] | None:
        """The value's JSON schema."""
        return self._schema

    def __call__(self, data_model: Any = None, **kwargs: Any) -> Any:
        """The first value of a variable (of ``data_model`` when given)."""
        raise NotImplementedError(f"{type(self).__name__} must implement __call__.")

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments as JSON."""
        return {"schema": self._schema, "json": self._json}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        """Rebuild from :meth:`get_config`."""
        return cls(**config)


@register_builtin
class Empty(Initializer):
    """The data model's default value (``data_model()``'s JSON, or the value given).

    Example:
        >>> import synalinks_nb as sn
        >>> Empty()(sn.Instructions)
        {'instructions': '', 'examples': []}
    """

    def __call__(self, data_model: Any = None, **kwargs: Any) -> Any:
        if data_model is not None:
            self._schema = data_model.get_schema()
            self._json = _default_json(data_model)
        return self._json


empty = Empty
"""Synalinks' lower-case alias."""


def serialize(initializer: Initializer) -> dict[str, Any]:
    """``{"class_name", "config"}`` for ``initializer``."""
    return {"class_name": get_registered_name(type(initializer)),
            "config": initializer.get_config()}


def deserialize(config: dict[str, Any],
                custom_objects: dict[str, Any] | None = None) -> Initializer:
    """The initializer :func:`serialize` described (registered classes only)."""
    name = config.get("class_name") if isinstance(config, dict) else None
    cls = get_registered_object(str(name), custom_objects) if name else None
    if cls is None or not issubclass(cls, Initializer):
        raise ValueError(f"Expected the config of a registered initializer. Received: "
                         f"{config!r:.120}")
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier: Any) -> Initializer:
    """An initializer from an instance, ``"empty"``, or a config dict."""
    if isinstance(identifier, Initializer):
        return identifier
    if identifier in ("empty", "Empty"):
        return Empty()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"Expected an Initializer, 'empty' or a config dict. "
                     f"Received: {identifier!r}")
