"""Operator semantics shared by every kind of data model.

One table, applied the same way to DataModel classes and instances,
JsonDataModels and SymbolicDataModels (``None`` is the value of a branch that
did not run):

===========  ===============================  =================================
operator     concrete values                  ``None`` on one or both sides
===========  ===============================  =================================
``a + b``    concatenation                    raises InvalidOperationError
``a & b``    concatenation                    ``None``
``a | b``    concatenation                    the side that is not ``None``
``a ^ b``    ``None`` (both fired)            the side that is not ``None``
``~a``       ``None``                         ``~None`` is not Python; use ops
===========  ===============================  =================================

Key collisions in a concatenation get ``_1``, ``_2`` suffixes.

On symbolic models (graph building) ``|`` and ``^`` take the union schema from
:func:`synalinks_nb.data_models.json_ops.union_schemas`, which validates whichever side
fires at run time. Synalinks keeps the first operand's schema there, which is
wrong whenever the second side is the one that fires.

Symbolic operands that come from a functional graph are combined through a
graph operation (:mod:`synalinks_nb.ops.logical`), so the program records the
step and replays it at run time. Operations sit above data models, so this
module never imports them: :mod:`synalinks_nb.ops.logical` hands its two
recorders to :func:`register_graph_recorders` when it is imported (importing
``synalinks_nb`` imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import InvalidOperationError, MissingOperandError

__all__ = [
    "OperatorMixin",
    "apply_binary",
    "apply_invert",
    "is_symbolic",
    "register_graph_recorders",
]

BinaryRecorder = Callable[[str, Any, Any], Any]
InvertRecorder = Callable[[Any], Any]
_recorders: tuple[BinaryRecorder, InvertRecorder] | None = None


def register_graph_recorders(binary: BinaryRecorder, invert: InvertRecorder) -> None:
    """Set what records ``x1 <op> x2`` and ``~x`` on symbolic models (the graph layer's job).

    Example:
        >>> import synalinks_nb as sn  # registers synalinks_nb.ops.logical's recorders
        >>> from synalinks_nb.data_models import operators
        >>> operators._graph_recorders()[0].__name__
        'symbolic_binary'
    """
    global _recorders
    _recorders = (binary, invert)


def _graph_recorders() -> tuple[BinaryRecorder, InvertRecorder]:
    if _recorders is None:
        raise InvalidOperationError(
            "Expected the graph layer to be loaded before combining symbolic data models. "
            "Received: no recorders; import synalinks_nb (or synalinks_nb.ops) first."
        )
    return _recorders

_SYMBOLS = {"concat": "+", "and": "&", "or": "|", "xor": "^"}


def is_symbolic(x: Any) -> bool:
    """True for a SymbolicDataModel or a DataModel class (schema-only operands)."""
    from synalinks_nb.data_models.data_model import DataModel
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

    return isinstance(x, SymbolicDataModel) or (isinstance(x, type) and issubclass(x, DataModel))


def _check_operand(x: Any, op: str) -> None:
    from synalinks_nb.data_models.data_model import DataModel
    from synalinks_nb.data_models.json_data_model import JsonDataModel

    if x is None or is_symbolic(x) or isinstance(x, (DataModel, JsonDataModel)):
        return
    raise InvalidOperationError(
        f"Expected a data model (class, instance, JsonDataModel or SymbolicDataModel) or None "
        f"on each side of '{_SYMBOLS[op]}'. Received: {type(x).__name__}"
    )


def apply_binary(op: str, x1: Any, x2: Any) -> Any:
    """Apply ``op`` ("concat", "and", "or", "xor") to two operands, per the table above."""
    _check_operand(x1, op)
    _check_operand(x2, op)
    if is_symbolic(x1) or is_symbolic(x2):
        return _symbolic_binary(op, x1, x2)
    if x1 is None or x2 is None:
        if op == "concat":
            raise MissingOperandError(
                "Expected two data models for '+' (concatenation). Received: None on the "
                f"{'left' if x1 is None else 'right'}. Use '|' to keep whichever side is present."
            )
        if op == "and":
            return None
        return x2 if x1 is None else x1
    if op == "xor":
        return None
    return _concat_concrete(x1, x2)


def apply_invert(x: Any) -> Any:
    """``~x``: ``None`` for concrete values; a graph step for symbolic ones."""
    if is_symbolic(x):
        return _graph_recorders()[1](_as_symbolic(x))
    return None


def _concat_concrete(x1: Any, x2: Any) -> Any:
    from synalinks_nb.data_models.json_data_model import JsonDataModel
    from synalinks_nb.data_models.json_ops import concat_json, concat_schemas

    s1, s2 = x1.get_schema(), x2.get_schema()
    return JsonDataModel._trusted(
        schema=concat_schemas(s1, s2),
        json=concat_json(x1.get_json(), x2.get_json(), schema1=s1, schema2=s2),
    )


def _as_symbolic(x: Any) -> Any:
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

    if isinstance(x, SymbolicDataModel):
        return x
    if hasattr(x, "to_symbolic_data_model"):
        return x.to_symbolic_data_model()
    raise InvalidOperationError(f"Cannot use {type(x).__name__} in a symbolic operation.")


def _symbolic_binary(op: str, x1: Any, x2: Any) -> Any:
    if x1 is None or x2 is None:
        raise MissingOperandError(
            f"Expected two data models on each side of '{_SYMBOLS[op]}' while building a "
            f"program. Received: None on the {'left' if x1 is None else 'right'}."
        )
    return _graph_recorders()[0](op, _as_symbolic(x1), _as_symbolic(x2))


class OperatorMixin:
    """The ``+ & | ^ ~`` operators, for every data-model kind (and DataModel's metaclass)."""

    __slots__ = ()

    def __add__(self, other: Any) -> Any:
        return apply_binary("concat", self, other)

    def __radd__(self, other: Any) -> Any:
        return apply_binary("concat", other, self)

    def __and__(self, other: Any) -> Any:
        return apply_binary("and", self, other)

    def __rand__(self, other: Any) -> Any:
        return apply_binary("and", other, self)

    def __or__(self, other: Any) -> Any:
        return apply_binary("or", self, other)

    def __ror__(self, other: Any) -> Any:
        return apply_binary("or", other, self)

    def __xor__(self, other: Any) -> Any:
        return apply_binary("xor", self, other)

    def __rxor__(self, other: Any) -> Any:
        return apply_binary("xor", other, self)

    def __invert__(self) -> Any:
        return apply_invert(self)
