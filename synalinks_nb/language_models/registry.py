"""Synalinks' ``language_models.get / serialize / deserialize``.

``get`` accepts what a module's ``language_model=`` accepts: a model object (returned as
is), a model id (``"openai/gpt-4o-mini"``) or a ``{"class_name", "config"}`` dict of a
built-in model class. Nothing here resolves a class named by a file beyond the three
built-in model classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synalinks_nb.errors import UnknownObjectError
from synalinks_nb.language_models.base import BaseLanguageModel
from synalinks_nb.language_models.language_model import LanguageModel
from synalinks_nb.language_models.scripted import ScriptedLanguageModel

__all__ = ["deserialize", "get", "serialize"]

_CLASSES: dict[str, type[BaseLanguageModel]] = {
    "LanguageModel": LanguageModel, "ScriptedLanguageModel": ScriptedLanguageModel}


def serialize(language_model: BaseLanguageModel) -> dict[str, Any]:
    """``{"class_name", "config"}`` of a model (secrets are never in the config).

    Example:
        >>> from synalinks_nb import language_models
        >>> config = language_models.serialize(language_models.get("openai/gpt-4o-mini"))
        >>> config["class_name"], language_models.deserialize(config).model
        ('LanguageModel', 'openai/gpt-4o-mini')
    """
    return {"class_name": type(language_model).__name__, "config": language_model.get_config()}


def deserialize(config: Mapping[str, Any],
                custom_objects: Mapping[str, Any] | None = None) -> BaseLanguageModel:
    """The model described by :func:`serialize`'s output.

    Args:
        config: ``{"class_name", "config"}``.
        custom_objects: Your own language model classes by name, looked up before the
            built-in ones; nothing else is ever created.

    Example:
        >>> from synalinks_nb import language_models
        >>> class Mine(language_models.ScriptedLanguageModel):
        ...     pass
        >>> config = {"class_name": "Mine", "config": {"responses": ["hi"]}}
        >>> type(language_models.deserialize(config, custom_objects={"Mine": Mine})).__name__
        'Mine'
    """
    name = str(config.get("class_name"))
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if not (isinstance(cls, type) and issubclass(cls, BaseLanguageModel)):
        raise UnknownObjectError(
            f"Expected a language model class among {sorted(_CLASSES)} or custom_objects "
            f"{sorted(custom_objects or {})}. Received: {config.get('class_name')!r}")
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier: Any) -> BaseLanguageModel:
    """A model from an object, a model id or a :func:`serialize` dict."""
    if isinstance(identifier, BaseLanguageModel):
        return identifier
    if isinstance(identifier, str):
        return LanguageModel(identifier)
    if isinstance(identifier, Mapping):
        return deserialize(identifier)
    raise TypeError("Expected a language model, a model id or a config dict. "
                    f"Received: {identifier!r}")
