"""``SymbolicDataModel``: a schema without a value, used to build programs.

Calling a module on a SymbolicDataModel does not run anything: the module
computes the schema of its output and records the call in the graph
(``_history``), which a functional :class:`~synalinks_nb.Program` later replays
on real values. Asking a SymbolicDataModel for values is a
:class:`~synalinks_nb.errors.SymbolicValueError`.
"""

from __future__ import annotations

import json as _json
from collections.abc import KeysView
from typing import Any, NoReturn

from synalinks_nb.data_models.operators import OperatorMixin
from synalinks_nb.errors import InvalidOperationError, SymbolicValueError

__all__ = ["SymbolicDataModel", "is_symbolic_data_model"]


class SymbolicDataModel(OperatorMixin):
    """A placeholder carrying only a JSON schema.

    Args:
        schema: the JSON schema.
        data_model: a DataModel class (or instance) to take the schema from.
        name: optional name shown in graphs and errors.
        record_history: Synalinks' flag, kept as an attribute: Synalinks stores it and
            reads it nowhere, and neither does this package (graphs always record).

    Example:
        >>> import synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> x = sn.SymbolicDataModel(data_model=Query)
        >>> list(x.keys())
        ['query']
        >>> x.get_json()
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.SymbolicValueError: Expected a data model with values. Received: ...
    """

    __slots__ = ("_history", "_schema", "name", "record_history")

    def __init__(
        self,
        schema: dict[str, Any] | None = None,
        data_model: Any = None,
        name: str | None = None,
        record_history: bool = True,
    ) -> None:
        if schema is None and data_model is not None:
            schema = data_model.get_schema()
        if not isinstance(schema, dict):
            raise InvalidOperationError(
                f"Expected a JSON schema dict (or a data_model). Received: schema={schema!r}"
            )
        self._schema = schema
        self.name = name
        self.record_history = record_history
        # The synalinks_nb.ops.node.Node that produced this model, set by the graph
        # layer above (typed loosely: data models never import it).
        self._history: Any = None

    def _label(self) -> str:
        return self.name or str(self._schema.get("title", "symbolic"))

    def get_schema(self) -> dict[str, Any]:
        """The JSON schema."""
        return self._schema

    def prettify_schema(self) -> str:
        """The schema as indented JSON."""
        return _json.dumps(self._schema, indent=2)

    def to_symbolic_data_model(self, name: str | None = None) -> SymbolicDataModel:
        """Itself."""
        return self

    def keys(self) -> KeysView[str]:
        """The schema's top-level property names."""
        props: dict[str, Any] = self._schema.get("properties", {})
        return props.keys()

    def __contains__(self, key: object) -> bool:
        return key in self._schema.get("properties", {})

    def _no_values(self, *_: Any, **__: Any) -> NoReturn:
        raise SymbolicValueError(
            f"Expected a data model with values. Received: a SymbolicDataModel "
            f"({self._label()!r}), which only has a schema; values exist once the program runs."
        )

    def get(self, key: str, default: Any = None) -> NoReturn:
        """Refused: a symbolic model has no values (as in Synalinks, whose ``get`` raises)."""
        self._no_values()

    get_json = _no_values
    prettify_json = _no_values
    values = _no_values
    items = _no_values
    __getitem__ = _no_values

    def __repr__(self) -> str:
        return f"SymbolicDataModel(name={self._label()!r}, keys={list(self.keys())})"


def is_symbolic_data_model(x: Any) -> bool:
    """Whether ``x`` is a :class:`SymbolicDataModel` (Synalinks' ``utils`` predicate).

    Example:
        >>> is_symbolic_data_model(SymbolicDataModel(schema={"type": "object"}))
        True
    """
    return isinstance(x, SymbolicDataModel)
