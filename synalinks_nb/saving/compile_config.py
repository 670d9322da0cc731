"""The compile part of a save file: rewards, metrics, optimizer, and the optimizer's state.

``compile_config`` is what ``compile()`` was given, each object as
``{"class_name", "config"}`` through its family's registry
(:mod:`synalinks_nb.rewards`, :mod:`~synalinks_nb.metrics`,
:mod:`~synalinks_nb.optimizers`). ``optimizer_state`` is
``optimizer.get_state()`` (iterations, candidate pools...), kept apart so a
loaded program resumes training exactly where it stopped. A program class may
own this by defining ``get_compile_config()`` / ``compile_from_config(config)``
(Keras' names); otherwise it is read from the compiled attributes.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import CorruptedFileError

__all__ = ["apply_compile_config", "compile_from", "default_compile_config", "get_compile_config",
           "get_optimizer_state"]


def get_compile_config(program: Any) -> dict[str, Any] | None:
    """What ``program.compile(...)`` was given, as JSON (``None`` when not compiled); a
    program class's own ``get_compile_config()`` when it overrides the trainer's."""
    own = getattr(program, "get_compile_config", None)
    if callable(own) and not _builtin(program, "get_compile_config"):
        config: dict[str, Any] | None = own()
        return config
    return default_compile_config(program)


def _builtin(program: Any, name: str) -> bool:
    """Whether ``program``'s method ``name`` is the trainer's own (not a class's override);
    told by where it is defined, since saving does not import the trainers."""
    method = getattr(type(program), name, None)
    return getattr(method, "__module__", None) == "synalinks_nb.trainers.trainer"


def default_compile_config(program: Any) -> dict[str, Any] | None:
    """The compile config read from the compiled attributes (``None`` when not compiled)."""
    if not getattr(program, "compiled", False):
        return None
    from synalinks_nb import metrics, optimizers, rewards

    compiled = program.compiled_reward
    optimizer = getattr(program, "optimizer", None)
    return {
        "reward": [rewards.serialize(r) for r in compiled.rewards],
        "reward_weights": list(compiled.weights),
        "optimizer": optimizers.serialize(optimizer) if optimizer is not None else None,
        "metrics": [metrics.serialize(m) for m in program.metrics],
    }


def get_optimizer_state(program: Any) -> dict[str, Any] | None:
    """The compiled optimizer's state, or ``None``."""
    optimizer = getattr(program, "optimizer", None) if getattr(program, "compiled", False) else None
    get_state = getattr(optimizer, "get_state", None)
    if not callable(get_state):
        return None
    state: dict[str, Any] = get_state()
    return state


def _list(config: dict[str, Any], key: str, where: str) -> list[Any]:
    value = config.get(key) or []
    if not isinstance(value, list):
        raise CorruptedFileError(f"{where}.{key}: expected a list. Received: {str(value)[:60]}")
    return value


def apply_compile_config(
    program: Any,
    config: Any,
    state: Any,
    custom_objects: dict[str, Any] | None,
    where: str,
) -> None:
    """Compile ``program`` as described, then give its optimizer the saved state."""
    if config is None:
        return
    if not isinstance(config, dict):
        raise CorruptedFileError(f"{where}: expected an object or null. Received: {config!r:.60}")
    own = getattr(program, "compile_from_config", None)
    if callable(own) and not _builtin(program, "compile_from_config"):
        own(config)
    else:
        compile_from(program, config, custom_objects, where)
    if state is not None:
        optimizer = getattr(program, "optimizer", None)
        if not isinstance(state, dict) or optimizer is None:
            raise CorruptedFileError(
                f"{where}: expected optimizer_state to be an object, for a compiled optimizer."
            )
        _check_state_shape(optimizer, state, where)
        optimizer.set_state(state)


def compile_from(program: Any, config: dict[str, Any], custom_objects: dict[str, Any] | None,
                 where: str) -> None:
    """``program.compile(...)`` with what ``config`` describes (a typed error names the
    first key that is wrong)."""
    from synalinks_nb import metrics, optimizers, rewards

    weights = config.get("reward_weights")
    if weights is not None and not (isinstance(weights, list) and all(
            type(w) in (int, float) for w in weights)):
        raise CorruptedFileError(f"{where}.reward_weights: expected a list of numbers.")
    optimizer = config.get("optimizer")
    program.compile(
        reward=[rewards.deserialize(r, custom_objects) for r in _list(config, "reward", where)],
        optimizer=optimizers.deserialize(optimizer, custom_objects) if optimizer else None,
        metrics=[metrics.deserialize(m, custom_objects)
                 for m in _list(config, "metrics", where)],
        reward_weights=weights,
    )


def _check_state_shape(optimizer: Any, state: dict[str, Any], where: str) -> None:
    """Refuse a state whose top level differs from a fresh optimizer's (tampered or foreign).

    Without this, a state such as ``{"iterations": "x"}`` loads and breaks ``fit``
    later. The reference is a new optimizer of the same class and config, so the
    check follows the optimizer's own layout; what is inside each entry (pools,
    populations) is the optimizer's to check.
    """
    try:
        fresh = type(optimizer).from_config(optimizer.get_config()).get_state()
    except Exception:  # an optimizer that cannot be rebuilt: nothing to compare with
        return
    if not isinstance(fresh, dict):
        return
    problems = []
    if set(state) != set(fresh):
        problems.append(f"keys {sorted(state)} (expected {sorted(fresh)})")
    for key in sorted(set(state) & set(fresh)):
        expected, value = fresh[key], state[key]
        if isinstance(expected, int) and not isinstance(expected, bool):
            if type(value) is not int or value < 0:
                problems.append(f"{key}={value!r:.40} (expected a non-negative int)")
        elif type(value) is not type(expected):
            problems.append(f"{key} of type {type(value).__name__} "
                            f"(expected {type(expected).__name__})")
    if problems:
        raise CorruptedFileError(
            f"{where}: expected the state of a {type(optimizer).__name__}. "
            f"Received: {'; '.join(problems)}."
        )
