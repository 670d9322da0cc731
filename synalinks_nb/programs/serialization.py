"""Programs as JSON configs: functional graphs, Sequential chains, subclassed programs.

A program's config says how to make it again, never what code to run:

* **functional** (``Program(inputs=..., outputs=...)``): ``{"name", "description",
  "trainable", "graph"}``. The graph lists each distinct ``operation`` once
  (a module or an operator step such as ``+`` or a mask, as
  ``{"class_name", "config"}``) and the ``nodes`` in topological order, input
  nodes first; each node names its operation by index and gives its
  arguments as a structure whose leaves are ``{"ref": [node, output]}``
  links to an earlier node's flattened outputs. ``inputs`` and ``outputs``
  are structures of such links. Loading replays every call symbolically, so
  each module is built exactly as it was (variables included) and no language
  model is called.
* **Sequential**: ``{"name", "description", "trainable", "input", "layers"}``.
* **subclassed and mixed**: the class's own ``get_config()`` (by default the
  name, description and trainable flag). Their graph comes from their code:
  :func:`build_config` records the input schemas so loading can build them.

Structures are encoded without ambiguity: lists stay lists, a tuple is
``{"tuple": [...]}``, a dict ``{"dict": {...}}``, a JSON constant
``{"const": value}``, ``None`` stays ``null``.

Classes come only from :mod:`synalinks_nb.utils.registry`; the functions of
a ``Lambda`` or an ``Action`` are code, so they are saved by name and given
back at load time through ``custom_objects``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import SavingError, UnknownObjectError
from synalinks_nb.modules.core.input import InputModule
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.serialization import instantiate, serialize_module
from synalinks_nb.ops.json import JsonOp
from synalinks_nb.ops.logical import LogicalOp, NotOp
from synalinks_nb.ops.operation import Operation
from synalinks_nb.programs.program import Program
from synalinks_nb.programs.sequential import Sequential
from synalinks_nb.utils.registry import (
    get_registered_object,
    register_builtin,
)
from synalinks_nb.utils.tree import flatten

__all__ = [
    "build_config",
    "build_from_config",
    "deserialize_operation",
    "program_config",
    "program_from_config",
    "run_sync",
    "serialize_operation",
]

for _op in (LogicalOp, NotOp, JsonOp):
    register_builtin(_op)

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even inside a running event loop.

    Symbolic building never waits on I/O, but a notebook cell already runs an
    event loop, where ``asyncio.run`` is refused: there the coroutine runs on
    a private loop in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# -- operations -------------------------------------------------------------------------


def serialize_operation(op: Operation) -> dict[str, Any]:
    """``{"class_name", "config"}`` for a module or an operator step."""
    return serialize_module(op)


def deserialize_operation(value: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Create the operation described by :func:`serialize_operation` (registered classes only)."""
    if not isinstance(value, dict) or not isinstance(value.get("class_name"), str):
        raise SavingError(
            f"Expected an operation {{'class_name', 'config'}}. Received: {str(value)[:80]}"
        )
    name = value["class_name"]
    cls = get_registered_object(name, custom_objects)
    if cls is None or not issubclass(cls, Operation):
        raise UnknownObjectError(
            f"Expected a built-in or registered class. Received: class_name={name!r}. Register "
            "custom classes with @sn.saving.register_synalinks_serializable() or pass "
            "custom_objects={'Name': Name}."
        )
    config = value.get("config")
    if not isinstance(config, dict):
        raise SavingError(f"Expected a config dict for {name!r}. Received: {str(config)[:80]}")
    return instantiate(cls, config, custom_objects)


# -- structures ---------------------------------------------------------------------------


def _encode(structure: Any, leaf: Any) -> Any:
    if isinstance(structure, list):
        return [_encode(x, leaf) for x in structure]
    if isinstance(structure, tuple):
        return {"tuple": [_encode(x, leaf) for x in structure]}
    if isinstance(structure, dict):
        return {"dict": {str(k): _encode(v, leaf) for k, v in structure.items()}}
    if structure is None:
        return None
    if isinstance(structure, SymbolicDataModel):
        return leaf(structure)
    if isinstance(structure, str | int | float | bool):
        return {"const": structure}
    raise SavingError(
        "Expected program arguments to be data models, JSON constants, lists, tuples or dicts. "
        f"Received: {type(structure).__name__}"
    )


def _decode(value: Any, leaf: Any, where: str) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_decode(x, leaf, f"{where}[{i}]") for i, x in enumerate(value)]
    if isinstance(value, dict) and len(value) == 1:
        (tag, inner), = value.items()
        if tag == "tuple" and isinstance(inner, list):
            return tuple(_decode(x, leaf, f"{where}[{i}]") for i, x in enumerate(inner))
        if tag == "dict" and isinstance(inner, dict):
            return {k: _decode(v, leaf, f"{where}.{k}") for k, v in inner.items()}
        if tag == "const" and isinstance(inner, str | int | float | bool):
            return inner
        if tag in ("ref", "schema"):
            return leaf(tag, inner, where)
    raise SavingError(f"Expected a structure of links at {where}. Received: {str(value)[:80]}")


# -- functional graphs -----------------------------------------------------------------------


def _graph_config(program: Program) -> dict[str, Any]:
    graph = program._functional
    assert graph is not None
    input_nodes = []
    for x in graph.flat_inputs:
        if x._history is not None and x._history not in input_nodes:
            input_nodes.append(x._history)
    nodes = input_nodes + list(graph.nodes)
    operations: list[Operation] = []
    locations: dict[int, list[int]] = {}
    for index, node in enumerate(nodes):
        if node.operation not in operations:
            operations.append(node.operation)
        for position, out in enumerate(flatten(node.outputs)):
            locations[id(out)] = [index, position]

    def ref(symbol: SymbolicDataModel) -> dict[str, Any]:
        return {"ref": locations[id(symbol)]}

    return {
        "operations": [serialize_operation(op) for op in operations],
        "nodes": [
            {"operation": operations.index(node.operation),
             "args": _encode(list(node.args), ref), "kwargs": _encode(dict(node.kwargs), ref)}
            for node in nodes
        ],
        "inputs": _encode(graph.inputs, ref),
        "outputs": _encode(graph.outputs, ref),
    }


async def _replay(graph: dict[str, Any], custom_objects: dict[str, Any] | None) -> tuple[Any, Any]:
    ops = graph.get("operations")
    nodes = graph.get("nodes")
    if not isinstance(ops, list) or not isinstance(nodes, list):
        raise SavingError("Expected 'operations' and 'nodes' lists in the graph.")
    operations = [deserialize_operation(op, custom_objects) for op in ops]
    outputs: list[list[Any]] = []

    def link(tag: str, value: Any, where: str) -> Any:
        ok = tag == "ref" and isinstance(value, list) and len(value) == 2
        if ok and all(type(v) is int and v >= 0 for v in value) and value[0] < len(outputs):
            leaves = outputs[value[0]]
            if value[1] < len(leaves) and isinstance(leaves[value[1]], SymbolicDataModel):
                return leaves[value[1]]
        raise SavingError(
            f"Expected a link [node, output] to an earlier node's output at {where}. "
            f"Received: {str(value)[:80]}"
        )

    for index, node in enumerate(nodes):
        where = f"graph.nodes[{index}]"
        op_index = node.get("operation") if isinstance(node, dict) else None
        if type(op_index) is not int or not 0 <= op_index < len(operations):
            raise SavingError(f"Expected an operation index at {where}. Received: {node!r:.80}")
        op = operations[op_index]
        if isinstance(op, InputModule):
            outputs.append([op.output])
            continue
        args = _decode(node.get("args"), link, f"{where}.args")
        kwargs = _decode(node.get("kwargs") or {"dict": {}}, link, f"{where}.kwargs")
        if not isinstance(args, list) or not isinstance(kwargs, dict) or not any(
            isinstance(x, SymbolicDataModel) for x in flatten([args, kwargs])
        ):
            raise SavingError(f"Expected symbolic arguments at {where}.")
        outputs.append(flatten(await op(*args, **kwargs)))
    return (_decode(graph.get("inputs"), link, "graph.inputs"),
            _decode(graph.get("outputs"), link, "graph.outputs"))


# -- programs -------------------------------------------------------------------------------------


def _is_functional(program: Program) -> bool:
    cls = type(program)
    return (program._functional is not None and cls.build is Program.build
            and cls.call is Program.call and cls.__init__ is Program.__init__)


def program_config(program: Program) -> dict[str, Any]:
    """The config of ``program`` (see the module docstring for the three shapes)."""
    base = Module.get_config(program)
    if isinstance(program, Sequential):
        first = program._input._history if program._input is not None else None
        return {**base, "input": first.operation.get_config() if first is not None else None,
                "layers": [serialize_operation(m) for m in program.layers]}
    if _is_functional(program):
        return {**base, "graph": _graph_config(program)}
    return base


def program_from_config(
    cls: type[Program], config: dict[str, Any], custom_objects: dict[str, Any] | None = None
) -> Program:
    """Recreate a program of class ``cls`` from :func:`program_config`'s output."""
    config = dict(config)
    if issubclass(cls, Sequential):
        first = config.pop("input", None)
        layers = [deserialize_operation(m, custom_objects) for m in config.pop("layers", [])]
        head = [InputModule(**first).output] if isinstance(first, dict) else []
        sequential = cls(modules=[*head, *layers], **config)
        if head:
            run_sync(sequential.build(head[0]))
        return sequential
    if "graph" in config:
        graph = config.pop("graph")
        if not isinstance(graph, dict):
            raise SavingError("Expected the program's 'graph' to be a dict.")
        inputs, outputs = run_sync(_replay(graph, custom_objects))
        return cls(inputs=inputs, outputs=outputs, **config)
    return cls(**config)


def build_config(program: Program) -> dict[str, Any] | None:
    """The input schemas a subclassed or mixed program was built with (``None``: not built)."""
    if _is_functional(program) or isinstance(program, Sequential):
        return None
    graph = program._functional or program._display_graph
    if graph is None:
        return None
    return {"inputs": _encode(graph.inputs, lambda x: {"schema": x.get_schema()})}


def build_from_config(program: Program, config: dict[str, Any] | None) -> None:
    """Build a subclassed or mixed program on the recorded input schemas."""
    if config is None or program._functional is not None:
        return

    def schema(tag: str, value: Any, where: str) -> Any:
        if tag != "schema" or not isinstance(value, dict):
            raise SavingError(f"Expected {{'schema': {{...}}}} at {where}.")
        return SymbolicDataModel(schema=value)

    inputs = _decode(config.get("inputs"), schema, "build_config.inputs")
    program.built = False
    run_sync(program._ensure_built((inputs,)))
