"""Synalinks' dict-like reads of a variable (``get``, ``[]``, ``keys``, ``update``...).

A mixin of :class:`~synalinks_nb.variables.variable.Variable`: every read goes through
``value``, so it sees a candidate overlay or a ``StatelessScope`` like the rest.
"""

from __future__ import annotations

import json
from collections.abc import ItemsView, KeysView, ValuesView
from typing import TYPE_CHECKING, Any

from synalinks_nb.data_models.builtins import BOOKKEEPING
from synalinks_nb.errors import VariableError

if TYPE_CHECKING:
    from synalinks_nb.variables.variable import Version

__all__ = ["SynalinksReads"]

_MISSING: Any = object()


def _copy_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


class SynalinksReads:
    """The field-level reads and ``update`` Synalinks code uses on variables."""

    _schema: dict[str, Any]
    _value: Any

    @property
    def path(self) -> str:  # implemented by Variable
        raise NotImplementedError

    @property
    def value(self) -> Any:  # implemented by Variable
        raise NotImplementedError

    def get_json(self) -> Any:  # implemented by Variable
        raise NotImplementedError

    def assign(self, value: Any, *, source: str = "edit") -> Version:  # by Variable
        raise NotImplementedError

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """The field ``key`` of the current value, or ``default`` (Synalinks' ``get``).

        Synalinks' optimizer fields (``current_predictions``, ``history``...) are not in
        values here: reading one without a ``default`` raises a :class:`VariableError`
        that says what to use instead, rather than giving ``None`` to code that appends
        to it.

        Example:
            >>> import synalinks_nb as sn
            >>> v = sn.Variable(initializer={"instructions": "Be brief."},
            ...                 data_model=sn.Instructions)
            >>> v.get("instructions"), v["examples"], sorted(v.keys())
            ('Be brief.', [], ['examples', 'instructions'])
            >>> _ = v.update({"instructions": "Be kind."})
            >>> v.get("instructions"), v.versions[-1].source
            ('Be kind.', 'edit')
        """
        value = self.value
        if isinstance(value, dict) and key in value:
            return _copy_json(value[key])
        if default is _MISSING and key in BOOKKEEPING:
            raise VariableError(
                f"Expected a field of variable {self.path!r} ({sorted(self.keys())}). Received: "
                f"{key!r}, one of Synalinks' optimizer fields, which synalinks_nb keeps in the "
                "optimizer's state: the trainer records each module's predictions from its "
                "traces, and variable.versions is the history. Remove this read (or pass a "
                "default)."
            )
        return None if default is _MISSING else default

    def __getitem__(self, key: str) -> Any:
        return _copy_json(self.value[key])

    def keys(self) -> KeysView[str]:
        """The fields of the current value."""
        return dict(self.value).keys()

    def values(self) -> ValuesView[Any]:
        """The field values of the current value (copies)."""
        return dict(self.get_json()).values()

    def items(self) -> ItemsView[str, Any]:
        """The ``(field, value)`` pairs of the current value (copies)."""
        return dict(self.get_json()).items()

    def update(self, kv_dict: dict[str, Any], *, source: str = "edit") -> Version:
        """Assign the current value with the fields of ``kv_dict`` replaced (a new version)."""
        return self.assign({**self.get_json(), **kv_dict}, source=source)

    def get_schema(self) -> dict[str, Any]:
        """The JSON schema every value must match (Synalinks' name for :attr:`schema`)."""
        return self._schema

    def prettify_json(self) -> str:
        """The current value as indented JSON."""
        return json.dumps(self._value, indent=2, ensure_ascii=False)

    def prettify_schema(self) -> str:
        """The schema as indented JSON."""
        return json.dumps(self._schema, indent=2)

