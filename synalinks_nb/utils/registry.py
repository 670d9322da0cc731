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
    "get_registered_function",
    "get_registered_name",
    "get_registered_object",
    "register_builtin",
    "register_synalinks_serializable",
    "registered_function_or_none",
]

T = TypeVar("T", bound=type)

_REGISTRY: dict[str, type] = {}
_NAMES: dict[Callable[..., Any], str] = {}


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


def get_registered_name(cls: Callable[..., Any]) -> str:
    """The name a class (or function) is saved under (its own name if never registered)."""
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


def registered_function_or_none(name: str) -> Callable[..., Any] | None:
    """The function (not class) registered as ``name``, or ``None``."""
    obj = _REGISTRY.get(name)
    return obj if callable(obj) and not isinstance(obj, type) else None


def get_registered_function(name: str, what: str) -> Callable[..., Any]:
    """The function registered as ``name``, for wrappers saved as ``{"fn": name}``.

    Raises:
        ValueError: nothing is registered as ``name``; the message says how to register it.

    Example:
        >>> @register_synalinks_serializable(package="Docs")
        ... def shout(y_true, y_pred):
        ...     return 1.0
        >>> get_registered_function("Docs>shout", "reward") is shout
        True
        >>> get_registered_function("Docs>whisper", "reward")
        Traceback (most recent call last):
        ...
        ValueError: Expected the reward function 'Docs>whisper' to be registered with ...
    """
    fn: Callable[..., Any] | None = _REGISTRY.get(name)
    if fn is None:
        raise ValueError(f"Expected the {what} function {name!r} to be registered with "
                         "register_synalinks_serializable before loading. Received an unknown "
                         "name.")
    return fn
