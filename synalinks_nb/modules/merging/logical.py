"""``Concat``, ``And``, ``Or``, ``Xor``: combine a list of inputs with the operator table.

``await sn.And()([a, b, c])`` is ``a & b & c``; see
:mod:`synalinks_nb.data_models.operators` for how ``None`` is treated. These
modules see ``None`` inputs (they implement the table), unlike other modules.
"""

from __future__ import annotations

from typing import Any, ClassVar

from synalinks_nb.data_models.operators import apply_binary
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.module import Module
from synalinks_nb.ops.logical import LogicalOp

__all__ = ["And", "Concat", "Or", "Xor"]


class _Merge(Module):
    kind: ClassVar[str] = "concat"
    _skip_on_none = False

    def _inputs(self, inputs: Any) -> list[Any]:
        if not isinstance(inputs, list | tuple) or len(inputs) < 2:
            raise ModuleError(
                f"Expected a list of at least two inputs for {type(self).__name__}. "
                f"Received: {inputs!r}"
            )
        return list(inputs)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        items = self._inputs(inputs)
        result = items[0]
        for item in items[1:]:
            result = apply_binary(self.kind, result, item)
        return result

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        items = self._inputs(inputs)
        op = LogicalOp(self.kind)
        schema = items[0].get_schema()
        for item in items[1:]:
            schema = op.output_schema(schema, item.get_schema())
        return SymbolicDataModel(schema=schema, name=self.name)


class Concat(_Merge):
    """Concatenate every input; ``None`` anywhere is an error.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class A(sn.DataModel):
        ...     answer: str
        >>> asyncio.run(sn.Concat()([A(answer="x"), A(answer="y")])).get_json()
        {'answer': 'x', 'answer_1': 'y'}
    """

    kind = "concat"


class And(_Merge):
    """Concatenate every input, or ``None`` if any is ``None``."""

    kind = "and"


class Or(_Merge):
    """Concatenate the inputs that are not ``None``; ``None`` if all are."""

    kind = "or"


class Xor(_Merge):
    """The single input that is not ``None``; ``None`` if several or none are."""

    kind = "xor"

    async def call(self, inputs: Any, training: bool = False) -> Any:
        present = [x for x in self._inputs(inputs) if x is not None]
        return present[0] if len(present) == 1 else None
