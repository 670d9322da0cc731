"""Synalinks' saved objects, one by one: modules, language models, compile objects, states.

:mod:`.synalinks_files` walks a file Synalinks wrote; this module turns each
object in it into ours, or refuses it with a
:class:`~synalinks_nb.errors.MigrationError` that names the key. The rule is the
one every load follows: a program that would behave differently from the saved
one is worse than no program, so a setting is mapped only when ours means the
same thing, and dropped only when it cannot change what the program answers.

Mapped: ``InputModule``, ``Generator``, ``ChainOfThought``, ``Decision``, the modules
without settings (``Identity``, ``Not``, ``Concat``, ``And``, ``Or``, ``Xor``), the
``+ & | ^ ~`` graph steps (Synalinks' ``ops.json`` operations, our ``LogicalOp``/``NotOp``),
language models, and rewards, metrics and optimizers that exist here under the same name.

What is dropped on purpose (each is an optimizer's or a display's business, not
the program's):

* the optimizer bookkeeping inside a Generator's state (``predictions``,
  ``candidates``, ``best_candidates``, ``history``, ``nb_visit``,
  ``cumulative_reward``, ``current_predictions``, ``seed_candidates``): here it
  lives in the optimizer's state; the migrated version's note counts what was left;
* ``registered_name``/``module`` (where Synalinks found the class), ``build_config``
  (we rebuild by replaying the graph), ``run_eagerly``/``steps_per_execution``.

A Generator's ``prompt_template`` is Synalinks' default Jinja template in most
files: it maps to our default prompt. Any other (Jinja) template is kept: a Generator
renders it as Synalinks does; one that does not parse, or names a variable a Generator
does not give, is refused, naming the module.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

from synalinks_nb.errors import MigrationError

__all__ = [
    "BOOKKEEPING",
    "language_model_from_synalinks",
    "module_from_synalinks",
    "object_from_synalinks",
    "state_value_from_synalinks",
]

# sha256 of Synalinks' default Generator templates (2025-2026 releases): a file holding
# one of them asked for "the default prompt", which ours provides in its own words.
_DEFAULT_TEMPLATES = frozenset({
    "2b4ca13de28763da332dd24cf82cd8f291e41f552c36ec113d4752098e7337a5",
    "b9ab915b3b79d6d4563877ea376c3247fb790f14bbc282cb9f0f19c0e1536dcd",
    "d94c7167944d8735fa673d29443603749148d918d96dacb85fbcdee72f1f0532",
    "c42e5a1a359271c761b9570bdbf391f19e7ef76516ecef802563ffe761102e1d",
})
BOOKKEEPING = frozenset({"current_predictions", "predictions", "seed_candidates", "candidates",
                         "best_candidates", "history", "nb_visit", "cumulative_reward"})
# Keys of a serialized object that say where Synalinks found its class: not the object.
_ENVELOPE = frozenset({"module", "class_name", "config", "registered_name", "build_config",
                       "compile_config", "name", "inbound_nodes"})
_GENERATOR_KEYS = frozenset({
    "schema", "prompt_template", "examples", "instructions", "seed_instructions",
    "use_inputs_schema", "use_outputs_schema", "return_inputs", "temperature", "max_tokens",
    "top_p", "top_k", "reasoning_effort", "streaming", "tool_schemas", "name", "description",
    "trainable", "language_model",
})
_DECISION_KEYS = (_GENERATOR_KEYS - {"schema", "return_inputs", "streaming", "tool_schemas"}) \
    | {"question", "labels"}
# Synalinks' graph steps (synalinks.src.ops.json) -> our LogicalOp kinds (NotOp for Not).
_OPS = {"Concat": "concat", "And": "and", "Or": "or", "Xor": "xor", "Not": "not"}
_PLAIN_MODULES = frozenset({"Identity", "Not", "Concat", "And", "Or", "Xor"})
_LANGUAGE_MODEL_KEYS = frozenset({"model", "api_base", "timeout", "retry", "retry_max_wait",
                                  "caching", "cache_dir", "name", "description", "fallback"})


def _refuse(where: str, what: str, received: Any) -> MigrationError:
    return MigrationError(
        f"{where}: expected {what} to load a Synalinks file faithfully. "
        f"Received: {str(received)[:120]}"
    )


def _check_keys(config: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise MigrationError(
            f"{where}.{unknown[0]}: expected only settings synalinks_nb maps faithfully "
            f"({', '.join(sorted(allowed))}). Received: {unknown}; a program loaded without "
            "them could answer differently."
        )


def _config_of(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        raise _refuse(where, "{'class_name', 'config': {...}}", entry)
    _check_keys(entry, _ENVELOPE, where)
    registered = entry.get("registered_name")
    if registered not in (None, entry.get("class_name")):
        raise _refuse(f"{where}.registered_name", "a built-in Synalinks class (a custom one is "
                      "code this file does not hold)", registered)
    return dict(entry["config"])


def language_model_from_synalinks(entry: Any, where: str) -> dict[str, Any]:
    """Our ``{"class_name": "LanguageModel", "config"}`` for Synalinks' serialized model.

    Unknown settings reach our constructor as sampling settings, which refuses
    the ones it does not know.
    """
    from synalinks_nb.language_models.language_model import LanguageModel

    if not isinstance(entry, dict) or entry.get("class_name") != "LanguageModel":
        raise _refuse(where, "a Synalinks LanguageModel",
                      entry.get("class_name") if isinstance(entry, dict) else entry)
    config = _config_of(entry, where)
    if "api_key" in config:  # keys come from the environment, never from a file
        raise _refuse(f"{where}.config.api_key", "no API key in the file (set it in the "
                      "environment, or pass language_model= when loading)", "<a key>")
    settings = {k: config.pop(k) for k in sorted(set(config) - _LANGUAGE_MODEL_KEYS)}
    fallback = config.get("fallback")
    kwargs: dict[str, Any] = {
        "name": config.get("name"), "api_base": config.get("api_base"),
        "timeout": config.get("timeout", 600), "retry": config.get("retry", 5),
        "retry_max_wait": config.get("retry_max_wait"), "cache_dir": config.get("cache_dir"),
        "cache": True if config.get("caching") else None, "description": config.get("description"),
    }
    if fallback is not None:
        fallback_config = language_model_from_synalinks(fallback, f"{where}.config.fallback")
        kwargs["fallback"] = LanguageModel.from_config(fallback_config["config"])
    try:
        model = LanguageModel(config.get("model"), **kwargs, **settings)
    except (TypeError, ValueError) as exc:
        raise MigrationError(f"{where}.config: this language model's settings have no "
                             f"equivalent here ({exc})") from exc
    return {"class_name": "LanguageModel", "config": model.get_config()}


def _prompt_template(value: Any, where: str) -> str | None:
    """A custom template kept as it is; Synalinks' default one maps to our default prompt."""
    if value is None or hashlib.sha256(str(value).encode()).hexdigest() in _DEFAULT_TEMPLATES:
        return None
    from synalinks_nb.modules.core.prompt_template import check_template  # modules import saving

    try:
        return check_template(value)
    except (TypeError, ValueError) as exc:
        raise _refuse(f"{where}.prompt_template", "a Jinja2 template with the variables "
                      "instructions, examples, inputs_schema, outputs_schema",
                      f"{str(value)[:60]!r} ({exc})") from exc


def _examples(value: Any, where: str) -> list[dict[str, Any]]:
    """Config examples, ``[[inputs, outputs], ...]`` in Synalinks, as our example dicts."""
    out = []
    for i, pair in enumerate(value or []):
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(p, dict) for p in pair)):
            raise _refuse(f"{where}.examples[{i}]", "an [inputs, outputs] pair", pair)
        out.append({"inputs": pair[0], "outputs": pair[1]})
    return out


def _generator_config(config: dict[str, Any], keys: frozenset[str], where: str) -> dict[str, Any]:
    _check_keys(config, keys, where)
    if config.get("tool_schemas") and config.get("schema"):
        # Synalinks builds it, then fails on every call: a schema and tools exclude each other.
        raise _refuse(f"{where}.tool_schemas", "no tool_schemas on a Generator with a schema",
                      config["tool_schemas"])
    template = _prompt_template(config.get("prompt_template"), where)
    out = {k: v for k, v in config.items() if k != "prompt_template" and v is not None}
    if template is not None:
        out["prompt_template"] = template
    out["examples"] = _examples(config.get("examples"), where)
    out["seed_instructions"] = list(config.get("seed_instructions") or [])
    out["language_model"] = language_model_from_synalinks(
        config.get("language_model"), f"{where}.language_model")
    return out


def default_instructions(schema: Any) -> str:
    """The instructions a Synalinks Generator gives itself when none are set."""
    keys = list(schema.get("properties", {})) if isinstance(schema, dict) else []
    return f"Your task is to answer with a JSON containing the following keys: {keys}"


def _plain(entry: dict[str, Any], config: dict[str, Any], where: str) -> dict[str, Any] | None:
    """Modules and graph steps without settings (``Identity``, ``|``...), or ``None``."""
    name = entry.get("class_name")
    if str(entry.get("module") or "").startswith("synalinks.src.ops"):  # x + y, x | y, ~x...
        if name not in _OPS:
            raise _refuse(f"{where}.class_name",
                          f"a graph step synalinks_nb maps ({', '.join(_OPS)})", name)
        _check_keys(config, frozenset({"name", "description"}), where)
        if name == "Not":
            return {"class_name": "NotOp", "config": config}
        return {"class_name": "LogicalOp", "config": {"kind": _OPS[name], **config}}
    if name in _PLAIN_MODULES:
        _check_keys(config, frozenset({"name", "description", "trainable"}), where)
        return {"class_name": name, "config": config}
    if name == "InputModule":
        _check_keys(config, frozenset({"schema", "optional", "name", "description"}), where)
        return {"class_name": "InputModule", "config": config}
    return None


def module_from_synalinks(entry: Any, where: str) -> tuple[dict[str, Any], str | None]:
    """Our ``{"class_name", "config"}`` for one Synalinks module, and its state's instructions.

    The second value is the instructions the module starts with in Synalinks
    (``None`` for modules without a state): a file without ``variables`` gives
    each module that value.
    """
    name = entry.get("class_name") if isinstance(entry, dict) else None
    config = _config_of(entry, where)
    plain = _plain(entry, config, where)
    if plain is not None:
        return plain, None
    if name in ("Generator", "ChainOfThought"):
        ours = _generator_config(config, _GENERATOR_KEYS, f"{where}.config")
        if not ours.get("instructions"):
            schema = ours.get("schema")
            if name == "ChainOfThought" and isinstance(schema, dict):
                schema = {"properties": {"thinking": {}, **schema.get("properties", {})}}
            ours["instructions"] = default_instructions(schema)
        return {"class_name": name, "config": ours}, ours["instructions"]
    if name == "Decision":
        ours = _generator_config(config, _DECISION_KEYS, f"{where}.config")
        if not ours.get("instructions"):
            raise _refuse(f"{where}.config.instructions", "the Decision's instructions", None)
        return {"class_name": "Decision", "config": ours}, ours["instructions"]
    raise _refuse(f"{where}.class_name", "a module synalinks_nb maps from Synalinks files "
                  "(InputModule, Generator, ChainOfThought, Decision, Identity, Not, Concat, "
                  "And, Or, Xor, and the + & | ^ ~ graph steps)", name)


def object_from_synalinks(entry: Any, base: type, where: str) -> dict[str, Any]:
    """A reward, metric or optimizer: the same class here, its settings checked by name.

    A setting ours does not take is refused unless Synalinks wrote ``null`` (unset).
    """
    config = _config_of(entry, where)
    from synalinks_nb.utils.registry import get_registered_object

    name = entry.get("class_name")
    cls = get_registered_object(name) if isinstance(name, str) else None
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise _refuse(f"{where}.class_name", f"a {base.__name__} synalinks_nb has under the "
                      "same name", name)
    accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
    out: dict[str, Any] = {}
    for key, value in config.items():
        if isinstance(value, dict) and value.get("class_name") == "LanguageModel":
            value = language_model_from_synalinks(value, f"{where}.config.{key}")
        if key in accepted:
            out[key] = value
        elif value is not None:
            raise _refuse(f"{where}.config.{key}", f"only settings {cls.__name__} takes here "
                          f"({', '.join(sorted(accepted))})", {key: value})
    return {"class_name": entry["class_name"], "config": out}


def state_value_from_synalinks(value: Any, where: str) -> tuple[dict[str, Any], str]:
    """A Generator state's ``(our value, note on what was left behind)``."""
    if not isinstance(value, dict):
        raise _refuse(where, "a Generator state object", value)
    unknown = sorted(set(value) - BOOKKEEPING - {"instructions", "examples"})
    if unknown:
        raise MigrationError(
            f"{where}.{unknown[0]}: expected a Generator state (instructions, examples and "
            f"optimizer bookkeeping). Received the fields {unknown}, which no module here holds."
        )
    examples = value.get("examples") or []
    if not isinstance(examples, list):
        raise _refuse(f"{where}.examples", "a list of examples", examples)
    ours = {"instructions": value.get("instructions") or "",
            "examples": [{k: e.get(k) for k in ("inputs", "outputs", "reward") if k in e}
                         if isinstance(e, dict) else e for e in examples]}
    left = [f"{k}={len(v) if isinstance(v, list) else v}" for k in sorted(BOOKKEEPING)
            if (v := value.get(k)) not in (None, [], 0, 0.0)]
    note = "optimizer bookkeeping left behind: " + ", ".join(left) if left else ""
    return ours, note
