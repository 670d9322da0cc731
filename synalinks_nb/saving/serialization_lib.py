"""Objects as ``{"class_name", "config"}``, and the safety rules every save obeys.

:func:`serialize_synalinks_object` writes any module, program, reward,
metric or optimizer as its registered name and its ``get_config()``;
:func:`deserialize_synalinks_object` looks the name up in the registry (or
``custom_objects``) and calls ``from_config``. Nothing else: a name is never
imported, evaluated or resolved as an attribute path, so ``"os.system"`` or
``"__import__"`` is just an unknown class.

:func:`scrub_secrets` is the last step of every save: keys that name secrets
(``api_key``, ``token``, ``secret``, ``password``...) are dropped from settings
(not from user data: schema fields, examples, variable values), and any string
holding a known secret value (the keys given to the program's language models)
is redacted, so a secret cannot reach the file
even through a custom ``get_config``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeGuard

from synalinks_nb.errors import SavingError, UnknownObjectError
from synalinks_nb.utils.registry import get_registered_name, get_registered_object
from synalinks_nb.utils.secrets import REDACTED, SECRET_KEY

__all__ = [
    "REDACTED",
    "ProgramClass",
    "check_language_models",
    "deserialize_synalinks_object",
    "is_program_class",
    "known_secrets",
    "scrub_secrets",
    "serialize_synalinks_object",
]

_SECRET_KEY = SECRET_KEY


class ProgramClass(Protocol):
    """What saving needs of a program class."""

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> Any: ...

    def build_from_config(self, config: dict[str, Any] | None) -> None: ...


def is_program_class(cls: Any) -> TypeGuard[type[ProgramClass]]:
    """Whether ``cls`` is a program class: one with ``build_from_config`` (Keras' name).

    Saving sits below programs (``program.save()`` calls it), so it recognises them by
    what they do rather than by importing :class:`~synalinks_nb.Program`.

    Example:
        >>> import synalinks_nb as sn
        >>> is_program_class(sn.Sequential), is_program_class(sn.Generator)
        (True, False)
    """
    return isinstance(cls, type) and callable(getattr(cls, "build_from_config", None))
# Subtrees holding user data, not settings: a schema field or an example may be called "token".
_DATA_KEYS = frozenset({"properties", "$defs", "examples", "value", "versions", "responses"})
# Language models a file may create: the package's own front ends, nothing else.
_LANGUAGE_MODELS = frozenset({"LanguageModel", "ScriptedLanguageModel"})


def serialize_synalinks_object(obj: Any) -> dict[str, Any]:
    """``{"class_name": <registered name>, "config": obj.get_config()}``.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.saving.serialize_synalinks_object(sn.Identity(name="same"))
        {'class_name': 'Identity', 'config': {'name': 'same', 'description': '', 'trainable': True}}
    """
    get_config = getattr(obj, "get_config", None)
    if not callable(get_config):
        raise SavingError(
            f"Expected an object with get_config(). Received: {type(obj).__name__}"
        )
    return {"class_name": get_registered_name(type(obj)), "config": get_config()}


def deserialize_synalinks_object(
    config: Any, custom_objects: dict[str, Any] | None = None, safe_mode: bool = True
) -> Any:
    """Create the object :func:`serialize_synalinks_object` described (registered classes only).

    ``safe_mode`` is accepted for Synalinks code and changes nothing: a config never
    holds code here, so there is nothing unsafe to allow.

    Raises:
        UnknownObjectError: the class is neither built in, registered, nor in
            ``custom_objects``.
        CorruptedFileError: ``config`` is not ``{"class_name": str, "config": dict}``.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.saving.deserialize_synalinks_object(
        ...     {"class_name": "Identity", "config": {"name": "same"}})
        <Identity name='same'>
        >>> sn.saving.deserialize_synalinks_object({"class_name": "os.system", "config": {}})
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.UnknownObjectError: Expected a built-in or registered class. ...
    """
    from synalinks_nb.errors import CorruptedFileError

    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise CorruptedFileError(
            f"Expected {{'class_name': str, 'config': dict}}. Received: {str(config)[:80]}"
        )
    inner = config.get("config", {})
    if not isinstance(inner, dict):
        raise CorruptedFileError(f"Expected 'config' to be a dict. Received: {str(inner)[:80]}")
    name = config["class_name"]
    cls = get_registered_object(name, custom_objects)
    if cls is None:
        raise UnknownObjectError(
            f"Expected a built-in or registered class. Received: class_name={name!r}. Register "
            "custom classes with @sn.saving.register_synalinks_serializable() or pass "
            "custom_objects={'Name': Name}."
        )
    if is_program_class(cls):
        return cls.from_config(dict(inner), custom_objects=custom_objects)
    return getattr(cls, "from_config")(dict(inner))  # noqa: B009


def check_language_models(document: Any, where: str = "$") -> None:
    """Refuse language-model configs naming anything but the package's language models.

    Module configs name their language model by class; loading resolves that
    name inside :mod:`synalinks_nb.language_models` only, and this check
    narrows it further to the real front ends before anything is created.
    """
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "language_model" and isinstance(value, dict):
                name = value.get("class_name")
                if not isinstance(name, str) or name not in _LANGUAGE_MODELS:
                    raise UnknownObjectError(
                        f"Expected a language model class among {sorted(_LANGUAGE_MODELS)} at "
                        f"{where}.{key}. Received: class_name={str(name)[:80]!r}"
                    )
            check_language_models(value, f"{where}.{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            check_language_models(value, f"{where}[{index}]")


def known_secrets(objects: Iterable[Any]) -> list[str]:
    """API keys and URL credentials held by these objects (language models, their backends)."""
    secrets: list[str] = []
    for obj in objects:
        for holder in (obj, getattr(obj, "backend", None), getattr(obj, "_backend", None)):
            values = [getattr(holder, attr, None) for attr in ("api_key", "_api_key")]
            held = getattr(holder, "secrets", None)
            values += held if isinstance(held, list) else []
            for value in values:
                if isinstance(value, str) and len(value) >= 4 and value not in secrets:
                    secrets.append(value)
    return secrets


def scrub_secrets(document: Any, secrets: Iterable[str] = ()) -> Any:
    """A copy of ``document`` without secret-named keys, and with known secrets redacted.

    Example:
        >>> scrub_secrets({"model": "x", "api_key": "sk-1", "sampling": {"max_tokens": 9},
        ...                "note": "key sk-1"}, secrets=["sk-1"])
        {'model': 'x', 'sampling': {'max_tokens': 9}, 'note': 'key <redacted>'}
    """
    values = [s for s in secrets if s]
    return _scrub(document, values)


def _scrub(value: Any, secrets: list[str], by_key: bool = True) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, secrets, by_key and k not in _DATA_KEYS) for k, v in value.items()
                if not (by_key and isinstance(k, str) and _SECRET_KEY.match(k))}
    if isinstance(value, list | tuple):
        return [_scrub(v, secrets, by_key) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
    return value
