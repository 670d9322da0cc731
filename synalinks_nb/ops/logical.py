"""Graph operations behind ``+ & | ^ ~`` and their functional forms.

``LogicalOp(kind)`` runs the table of :mod:`synalinks_nb.data_models.operators`
on values, and on symbolic models computes the output schema (concatenation
for ``+``/``&``, the union schema for ``|``/``^``) and records a graph node, so
``x1 & x2`` inside a functional program is replayed when the program runs.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.json_ops import concat_schemas, union_schemas
from synalinks_nb.data_models.operators import apply_binary, register_graph_recorders
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.ops.node import Node
from synalinks_nb.ops.operation import Operation

__all__ = [
    "LogicalOp",
    "NotOp",
    "concat",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "symbolic_binary",
    "symbolic_not",
]

_KINDS = ("concat", "and", "or", "xor")


class LogicalOp(Operation):
    """A binary data-model operation: ``kind`` is "concat", "and", "or" or "xor"."""

    def __init__(
        self, kind: str, *, name: str | None = None, description: str | None = None
    ) -> None:
        if kind not in _KINDS:
            raise ValueError(f"Expected kind to be one of {_KINDS}. Received: kind={kind!r}")
        self.kind = kind
        super().__init__(name=name, description=description)

    def output_schema(self, s1: dict[str, Any], s2: dict[str, Any]) -> dict[str, Any]:
        """The schema of the result, for symbolic inputs with schemas ``s1`` and ``s2``."""
        if self.kind in ("concat", "and"):
            return concat_schemas(s1, s2)
        return union_schemas(s1, s2)

    async def call(self, x1: Any, x2: Any) -> Any:
        return apply_binary(self.kind, x1, x2)

    async def compute_output_spec(
        self, x1: SymbolicDataModel, x2: SymbolicDataModel
    ) -> SymbolicDataModel:
        return SymbolicDataModel(schema=self.output_schema(x1.get_schema(), x2.get_schema()))

    def get_config(self) -> dict[str, Any]:
        return {"kind": self.kind, **super().get_config()}


class NotOp(Operation):
    """``~x``: always ``None`` at run time; keeps ``x``'s schema when building."""

    async def call(self, x: Any) -> Any:
        return None

    async def compute_output_spec(self, x: SymbolicDataModel) -> SymbolicDataModel:
        return SymbolicDataModel(schema=x.get_schema())


def symbolic_binary(kind: str, x1: SymbolicDataModel, x2: SymbolicDataModel) -> SymbolicDataModel:
    """Record ``x1 <kind> x2`` in the graph synchronously (used by the operators)."""
    op = LogicalOp(kind)
    out = SymbolicDataModel(schema=op.output_schema(x1.get_schema(), x2.get_schema()))
    Node(op, (x1, x2), {}, out)
    return out


def symbolic_not(x: SymbolicDataModel) -> SymbolicDataModel:
    """Record ``~x`` in the graph synchronously."""
    out = SymbolicDataModel(schema=x.get_schema())
    Node(NotOp(), (x,), {}, out)
    return out


# The operators (+ & | ^ ~) of data models record graph steps through these.
register_graph_recorders(symbolic_binary, symbolic_not)


async def concat(x1: Any, x2: Any, name: str | None = None, description: str | None = None) -> Any:
    """Concatenate two data models (``x1 + x2``); ``None`` on either side is an error.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class A(sn.DataModel):
        ...     answer: str
        >>> x = asyncio.run(sn.ops.concat(A(answer="a"), A(answer="b")))
        >>> x.get_json()
        {'answer': 'a', 'answer_1': 'b'}
    """
    return await LogicalOp("concat", name=name, description=description)(x1, x2)


async def logical_and(
    x1: Any, x2: Any, name: str | None = None, description: str | None = None
) -> Any:
    """``x1 & x2``: the concatenation, or ``None`` if either is ``None``."""
    return await LogicalOp("and", name=name, description=description)(x1, x2)


async def logical_or(
    x1: Any, x2: Any, name: str | None = None, description: str | None = None
) -> Any:
    """``x1 | x2``: whichever is not ``None``; both concatenated if both are present."""
    return await LogicalOp("or", name=name, description=description)(x1, x2)


async def logical_xor(
    x1: Any, x2: Any, name: str | None = None, description: str | None = None
) -> Any:
    """``x1 ^ x2``: the one that is not ``None``; ``None`` if both or neither are."""
    return await LogicalOp("xor", name=name, description=description)(x1, x2)


async def logical_not(x: Any, name: str | None = None, description: str | None = None) -> Any:
    """``~x``: ``None`` (used to turn a branch off)."""
    return await NotOp(name=name, description=description)(x)
