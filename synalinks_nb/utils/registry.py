"""The registry of classes that may be created from a config or a save file.

Loading is safe because it only ever instantiates classes found here: the
package's built-ins (registered under their class name) and classes the user
registered with :func:`register_synalinks_serializable` (under
``"<package>>ClassName"``). A file can never name a module path to import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "get_registered_name",
    "get_registered_object",
    "register_builtin",
    "register_synalinks_serializable",
]

T = TypeVar("T", bound=type)

_REGISTRY: dict[str, type] = {}
_NAMES: dict[type, str] = {}


def register_builtin(cls: T) -> T:
    """Register a built-in class under its own name."""
    _REGISTRY[cls.__name__] = cls
    _NAMES[cls] = cls.__name__
    return cls


def register_synalinks_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[T], T]:
    """Decorator: allow a custom module, reward, optimizer... to be saved and loaded.

    Example:
        >>> import synalinks_nb as sn
        >>> @sn.saving.register_synalinks_serializable(package="MyApp")
        ... class Shout(sn.Module):
        ...     async def call(self, inputs, training=False):
        ...         return inputs
        >>> sn.saving.get_registered_name(Shout)
        'MyApp>Shout'
    """

    def decorator(cls: T) -> T:
        key = f"{package}>{name or cls.__name__}"
        _REGISTRY[key] = cls
        _NAMES[cls] = key
        return cls

    return decorator


def get_registered_name(cls: type) -> str:
    """The name a class is saved under (its class name if it was never registered)."""
    return _NAMES.get(cls, cls.__name__)


def get_registered_object(
    name: str, custom_objects: dict[str, Any] | None = None
) -> type | None:
    """The class registered as ``name`` (``custom_objects`` first), or ``None``."""
    if custom_objects and name in custom_objects:
        obj = custom_objects[name]
        return obj if isinstance(obj, type) else None
    if custom_objects and ">" in name and name.split(">", 1)[1] in custom_objects:
        obj = custom_objects[name.split(">", 1)[1]]
        return obj if isinstance(obj, type) else None
    return _REGISTRY.get(name)
