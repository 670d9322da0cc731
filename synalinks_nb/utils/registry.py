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
    "CustomObjectScope",
    "custom_object_scope",
    "effective_custom_objects",
    "get_custom_objects",
    "get_registered_function",
    "get_registered_name",
    "get_registered_object",
    "register_alias",
    "register_builtin",
    "register_synalinks_serializable",
    "registered_function_or_none",
]

T = TypeVar("T", bound=type)

_REGISTRY: dict[str, type] = {}
_NAMES: dict[Callable[..., Any], str] = {}
_FUNCTIONS: dict[str, Callable[..., Any]] = {}  # built-in functions, by name
# Synalinks' (and Keras') custom objects: a dict users may fill by hand, and the dicts of
# the active ``CustomObjectScope``s (innermost last). Both are consulted at load time, after
# the ``custom_objects=`` argument of the load call.
_CUSTOM_OBJECTS: dict[str, Any] = {}
_SCOPES: list[dict[str, Any]] = []


class CustomObjectScope:
    """Make ``custom_objects`` known to every load inside the ``with`` block.

    Example:
        >>> def shout(inputs):
        ...     return inputs
        >>> with CustomObjectScope({"shout": shout}):
        ...     effective_custom_objects(None)["shout"] is shout
        True
        >>> "shout" in effective_custom_objects(None)
        False
    """

    def __init__(self, custom_objects: dict[str, Any] | None = None,
                 *more_custom_objects: dict[str, Any]) -> None:
        self.custom_objects: dict[str, Any] = {}
        for objects in (custom_objects or {}, *more_custom_objects):
            self.custom_objects.update(objects)

    def __enter__(self) -> CustomObjectScope:
        _SCOPES.append(self.custom_objects)
        return self

    def __exit__(self, *exc: object) -> None:
        _SCOPES.remove(self.custom_objects)


custom_object_scope = CustomObjectScope
"""Synalinks' lower-case name for :class:`CustomObjectScope`."""


def get_custom_objects() -> dict[str, Any]:
    """The process-wide custom objects dict; entries added to it are found at load time."""
    return _CUSTOM_OBJECTS


def effective_custom_objects(custom_objects: dict[str, Any] | None) -> dict[str, Any]:
    """``custom_objects`` over the active scopes over :func:`get_custom_objects`."""
    merged = dict(_CUSTOM_OBJECTS)
    for scope in _SCOPES:
        merged.update(scope)
    merged.update(custom_objects or {})
    return merged


def register_builtin(cls: T) -> T:
    """Register a built-in class under its own name."""
    _REGISTRY[cls.__name__] = cls
    _NAMES[cls] = cls.__name__
    return cls


F = TypeVar("F", bound=Callable[..., Any])


def register_builtin_function(fn: F) -> F:
    """Register a built-in function under its own name: a wrapper saved with it as its
    ``fn`` (``MeanMetricWrapper(fn=rewards.exact_match)``) loads it back. Kept apart from
    the classes, so ``"exact_match"`` still names the ``ExactMatch`` class elsewhere."""
    _FUNCTIONS[fn.__name__] = fn
    return fn


def register_alias(name: str, cls: type) -> None:
    """Also find built-in ``cls`` under ``name`` (a former name files may still hold)."""
    _REGISTRY[name] = cls


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


def get_registered_name(obj: Callable[..., Any]) -> str:
    """The name a class (or function) is saved under (its own name if never registered)."""
    return _NAMES.get(obj, obj.__name__)


def get_registered_object(
    name: str, custom_objects: dict[str, Any] | None = None,
    module_objects: dict[str, Any] | None = None,
) -> type | None:
    """The class registered as ``name`` (``custom_objects`` and scopes first), or ``None``.

    ``module_objects`` (Synalinks' and Keras' argument) is one more dict searched, after
    ``custom_objects``.
    """
    custom_objects = {**(module_objects or {}), **effective_custom_objects(custom_objects)}
    if custom_objects and name in custom_objects:
        obj = custom_objects[name]
        return obj if isinstance(obj, type) else None
    if custom_objects and ">" in name and name.split(">", 1)[1] in custom_objects:
        obj = custom_objects[name.split(">", 1)[1]]
        return obj if isinstance(obj, type) else None
    return _REGISTRY.get(name)


def registered_function_or_none(name: str) -> Callable[..., Any] | None:
    """The function (not class) registered as ``name``, or ``None``."""
    obj = _REGISTRY.get(name) or _FUNCTIONS.get(name)
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
    fn: Callable[..., Any] | None = _REGISTRY.get(name) or _FUNCTIONS.get(name)
    if fn is None:
        raise ValueError(f"Expected the {what} function {name!r} to be registered with "
                         "register_synalinks_serializable before loading. Received an unknown "
                         "name.")
    return fn
