"""Language models in save files: faithful, overridable, and never a route for your keys.

Three rules, applied by :func:`~synalinks_nb.saving.saving_api.load_program`:

1. **What a program was built with comes back.** A subclassed or mixed
   program rebuilds its modules by running its code, which may pick another
   model (the default ``local/smollm2``) when the model was a constructor
   argument; so each module's language model is recorded next to the
   architecture (``program.language_models``) and put back. Functional and
   Sequential configs hold their modules' models already.
2. **What a file cannot hold is asked for, not guessed.** Code (a
   ``ScriptedLanguageModel``'s ``handler``) and secrets (a password inside an
   ``api_base``) are never saved. Loading such a program without giving the
   model back raises :class:`~synalinks_nb.errors.MissingObjectError` naming
   the model and how to supply it: ``language_model=`` (one model for all, or
   ``{saved name: model}``) or ``custom_objects={saved name: model}``.
3. **A file chooses no endpoint for your credentials** (Keras' ``safe_mode``
   idea). Keys are never in files; they come from the environment
   (``OPENAI_API_KEY``...) when the model is used. So an ``api_base`` written
   in a file would receive your key: loading refuses it with
   :class:`~synalinks_nb.errors.UntrustedEndpointError` unless you trust it —
   ``trusted_api_bases=[...]`` on load, ``sn.config.set_trusted_api_bases``, the
   ``SYNALINKS_NB_TRUSTED_API_BASES`` variable (comma-separated), or
   ``safe_mode=False`` for a file you trust entirely — or you give the model
   yourself (rule 2's overrides), in which case the file's endpoint is unused.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from synalinks_nb.config import config
from synalinks_nb.errors import MissingObjectError, UntrustedEndpointError
from synalinks_nb.utils.secrets import REDACTED, redact_url

__all__ = [
    "Overrides",
    "apply_overrides",
    "check_complete",
    "check_endpoints",
    "endpoint_matches",
    "overrides_from",
    "record_language_models",
    "restore_language_models",
]

# Saved model name -> model; the key None means "every language model in the file".
Overrides = dict[str | None, Any]


def overrides_from(custom_objects: Mapping[str, Any] | None, language_model: Any) -> Overrides:
    """The models the caller gives back, by saved name (``None``: for every model)."""
    from synalinks_nb.language_models.base import BaseLanguageModel

    given: Overrides = {k: v for k, v in (custom_objects or {}).items()
                        if isinstance(v, BaseLanguageModel)}
    if language_model is None:
        return given
    if isinstance(language_model, BaseLanguageModel):
        return {**given, None: language_model}
    if isinstance(language_model, Mapping) and all(
        isinstance(k, str) and isinstance(v, BaseLanguageModel)
        for k, v in language_model.items()
    ):
        return {**given, **language_model}
    raise TypeError(
        "Expected language_model to be a language model, or a dict of saved model name to "
        f"language model. Received: {type(language_model).__name__}"
    )


# -- rule 3: endpoints -------------------------------------------------------------------------


def _normalise(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme.lower()}://{host}{port}{parts.path.rstrip('/')}"


def endpoint_matches(api_base: str, trusted: Iterable[str]) -> bool:
    """Whether ``api_base`` is one of ``trusted`` or below one of them.

    User-info, query and a trailing slash are ignored; scheme, host, port and
    path must agree.

    Example:
        >>> endpoint_matches("http://localhost:11434/v1/", ["http://LOCALHOST:11434"])
        True
        >>> endpoint_matches("http://localhost:11434.evil.example/v1", ["http://localhost:11434"])
        False
    """
    try:
        wanted = _normalise(api_base)
    except ValueError:  # an invalid port: trusted by nobody
        return False
    for entry in trusted:
        try:
            base = _normalise(entry)
        except ValueError:
            continue
        if wanted == base or wanted.startswith(base + "/"):
            return True
    return False


def _endpoints(document: Any, overrides: Overrides) -> Iterator[dict[str, Any]]:
    """Every object in ``document`` that sets an ``api_base``, but those ``overrides`` replace.

    A replaced model's fallbacks are replaced with it, so they are skipped too.
    """
    if isinstance(document, dict):
        if isinstance(document.get("name"), str) and document["name"] in overrides and (
            "api_base" in document
        ):
            return
        if isinstance(document.get("api_base"), str) and document["api_base"]:
            yield document
        for value in document.values():
            yield from _endpoints(value, overrides)
    elif isinstance(document, list):
        for value in document:
            yield from _endpoints(value, overrides)


def check_endpoints(
    document: Mapping[str, Any],
    overrides: Overrides,
    trusted_api_bases: Iterable[str] | None,
    source: str,
) -> None:
    """Refuse a file whose ``program`` or ``compile_config`` names an untrusted ``api_base``.

    Models replaced by ``overrides`` are not checked: their endpoint is unused.
    """
    if None in overrides:
        return
    trusted = [*(trusted_api_bases or ()), *config.trusted_api_bases]
    for section in ("program", "compile_config"):
        for holder in _endpoints(document.get(section), overrides):
            api_base = redact_url(holder["api_base"])
            if not endpoint_matches(holder["api_base"], trusted):
                raise UntrustedEndpointError(_untrusted_message(holder, api_base, source),
                                             api_base=api_base)


def _untrusted_message(holder: Mapping[str, Any], api_base: str, source: str) -> str:
    name = str(holder.get("name") or holder.get("model") or "?")[:80]
    return (
        f"{source}: expected language models to send requests only to endpoints you chose. "
        f"Received: model {name!r} with api_base={api_base!r} from the file; your API key "
        "from the environment would be sent there. If you trust it: "
        f"Program.load(path, trusted_api_bases=[{api_base!r}]), or set "
        "SYNALINKS_NB_TRUSTED_API_BASES, or safe_mode=False for a file you trust entirely. "
        f"Or give your own model: Program.load(path, language_model={{{name!r}: model}})."
    )


# -- rule 1: recording and restoring -------------------------------------------------------


def _holders(program: Any, compiled: bool = False) -> Iterator[Any]:
    """Modules holding a language model (if ``compiled``, also reward, metrics, optimizer)."""
    from synalinks_nb.modules.core.language_model_ref import LanguageModelRef

    candidates = [program, *program.submodules]
    if compiled:
        candidates += [getattr(program, "reward", None), getattr(program, "optimizer", None),
                       *(getattr(program, "metrics", None) or [])]
    for holder in candidates:
        if isinstance(getattr(holder, "language_model", None), LanguageModelRef):
            yield holder


def record_language_models(program: Any) -> list[dict[str, Any]]:
    """``[{"module": name, "language_model": <serialized>}]`` for every module that has one."""
    from synalinks_nb.modules.core.language_model_ref import serialize_language_model

    return [{"module": m.name, "language_model": serialize_language_model(m.language_model)}
            for m in _holders(program)]


def restore_language_models(program: Any, recorded: Any) -> None:
    """Give each module the language model recorded for it, when its own differs.

    Identical recorded configs share one model object, as they did when saved.
    """
    from synalinks_nb.modules.core.language_model_ref import (
        LanguageModelRef,
        deserialize_language_model,
        serialize_language_model,
    )

    if not isinstance(recorded, list):
        return
    by_module = {item["module"]: item.get("language_model") for item in recorded
                 if isinstance(item, dict) and isinstance(item.get("module"), str)}
    made: dict[str, Any] = {}
    for module in _holders(program):
        if module.name not in by_module:
            continue
        wanted = by_module[module.name]
        if serialize_language_model(module.language_model) == wanted:
            continue
        key = json.dumps(wanted, sort_keys=True)
        if key not in made:
            made[key] = deserialize_language_model(wanted)
        module.language_model = LanguageModelRef(made[key])


# -- rule 2: overrides and missing pieces ------------------------------------------------------


def apply_overrides(program: Any, overrides: Overrides) -> None:
    """Put the caller's models in place of the saved ones (by saved name, or all)."""
    from synalinks_nb.modules.core.language_model_ref import LanguageModelRef

    if not overrides:
        return
    for module in _holders(program, compiled=True):
        name = getattr(module.language_model.spec, "name", module.language_model.spec)
        if None in overrides:
            module.language_model = LanguageModelRef(overrides[None])
        elif isinstance(name, str) and name in overrides:
            module.language_model = LanguageModelRef(overrides[name])


def check_complete(models: Iterable[Any], source: str) -> None:
    """Refuse models that lost code or a secret on the way through the file."""
    from synalinks_nb.language_models.scripted import (
        ScriptedLanguageModel,
        missing_handler_message,
    )

    for model in models:
        if isinstance(model, ScriptedLanguageModel) and model.missing_handler is not None:
            raise MissingObjectError(
                f"{source}: {missing_handler_message(model.name, model.missing_handler)}")
        api_base = getattr(model, "api_base", None)
        if isinstance(api_base, str) and REDACTED in api_base:
            raise MissingObjectError(
                f"{source}: expected the api_base of language model {model.name!r} with its "
                f"credentials. Received: {api_base!r}: credentials in a URL are never saved. "
                f"Give the model back: Program.load(path, language_model={{{model.name!r}: "
                "LanguageModel(..., api_base='<full URL>')})."
            )
