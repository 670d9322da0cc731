"""``Function``: a captured graph of operations, re-applied to new inputs (Synalinks' name).

A :class:`Function` is a functional program without the program: no variables
tracked, no training, no saving; just the graph between some symbolic inputs
and outputs, run by the same :class:`~synalinks_nb.programs.functional.FunctionalGraph`
(independent branches run concurrently). Its inputs may be any symbolic data
models, ``sn.SymbolicDataModel(data_model=...)`` included, not only ``sn.Input``.
It is an operation, so calling it on symbolic data models records one step in
an enclosing graph.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.ops.operation import Operation
from synalinks_nb.programs.functional import FunctionalGraph
from synalinks_nb.utils.tree import flatten, map_structure

__all__ = ["Function"]


class Function(Operation):
    """The operations between ``inputs`` and ``outputs``, callable on new values.

    Args:
        inputs: a symbolic data model or a list/tuple/dict of them.
        outputs: symbolic data models computed from ``inputs`` only.
        name: the operation's name.
        description: what it does.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> q = sn.SymbolicDataModel(data_model=Query)
        >>> a = sn.SymbolicDataModel(data_model=Answer)
        >>> fn = sn.Function(inputs=[q, a], outputs=q + a)
        >>> out = asyncio.run(fn([Query(query="Capital of France?"), Answer(answer="Paris")]))
        >>> out.get_json()
        {'query': 'Capital of France?', 'answer': 'Paris'}
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None,
                 description: str | None = None) -> None:
        super().__init__(name=name, description=description)
        self._graph = FunctionalGraph(inputs, outputs, any_inputs=True)

    @property
    def operations(self) -> list[Operation]:
        """The operations of the graph, in the order they run."""
        found: list[Operation] = []
        for node in self._graph.nodes:
            if node.operation not in found:
                found.append(node.operation)
        return found

    @property
    def inputs(self) -> list[SymbolicDataModel]:
        """The flat list of symbolic inputs."""
        return list(self._graph.flat_inputs)

    @property
    def outputs(self) -> list[SymbolicDataModel]:
        """The flat list of symbolic outputs."""
        return list(self._graph.flat_outputs)

    async def call(self, inputs: Any) -> Any:
        """Run the graph on values shaped like ``inputs``."""
        return await self._graph.run(inputs)

    async def compute_output_spec(self, inputs: Any) -> Any:
        """Fresh symbolic outputs; the graph is replayed when input schemas differ."""
        given = flatten(inputs) if isinstance(inputs, list | tuple | dict) else [inputs]
        same = len(given) == len(self._graph.flat_inputs) and all(
            x.get_schema() == ref.get_schema()
            for x, ref in zip(given, self._graph.flat_inputs, strict=True))
        outputs = self._graph.outputs if same else await self._graph.run(inputs)
        return map_structure(lambda x: SymbolicDataModel(schema=x.get_schema()), outputs)

    def get_config(self) -> dict[str, Any]:
        """Not serialisable, as in Synalinks: a Function is code, not a saved program."""
        raise NotImplementedError(
            "Expected a Program to save. Received: a Function, which holds a graph but no "
            "config; build a sn.Program(inputs=..., outputs=...) to save it."
        )
