"""How modules hold a language model: an object, a model id, or "the default".

Resolution is lazy: a module created without a model does not load the
embedded model until its first real call, and symbolic building never needs a
model at all. In configs a language model is stored by class name and its own
``get_config()`` (which never contains secrets).
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import ModuleError

__all__ = ["LanguageModelRef", "deserialize_language_model", "serialize_language_model"]


class LanguageModelRef:
    """A language model, resolved on first use."""

    __slots__ = ("_model", "_spec")

    def __init__(self, spec: Any) -> None:
        if spec is not None and not isinstance(spec, str) and not callable(spec):
            raise ModuleError(
                "Expected language_model to be a language model object, a model id string or "
                f"None (the default model). Received: {type(spec).__name__}"
            )
        self._spec = spec
        self._model: Any = None if spec is None or isinstance(spec, str) else spec

    def get(self) -> Any:
        """The language model object (created from the id or the default on first use)."""
        if self._model is None:
            if self._spec is None:
                # ``set_default_language_model`` may have been given an object (a scripted
                # model, a configured provider): modules built without a model use it.
                from synalinks_nb.config import config

                self._model = config.default_language_model()
            else:
                from synalinks_nb.language_models import LanguageModel

                self._model = LanguageModel(self._spec)
        return self._model

    @property
    def resolved(self) -> Any:
        """The model object if there is one yet (given, or created on first use), else ``None``."""
        return self._model

    @property
    def spec(self) -> Any:
        """What the module was given: an object, an id, or ``None``."""
        return self._spec


def serialize_language_model(ref: LanguageModelRef) -> Any:
    """JSON for a module config: ``None``, a model id, or ``{"class_name", "config"}``."""
    spec = ref.spec
    if spec is None or isinstance(spec, str):
        return spec
    return {"class_name": type(spec).__name__, "config": spec.get_config()}


def deserialize_language_model(value: Any) -> Any:
    """Inverse of :func:`serialize_language_model` (built-in language model classes only)."""
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, dict) or "class_name" not in value:
        raise ModuleError(
            f"Expected a language model config {{'class_name', 'config'}}. Received: {value!r}"
        )
    from synalinks_nb import language_models

    cls = getattr(language_models, str(value["class_name"]), None)
    if not isinstance(cls, type) or not hasattr(cls, "from_config"):
        raise ModuleError(f"Unknown language model class: {value['class_name']!r}")
    return cls.from_config(value.get("config", {}))
