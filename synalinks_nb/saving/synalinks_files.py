"""Files saved by Synalinks (``program.save``, ``save_variables``), read as ours.

Synalinks writes a program as its serialized object plus a state tree (a
``Sequential`` has ``modules`` without ``inbound_nodes`` and becomes our Sequential)::

    {"synalinks_version": "0.x", "module": "synalinks.src.programs.functional",
     "class_name": "Functional", "registered_name": "Functional",
     "config": {"name", "trainable", "modules": [{"module", "class_name", "config",
                "registered_name", "name", "inbound_nodes": [{"args", "kwargs"}]}],
                "input_modules": [[name, node, index]], "output_modules": [...]},
     "compile_config": {"optimizer", "reward", "reward_weights", "metrics", ...},
     "variables": {"trainable_variables": {"generator": {"state_generator": {...}}},
                   "non_trainable_variables", "optimizer_*_variables", "metrics_variables"}}

and ``save_variables`` writes the ``variables`` part alone. A node's arguments
are ``__symbolic_data_model__`` objects whose ``synalinks_history`` names the
module, node and output they come from.

:func:`program_from_synalinks` turns such a file into our current format
(:mod:`.migrations`), so it then loads through the same checks as any file:
registered classes only, the language model's ``api_base`` trusted or
replaced, every variable validated. The graph becomes our node list; each
module goes through :mod:`.synalinks_objects`, which refuses what it cannot map
(:class:`~synalinks_nb.errors.MigrationError`, naming the key). A Generator's
state (``<name>/state_<name>``; ``generator_<name>/state_generator_<name>`` for
the Generator inside a ChainOfThought or Decision) becomes that module's
``instructions`` variable, with one version whose note says where it came from.
The optimizer's counters and the metrics' totals are not carried over: they do
not change what the program answers, and a loaded program is not compiled
with a half-trained optimizer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import MigrationError
from synalinks_nb.saving.synalinks_objects import (
    BOOKKEEPING,
    module_from_synalinks,
    object_from_synalinks,
    state_value_from_synalinks,
)

__all__ = [
    "is_synalinks_program",
    "is_synalinks_variables",
    "program_from_synalinks",
    "variables_from_synalinks",
]

_SECTIONS = ("trainable_variables", "non_trainable_variables", "optimizer_trainable_variables",
             "optimizer_non_trainable_variables", "metrics_variables")
_STATEFUL = ("Generator", "ChainOfThought", "Decision")
_TOP_KEYS = frozenset({"synalinks_version", "module", "class_name", "config", "registered_name",
                       "build_config", "compile_config", "variables"})


def is_synalinks_program(document: Any) -> bool:
    """Whether ``document`` is a program file written by Synalinks.

    Example:
        >>> is_synalinks_program({"synalinks_version": "0.5", "class_name": "Functional",
        ...                       "config": {}})
        True
        >>> is_synalinks_program({"format_version": 2, "program": {}})
        False
    """
    return (isinstance(document, dict) and "format_version" not in document
            and isinstance(document.get("class_name"), str)
            and isinstance(document.get("config"), dict)
            and ("synalinks_version" in document
                 or str(document.get("module") or "").startswith("synalinks")))


def is_synalinks_variables(document: Any) -> bool:
    """Whether ``document`` is a state tree (Synalinks' ``save_variables`` file)."""
    return (isinstance(document, dict) and "trainable_variables" in document
            and set(document) <= set(_SECTIONS))


def _leaves(tree: Any, where: str, prefix: str = "") -> dict[str, Any]:
    """``{"a/b": value}`` for a nested state tree (a value is a dict not made only of dicts)."""
    if not isinstance(tree, dict):
        raise MigrationError(f"{where}: expected an object of variables. Received: {tree!r:.80}")
    out: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            out.update(_leaves(value, where, path + "/"))
        else:
            out[path] = value
    return out


def _states(tree: Any, where: str) -> dict[str, Any]:
    """The module variables of a state tree, by path (trainable or frozen alike)."""
    if not isinstance(tree, dict) or not set(tree) <= set(_SECTIONS):
        keys = sorted(tree) if isinstance(tree, dict) else tree
        raise MigrationError(f"{where}: expected a Synalinks state tree with sections "
                             f"{list(_SECTIONS)}. Received: {str(keys)[:120]}")
    states: dict[str, Any] = {}
    for section in _SECTIONS[:2]:
        states.update(_leaves(tree.get(section) or {}, f"{where}.{section}"))
    return states


def _entry(path: str, value: dict[str, Any], note: str) -> dict[str, Any]:
    version = {"index": 0, "value": value, "source": "load", "timestamp": 0.0, "note": note}
    return {"path": path, "value": value, "versions": [version]}


def _note(version: Any, left: str) -> str:
    return f"migrated from a Synalinks {version or '(unknown version)'} file" + (
        f"; {left}" if left else "")


# -- graphs --------------------------------------------------------------------------------


def _link(value: Any, nodes: dict[tuple[str, int], int], where: str) -> Any:
    """A node argument in our encoding; ``KeyError`` while its source node is not placed yet."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_link(v, nodes, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict) and value.get("class_name") == "__symbolic_data_model__":
        history = (value.get("config") or {}).get("synalinks_history")
        if not (isinstance(history, list) and len(history) == 3 and isinstance(history[0], str)
                and all(type(h) is int for h in history[1:])):
            raise MigrationError(f"{where}: expected synalinks_history [module, node, output]. "
                                 f"Received: {history!r:.80}")
        return {"ref": [nodes[(history[0], history[1])], history[2]]}
    if isinstance(value, str | int | float | bool):
        return {"const": value}
    raise MigrationError(f"{where}: expected data models or JSON constants as arguments. "
                         f"Received: {str(value)[:80]}")


def _node(index: int, data: Any, nodes: dict[tuple[str, int], int], where: str) -> dict[str, Any]:
    if not isinstance(data, dict) or set(data) - {"args", "kwargs"}:
        raise MigrationError(f"{where}: expected a node {{'args', 'kwargs'}} (Synalinks >= 0.3). "
                             f"Received: {str(data)[:80]}")
    kwargs = dict(data.get("kwargs") or {})
    kwargs.pop("training", None)  # the call context, decided at run time
    if kwargs:
        raise MigrationError(f"{where}.kwargs.{sorted(kwargs)[0]}: expected no call arguments "
                             f"but the inputs. Received: {sorted(kwargs)}")
    return {"operation": index, "args": _link(list(data.get("args") or []), nodes, where),
            "kwargs": {"dict": {}}}


def _place_nodes(modules: list[Any], where: str) -> tuple[list[dict[str, Any]], dict[Any, int]]:
    """Every call of every module as our nodes, each after the nodes it reads from."""
    nodes: list[dict[str, Any]] = []
    placed: dict[tuple[str, int], int] = {}
    pending = []
    for index, entry in enumerate(modules):
        calls = entry.get("inbound_nodes") or []
        if entry.get("class_name") == "InputModule" and not calls:
            placed[(entry["name"], 0)] = len(nodes)
            nodes.append({"operation": index, "args": [], "kwargs": {"dict": {}}})
        pending += [(index, entry["name"], k, data, f"{where}.modules[{index}].inbound_nodes[{k}]")
                    for k, data in enumerate(calls)]
    while pending:
        waiting = []
        for item in pending:
            index, name, k, data, at = item
            try:
                node = _node(index, data, placed, at)
            except KeyError:
                waiting.append(item)
                continue
            placed[(name, k)] = len(nodes)
            nodes.append(node)
        if len(waiting) == len(pending):
            raise MigrationError(f"{waiting[0][4]}: expected inputs from modules of this file. "
                                 "Received: a link to a module or node it does not have.")
        pending = waiting
    return nodes, placed


def _ends(value: Any, placed: dict[Any, int], where: str) -> Any:
    refs = [_link({"class_name": "__symbolic_data_model__",
                   "config": {"synalinks_history": v}}, placed, where)
            for v in (value if isinstance(value, list) else [None])]
    return refs[0] if len(refs) == 1 else refs


def _graph(config: dict[str, Any], where: str) -> tuple[dict[str, Any], list[Any]]:
    allowed = {"name", "description", "trainable", "modules", "input_modules", "output_modules"}
    unknown = sorted(set(config) - allowed)
    if unknown or not isinstance(config.get("modules"), list):
        raise MigrationError(f"{where}.{(unknown or ['modules'])[0]}: expected a functional "
                             f"program config ({', '.join(sorted(allowed))}).")
    modules = config["modules"]
    operations, starts = [], []
    for i, entry in enumerate(modules):
        at = f"{where}.modules[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise MigrationError(f"{at}: expected a module with a name. Received: {entry!r:.80}")
        operation, instructions = module_from_synalinks(entry, at)
        operations.append(operation)
        starts.append((entry["class_name"], entry["name"], instructions))
    nodes, placed = _place_nodes(modules, where)
    try:
        inputs = _ends(config.get("input_modules"), placed, f"{where}.input_modules")
        outputs = _ends(config.get("output_modules"), placed, f"{where}.output_modules")
    except (KeyError, TypeError):
        raise MigrationError(f"{where}: expected input_modules and output_modules to name "
                             "module nodes of this file.") from None
    return {"operations": operations, "nodes": nodes, "inputs": inputs,
            "outputs": outputs}, starts


def _sequential(config: dict[str, Any], where: str) -> tuple[dict[str, Any], list[Any]]:
    """Our Sequential ``input`` and ``layers`` for Synalinks' module list."""
    allowed = {"name", "description", "trainable", "modules", "build_input_schema"}
    unknown = sorted(set(config) - allowed)
    modules = config.get("modules")
    if unknown or not isinstance(modules, list) or not modules:
        raise MigrationError(f"{where}.{(unknown or ['modules'])[0]}: expected a Sequential "
                             f"program config ({', '.join(sorted(allowed))}).")
    layers, starts = [], []
    for i, entry in enumerate(modules):
        operation, instructions = module_from_synalinks(entry, f"{where}.modules[{i}]")
        layers.append(operation)
        starts.append((entry["class_name"], operation["config"].get("name"), instructions))
    if layers[0]["class_name"] == "InputModule":
        first = layers.pop(0)["config"]
        starts.pop(0)
        given = {"schema": first["schema"], "name": first.get("name") or "input_module",
                 "description": first.get("description") or ""}
    elif isinstance(config.get("build_input_schema"), dict):
        given = {"schema": config["build_input_schema"], "name": "input_module",
                 "description": ""}
    else:
        raise MigrationError(f"{where}.modules[0]: expected an InputModule or a "
                             "build_input_schema (an unbuilt Sequential has no input schema).")
    return {"input": given, "layers": layers}, starts


# -- documents -----------------------------------------------------------------------------


def _synalinks_path(cls: str, name: str) -> str:
    inner = name if cls == "Generator" else f"generator_{name}"
    return f"{inner}/state_{inner}"


def _program_variables(starts: list[Any], tree: Any, version: Any,
                       where: str) -> list[dict[str, Any]]:
    states = _states(tree, where) if tree is not None else {}
    entries = []
    for cls, name, instructions in starts:
        if cls not in _STATEFUL:
            continue
        path = _synalinks_path(cls, name)
        if path in states:
            value, left = state_value_from_synalinks(states.pop(path), f"{where}.{path}")
        else:  # Synalinks keeps the config's start for a state its file lacks; so do we
            value, left = {"instructions": instructions, "examples": []}, ""
        entries.append(_entry(f"{name}/instructions", value, _note(version, left)))
    if states:
        raise MigrationError(f"{where}.{sorted(states)[0]}: expected the state of a module of "
                             "this program. Received a variable no module here holds.")
    return entries


def _compile_config(config: Any, where: str) -> dict[str, Any] | None:
    from synalinks_nb.metrics.metric import Metric
    from synalinks_nb.optimizers.optimizer import Optimizer
    from synalinks_nb.rewards.reward import Reward

    if config is None:
        return None
    allowed = {"optimizer", "reward", "reward_weights", "metrics", "run_eagerly",
               "steps_per_execution"}
    if not isinstance(config, dict) or set(config) - allowed:
        raise MigrationError(f"{where}: expected a compile config with {sorted(allowed)}. "
                             f"Received: {str(config)[:120]}")

    def many(key: str, base: type) -> list[Any]:
        value = config.get(key)
        items = value if isinstance(value, list) else [] if value is None else [value]
        return [object_from_synalinks(v, base, f"{where}.{key}") for v in items]

    optimizer = config.get("optimizer")
    return {"reward": many("reward", Reward), "reward_weights": config.get("reward_weights"),
            "optimizer": None if optimizer is None else object_from_synalinks(
                optimizer, Optimizer, f"{where}.optimizer"),
            "metrics": many("metrics", Metric)}


def program_from_synalinks(document: dict[str, Any], source: str) -> dict[str, Any]:
    """Our current save document for a program file Synalinks wrote (see the module docstring).

    Raises:
        MigrationError: the file holds a class, setting or variable with no
            faithful equivalent here; the message names its key.
    """
    from synalinks_nb.saving.migrations import FORMAT_VERSION, PROGRAM_FORMAT

    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        raise MigrationError(f"{source}: $.{unknown[0]}: expected a Synalinks program file with "
                             f"keys {sorted(_TOP_KEYS)}.")
    kind = document["class_name"]
    if kind not in ("Functional", "Program", "Sequential"):
        raise MigrationError(
            f"{source}: $.class_name: expected a functional or Sequential Synalinks program. "
            f"Received: {kind!r:.80}. A subclassed program's file holds no graph: rebuild it "
            "with synalinks_nb, then program.load_variables(path)."
        )
    config = document["config"]
    where = f"{source}: $.config"
    ours = {"name": config.get("name"), "trainable": config.get("trainable") is not False,
            "description": config.get("description") or ""}
    if kind == "Sequential":
        chain, starts = _sequential(config, where)
        ours.update(chain)
    else:
        ours["graph"], starts = _graph(config, where)
    version = document.get("synalinks_version")
    return {
        "format": PROGRAM_FORMAT, "format_version": FORMAT_VERSION,
        "package_version": f"synalinks {version}" if version else "synalinks",
        "program": {"class_name": "Sequential" if kind == "Sequential" else "Program",
                    "build_config": None, "module_names": None, "language_models": [],
                    "config": ours},
        "compile_config": _compile_config(document.get("compile_config"),
                                          f"{source}: $.compile_config"),
        "optimizer_state": None,
        "variables": _program_variables(starts, document.get("variables"), version,
                                        f"{source}: $.variables"),
    }


def _value_for(variable: Any, value: Any, where: str) -> tuple[Any, str]:
    if set(variable.get_json()) == {"instructions", "examples"}:
        return state_value_from_synalinks(value, where)
    if isinstance(value, dict):  # a custom Trainable: its own fields, without the bookkeeping
        return {k: v for k, v in value.items() if k not in BOOKKEEPING or k in
                variable.get_json()}, ""
    return value, ""


def variables_from_synalinks(tree: Any, variables: Sequence[Any], source: str) -> dict[str, Any]:
    """Our variables document for a Synalinks state tree, matched to ``variables`` by path.

    ``generator/instructions`` here reads ``generator/state_generator`` there, or
    ``generator_x/state_generator_x`` for the Generator inside a ChainOfThought
    or Decision named ``x``; any other variable reads the same path.
    """
    from synalinks_nb.saving.migrations import FORMAT_VERSION, VARIABLES_FORMAT

    states = _states(tree, f"{source}: $")
    entries = []
    for variable in variables:
        owner, _, leaf = variable.path.rpartition("/")
        candidates = [variable.path]
        if leaf == "instructions":
            candidates += [_synalinks_path("Generator", owner), _synalinks_path("Decision", owner)]
        found = [c for c in candidates if c in states]
        if len(found) != 1:
            raise MigrationError(
                f"{source}: $.trainable_variables: expected one state for variable "
                f"{variable.path!r} at {' or '.join(candidates)}. Received: "
                f"{found or 'none'}; in the file: {sorted(states)[:8]}"
            )
        value, left = _value_for(variable, states.pop(found[0]), f"{source}: $.{found[0]}")
        entries.append(_entry(variable.path, value, _note(None, left)))
    if states:
        raise MigrationError(f"{source}: $.{sorted(states)[0]}: expected only variables of this "
                             "program. Received a state no variable here matches.")
    return {"format": VARIABLES_FORMAT, "format_version": FORMAT_VERSION,
            "package_version": "synalinks", "variables": entries}
