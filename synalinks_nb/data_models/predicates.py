"""Synalinks' ``is_*`` predicates: does a data model carry the fields of a built-in one?

As in Synalinks, they look at the schema, not the class: a ``JsonDataModel``, a
``SymbolicDataModel``, a DataModel class or instance, or a ``Variable`` whose schema has
every property of ``Instructions`` is "instructions". The chat predicates live with the
chat data models (:mod:`.chat`) and are re-exported here.
``is_trainable`` is the exception: our :class:`Trainable` is a marker with no fields
(Synalinks' holds the optimizer's bookkeeping), so it looks at the class, or at the
variable's ``trainable`` flag.
"""

from __future__ import annotations

import inspect
from typing import Any

from synalinks_nb.data_models.builtins import Instructions, Prediction, Trainable
from synalinks_nb.data_models.chat import is_chat_message, is_chat_messages
from synalinks_nb.data_models.generic import Embedding, Embeddings

__all__ = [
    "is_chat_message", "is_chat_messages", "is_embedded", "is_embedding", "is_embeddings",
    "is_instructions", "is_meta_class", "is_prediction", "is_stamped", "is_trainable",
]


def _properties(x: Any) -> dict[str, Any]:
    get_schema = getattr(x, "get_schema", None)
    return (get_schema().get("properties") or {}) if get_schema is not None else {}


def _has_properties_of(x: Any, model: Any) -> bool:
    properties = _properties(x)
    return all(key in properties for key in model.get_schema()["properties"])


def is_embedding(x: Any) -> bool:
    """Whether ``x`` has the field of :class:`~.generic.Embedding` (embedding)."""
    return _has_properties_of(x, Embedding)


def is_embeddings(x: Any) -> bool:
    """Whether ``x`` has the field of :class:`~.generic.Embeddings` (embeddings)."""
    return _has_properties_of(x, Embeddings)


def is_embedded(x: Any) -> bool:
    """Whether ``x`` has an ``embedding`` field (an embedded entity, a chunk...).

    Example:
        >>> import synalinks_nb as sn
        >>> sn.is_embedded(sn.backend.Embedding()), sn.is_embeddings(sn.backend.Embedding())
        (True, False)
    """
    return "embedding" in _properties(x)


def is_stamped(x: Any) -> bool:
    """Whether ``x`` has a ``created_at`` field (as :class:`~.generic.Stamp`)."""
    return "created_at" in _properties(x)


def is_trainable(x: Any) -> bool:
    """Whether ``x`` is a trainable value: a :class:`Trainable` (class or instance, so
    :class:`Instructions` too), or a trainable variable.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.is_trainable(sn.Instructions), sn.is_trainable(sn.Prediction)
        (True, False)
        >>> sn.is_trainable(sn.Variable(data_model=sn.Instructions, trainable=False))
        False
    """
    if isinstance(x, Trainable) or (inspect.isclass(x) and issubclass(x, Trainable)):
        return True
    # A Variable (a layer above): a trainable flag and versions of a value.
    return getattr(x, "trainable", None) is True and hasattr(x, "versions")


def is_meta_class(x: Any) -> bool:
    """Whether ``x`` is a class (a DataModel not instantiated), as Synalinks checks.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.utils.is_meta_class(sn.Instructions), sn.utils.is_meta_class(sn.Instructions())
        (True, False)
    """
    return inspect.isclass(x)


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
