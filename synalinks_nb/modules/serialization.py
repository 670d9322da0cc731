"""Modules as JSON: ``{"class_name", "config"}``, created only from registered classes.

The functions of a ``Lambda`` or an ``Action`` are code: they are saved by name and given
back at load time through ``custom_objects``. Modules that hold other modules (``Branch``,
programs) receive ``custom_objects`` in their ``from_config`` when it accepts it.
"""

from __future__ import annotations

import inspect
from typing import Any

from synalinks_nb.errors import ModuleError, UnknownObjectError
from synalinks_nb.utils.registry import (
    effective_custom_objects,
    get_registered_name,
    get_registered_object,
    registered_function_or_none,
)

__all__ = ["deserialize_module", "instantiate", "resolve_function", "serialize_module"]


def serialize_module(module: Any) -> dict[str, Any]:
    """``{"class_name": ..., "config": ...}`` for a module (or an operator step)."""
    from synalinks_nb.modules.core.action import Action

    config = _action_config(module) if isinstance(module, Action) else module.get_config()
    return {"class_name": get_registered_name(type(module)), "config": config}


def deserialize_module(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Recreate a module from :func:`serialize_module`'s output (``config``)."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ModuleError(
            f"Expected a module config {{'class_name', 'config'}}. Received: {config!r}"
        )
    cls = get_registered_object(config["class_name"], custom_objects)
    if cls is None:
        raise UnknownObjectError(
            f"Unknown module class {config['class_name']!r}. Register custom modules with "
            "@sn.saving.register_synalinks_serializable() or pass custom_objects."
        )
    return instantiate(cls, dict(config.get("config") or {}), custom_objects)


def instantiate(cls: Any, config: dict[str, Any], custom_objects: dict[str, Any] | None) -> Any:
    """``cls`` made from its ``config``: functions looked up by name, nested modules too.

    Example:
        >>> import synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> def shout(x):
        ...     return {"text": x.get_json()["text"].upper()}
        >>> config = serialize_module(sn.Lambda(shout, data_model=Text))["config"]
        >>> config["function"]
        'shout'
        >>> instantiate(sn.Lambda, config, {"shout": shout}).function is shout
        True
    """
    from synalinks_nb.modules.core.action import Action
    from synalinks_nb.modules.core.lambda_module import Lambda
    from synalinks_nb.modules.core.language_model_ref import deserialize_language_model
    from synalinks_nb.modules.core.tool import Tool

    config = dict(config)
    if issubclass(cls, Lambda):
        owner = f"Lambda {config.get('name')!r}"
        config["function"] = _function(config.get("function"), custom_objects, owner)
        # Files written before Lambda took Synalinks' ``schema=`` name it "output_schema".
        if "output_schema" in config:
            config["schema"] = config.pop("output_schema")
        return cls(**config)
    if issubclass(cls, Action):
        # Files written before Action took Synalinks' ``tool=`` name the function "fn".
        name = config.pop("fn", None) if "tool" not in config else config.get("tool")
        fn = _function(name, custom_objects, f"Action {config.get('name')!r}")
        config["tool"] = fn if isinstance(fn, Tool) else Tool(fn)
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)
    if "custom_objects" in inspect.signature(cls.from_config).parameters:
        return cls.from_config(config, custom_objects=custom_objects)
    return cls.from_config(config)


def _action_config(action: Any) -> dict[str, Any]:
    from synalinks_nb.modules.core.language_model_ref import serialize_language_model
    from synalinks_nb.modules.module import Module

    generator = action.generator.get_config()
    return {
        **Module.get_config(action),
        "tool": action.tool.name,
        "language_model": serialize_language_model(action.generator.language_model),
        "instructions": generator["instructions"],
        "examples": generator["examples"],
    }


def _function(name: Any, custom_objects: dict[str, Any] | None, owner: str) -> Any:
    fn = None
    if isinstance(name, str):
        # custom_objects first (by full or short name), then functions registered with
        # @register_synalinks_serializable(), saved as "<package>>name".
        short = name.split(">", 1)[-1]
        known = effective_custom_objects(custom_objects)
        fn = known.get(name) or known.get(short)
        if fn is None and ">" in name:
            fn = registered_function_or_none(name)
    if not callable(fn) or isinstance(fn, type):
        raise UnknownObjectError(
            f"{owner} needs the function {name!r}, which is code and is not saved. Expected it "
            f"in custom_objects, e.g. custom_objects={{{name!r}: {name}}}. "
            f"Received: custom_objects keys {sorted(custom_objects or {})}"
        )
    return fn


def resolve_function(name: Any, custom_objects: dict[str, Any] | None, owner: str) -> Any:
    """The function (or Tool) a saved config names: custom objects, then registered ones."""
    return _function(name, custom_objects, owner)
