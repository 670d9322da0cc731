"""``Node``: one recorded call of an operation while a program is being built.

When an operation (a module, or a JSON op such as ``+``) is called on
symbolic data models, it creates a Node holding the call's arguments and
outputs, and stamps each symbolic output with ``_history = node``. A
functional program walks these links backwards from its outputs to its inputs
to find the graph it must run. Nodes never hold values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synalinks_nb.utils.tree import flatten, map_structure

if TYPE_CHECKING:
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
    from synalinks_nb.ops.operation import Operation

__all__ = ["Node", "record_call"]


class Node:
    """A call ``operation(*args, **kwargs) -> outputs`` on symbolic data models."""

    __slots__ = ("args", "kwargs", "operation", "outputs")

    def __init__(
        self, operation: Operation, args: tuple[Any, ...], kwargs: dict[str, Any], outputs: Any
    ) -> None:
        from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

        self.operation = operation
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs
        for out in flatten(outputs):
            if isinstance(out, SymbolicDataModel):
                out._history = self

    @property
    def input_symbols(self) -> list[SymbolicDataModel]:
        """The symbolic data models this call consumed, in argument order."""
        from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

        leaves = flatten(list(self.args)) + flatten(list(self.kwargs.values()))
        return [x for x in leaves if isinstance(x, SymbolicDataModel)]

    @property
    def parent_nodes(self) -> list[Node]:
        """Nodes that produced this node's inputs (inputs of the program have none)."""
        parents: list[Node] = []
        for x in self.input_symbols:
            if x._history is not None and x._history not in parents:
                parents.append(x._history)
        return parents

    def __repr__(self) -> str:
        return f"Node(operation={self.operation.name!r})"


def record_call(operation: Operation, args: tuple[Any, ...], kwargs: dict[str, Any],
                outputs: Any) -> Any:
    """Record ``operation(*args, **kwargs) -> outputs`` as a Node; return the outputs.

    An output that *is* one of the inputs (a pass-through module) is replaced by a
    copy first: stamping the input itself would make it look produced by this call,
    and the program would lose the step that really produced it.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Q(sn.DataModel):
        ...     q: str
        >>> x = sn.Input(data_model=Q)
        >>> identity = sn.Identity()
        >>> y = record_call(identity, (x,), {}, x)  # it handed back its input
        >>> y is x, y._history.operation is identity, x._history.operation is identity
        (False, True, False)
    """
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

    given = {id(x) for x in flatten(list(args)) + flatten(list(kwargs.values()))}

    def fresh(out: Any) -> Any:
        if isinstance(out, SymbolicDataModel) and id(out) in given:
            return SymbolicDataModel(schema=out.get_schema(), name=out.name)
        return out

    if given:
        outputs = map_structure(fresh, outputs)
    Node(operation, args, kwargs, outputs)
    return outputs
