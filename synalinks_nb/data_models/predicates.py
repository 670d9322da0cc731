"""Synalinks' ``is_*`` predicates: does a data model carry the fields of a built-in one?

As in Synalinks, they look at the schema, not the class: a ``JsonDataModel``, a
``SymbolicDataModel``, a DataModel class or instance, or a ``Variable`` whose schema has
every property of ``Instructions`` is "instructions". The chat predicates live with the
chat data models (:mod:`.chat`) and are re-exported here.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.builtins import Instructions, Prediction
from synalinks_nb.data_models.chat import is_chat_message, is_chat_messages

__all__ = ["is_chat_message", "is_chat_messages", "is_instructions", "is_prediction"]


def _has_properties_of(x: Any, model: Any) -> bool:
    get_schema = getattr(x, "get_schema", None)
    if get_schema is None:
        return False
    properties = get_schema().get("properties") or {}
    return all(key in properties for key in model.get_schema()["properties"])


def is_instructions(x: Any) -> bool:
    """Whether ``x`` has the fields of :class:`Instructions` (instructions, examples).

    Example:
        >>> import synalinks_nb as sn
        >>> sn.is_instructions(sn.Instructions()), sn.is_prediction(sn.Instructions())
        (True, False)
    """
    return _has_properties_of(x, Instructions)


def is_prediction(x: Any) -> bool:
    """Whether ``x`` has the fields of :class:`Prediction` (inputs, outputs, reward)."""
    return _has_properties_of(x, Prediction)
