"""What hooks write down about a call's inputs and outputs, as JSON."""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.traces.records import as_json

__all__ = ["is_symbolic", "leaves_json", "plain_kwargs"]


def _leaves(value: Any) -> list[Any]:
    # Lists and tuples are structure; a dict is a leaf (a chat message, plain JSON).
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    return [] if value is None else [value]


def is_symbolic(value: Any) -> bool:
    """Whether ``value`` holds a symbolic data model (a graph being built)."""
    return any(isinstance(leaf, SymbolicDataModel) for leaf in _leaves(value))


def leaves_json(value: Any) -> list[Any]:
    """Each data model in ``value`` as JSON (its schema when symbolic), plain JSON kept.

    Example:
        >>> import synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> leaves_json((Text(text="hi"), None))
        [{'text': 'hi'}]
    """
    out = []
    for leaf in _leaves(value):
        if isinstance(leaf, SymbolicDataModel):
            out.append(leaf.get_schema())
        else:
            out.append(as_json(leaf))
    return out


def plain_kwargs(kwargs: dict[str, Any] | None) -> dict[str, Any]:
    """The keyword arguments worth showing: data models as JSON, plain values as they are."""
    shown: dict[str, Any] = {}
    for key, value in (kwargs or {}).items():
        if hasattr(value, "get_json"):
            shown[key] = value.get_json()
        elif isinstance(value, str | int | float | bool | list | dict) or value is None:
            shown[key] = value
    return shown
