"""``FunctionalGraph``: the graph between a program's symbolic inputs and outputs, and its runner.

Built once from the ``_history`` links that symbolic calls leave on their
outputs (see :class:`~synalinks_nb.ops.node.Node`): walk back from the outputs,
collect the nodes, check that every path ends at one of the declared inputs,
and order the nodes topologically.

Running it: a chain (one node per depth) runs step by step with no task
overhead; a graph with independent branches starts one task per node, each
awaiting exactly the values it needs, so branches overlap fully (no level
barriers). Concurrency limits live with the language models
(``max_concurrency``), which every branch shares.
"""

from __future__ import annotations

import asyncio
from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import GraphError, InputSchemaError
from synalinks_nb.ops.node import Node
from synalinks_nb.utils.tree import flatten, map_structure, pack_like

__all__ = ["FunctionalGraph"]


def _is_input_node(node: Node) -> bool:
    from synalinks_nb.modules.core.input import InputModule

    return isinstance(node.operation, InputModule)


class FunctionalGraph:
    """The nodes between ``inputs`` and ``outputs`` (nested structures of symbolic models)."""

    def __init__(self, inputs: Any, outputs: Any, *, any_inputs: bool = False) -> None:
        # ``any_inputs``: inputs may be any symbolic data models (sn.Function), not only
        # the outputs of sn.Input; the graph still stops at them.
        self.any_inputs = any_inputs
        self.inputs = inputs
        self.outputs = outputs
        self.flat_inputs: list[SymbolicDataModel] = self._check_symbolic(inputs, "inputs")
        self.flat_outputs: list[SymbolicDataModel] = self._check_symbolic(outputs, "outputs")
        self.nodes: list[Node] = self._collect_nodes()
        self.depths = self._depths()
        self.is_chain = len(set(self.depths.values())) == len(self.depths)

    @staticmethod
    def _check_symbolic(structure: Any, what: str) -> list[SymbolicDataModel]:
        leaves = flatten(structure)
        for leaf in leaves:
            if not isinstance(leaf, SymbolicDataModel):
                raise GraphError(
                    f"Expected the program's {what} to be symbolic data models (from sn.Input "
                    f"and module calls). Received: {type(leaf).__name__}"
                )
        if not leaves:
            raise GraphError(f"Expected at least one symbolic data model in {what}. Received none.")
        return leaves

    def _collect_nodes(self) -> list[Node]:
        input_ids = {id(x) for x in self.flat_inputs}
        for x in [] if self.any_inputs else self.flat_inputs:
            if x._history is None or not _is_input_node(x._history):
                raise GraphError(
                    f"Expected every program input to come from sn.Input(...). Received: {x!r}"
                )
        order: list[Node] = []
        visiting: set[int] = set()
        done: set[int] = set()

        def enter(symbol: SymbolicDataModel) -> Node | None:
            """The node producing ``symbol`` if it still has to be visited."""
            node: Node | None = symbol._history
            if self.any_inputs and id(symbol) in input_ids:
                return None
            if node is None:
                raise GraphError(
                    f"The output depends on {symbol!r}, which was not produced by sn.Input or "
                    "a module call inside this program."
                )
            if _is_input_node(node):
                if id(symbol) not in input_ids:
                    raise GraphError(
                        f"The output depends on input {symbol!r}, which is not among the "
                        "program's inputs. Pass it in inputs=[...]."
                    )
                return None
            if id(node) in done:
                return None
            if id(node) in visiting:
                raise GraphError("The program's graph has a cycle.")
            visiting.add(id(node))
            return node

        # Depth-first post-order with an explicit stack: a chain of thousands of modules
        # must not hit Python's recursion limit.
        for out in self.flat_outputs:
            first = enter(out)
            stack = [(first, iter(first.input_symbols))] if first is not None else []
            while stack:
                node, parents = stack[-1]
                for parent_symbol in parents:
                    child = enter(parent_symbol)
                    if child is not None:
                        stack.append((child, iter(child.input_symbols)))
                        break
                else:
                    stack.pop()
                    visiting.discard(id(node))
                    done.add(id(node))
                    order.append(node)
        return order

    def _depths(self) -> dict[int, int]:
        depths: dict[int, int] = {}
        for node in self.nodes:
            parents = [p for p in node.parent_nodes if id(p) in depths]
            depths[id(node)] = 1 + max((depths[id(p)] for p in parents), default=0)
        return depths

    # -- running ------------------------------------------------------------------------

    def _bind_inputs(self, values: Any) -> dict[int, Any]:
        leaves = flatten(values) if isinstance(self.inputs, list | tuple | dict) else [values]
        if len(leaves) != len(self.flat_inputs):
            raise InputSchemaError(
                f"Expected {len(self.flat_inputs)} input(s) for this program. "
                f"Received: {len(leaves)}"
            )
        env: dict[int, Any] = {}
        for symbol, value in zip(self.flat_inputs, leaves, strict=True):
            if isinstance(value, dict):
                value = JsonDataModel(schema=symbol.get_schema(), json=value, name=symbol.name)
            env[id(symbol)] = value
        return env

    @staticmethod
    async def _run_node(node: Node, env: dict[int, Any]) -> None:
        def value_of(x: Any) -> Any:
            return env[id(x)] if isinstance(x, SymbolicDataModel) else x

        if len(node.args) == 1 and not node.kwargs and isinstance(node.args[0],
                                                                   SymbolicDataModel):
            result = await node.operation(env[id(node.args[0])])  # most steps: one input
        else:
            args = map_structure(value_of, list(node.args))
            kwargs = map_structure(value_of, node.kwargs)
            result = await node.operation(*args, **kwargs)
        symbols = flatten(node.outputs)
        values = flatten(result) if len(symbols) > 1 else [result]
        for symbol, value in zip(symbols, values, strict=True):
            env[id(symbol)] = value

    async def run(self, values: Any) -> Any:
        """Run every node on ``values`` (matching the inputs' structure); return the outputs."""
        env = self._bind_inputs(values)
        if self.is_chain:
            for node in self.nodes:
                await self._run_node(node, env)
        else:
            await self._run_concurrently(env)
        return pack_like(self.outputs, [env[id(x)] for x in self.flat_outputs])

    async def _run_concurrently(self, env: dict[int, Any]) -> None:
        tasks: dict[int, asyncio.Task[None]] = {}

        async def run(node: Node) -> None:
            parents = [tasks[id(p)] for p in node.parent_nodes if id(p) in tasks]
            if parents:
                await asyncio.gather(*parents)
            await self._run_node(node, env)

        for node in self.nodes:  # topological: parents' tasks exist already
            tasks[id(node)] = asyncio.ensure_future(run(node))
        try:
            await asyncio.gather(*tasks.values())
        except BaseException:
            for task in tasks.values():
                task.cancel()
            raise
