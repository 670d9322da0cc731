"""Synalinks' ``ops.convert_to_json_data_model`` and ``ops.convert_to_symbolic_data_model``."""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import InvalidOperationError

__all__ = ["convert_to_json_data_model", "convert_to_symbolic_data_model"]


def convert_to_json_data_model(x: Any) -> JsonDataModel:
    """``x`` (a DataModel instance or a JsonDataModel) as a :class:`JsonDataModel`.

    Example:
        >>> import synalinks_nb as sn
        >>> class A(sn.DataModel):
        ...     a: int
        >>> sn.ops.convert_to_json_data_model(A(a=1)).get_json()
        {'a': 1}
    """
    if isinstance(x, JsonDataModel):
        return x
    to_json = getattr(x, "to_json_data_model", None)
    if isinstance(x, type) or to_json is None:
        raise InvalidOperationError("Expected a data model with values (a DataModel instance "
                                    f"or a JsonDataModel). Received: {x!r}")
    result: JsonDataModel = to_json()
    return result


def convert_to_symbolic_data_model(x: Any) -> SymbolicDataModel:
    """``x`` (a DataModel class or instance, a JsonDataModel...) as a schema-only model.

    Example:
        >>> import synalinks_nb as sn
        >>> class A(sn.DataModel):
        ...     a: int
        >>> list(sn.ops.convert_to_symbolic_data_model(A).get_schema()["properties"])
        ['a']
    """
    if isinstance(x, SymbolicDataModel):
        return x
    to_symbolic = getattr(x, "to_symbolic_data_model", None)
    if to_symbolic is None:
        raise InvalidOperationError(f"Expected a data model. Received: {x!r}")
    result: SymbolicDataModel = to_symbolic()
    return result
