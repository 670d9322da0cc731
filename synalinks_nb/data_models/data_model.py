"""``DataModel``: the typed, pydantic-backed way to declare what flows through a program.

A DataModel *class* is a schema (use it to declare inputs and outputs); an
*instance* is a validated value. Extra fields are forbidden, so a typo in a
field name is an error rather than silently ignored data. Both classes and
instances support the operators of :mod:`synalinks_nb.data_models.operators`:
on classes they give a :class:`SymbolicDataModel`, on instances a
:class:`JsonDataModel`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, Self

import pydantic
from pydantic._internal._model_construction import ModelMetaclass as _PydanticMeta

from synalinks_nb.data_models.operators import OperatorMixin

if TYPE_CHECKING:
    from synalinks_nb.data_models.json_data_model import JsonDataModel
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

__all__ = ["DataModel", "Field", "schema_of"]

Field = pydantic.Field
"""Declare a field with a description (``sn.Field(description="...")``); pydantic's Field."""



def _is_data_model_operand(x: Any) -> bool:
    from synalinks_nb.data_models.json_data_model import JsonDataModel
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

    return isinstance(x, (DataModelMeta, DataModel, JsonDataModel, SymbolicDataModel))


class DataModelMeta(OperatorMixin, _PydanticMeta):
    """Adds the data-model operators to DataModel *classes* (schema level).

    ``|`` with anything that is not a data model (``Answer | None`` in a type
    hint) keeps its typing meaning, so nested optional fields still work.
    """

    def __or__(cls, other: Any) -> Any:
        if _is_data_model_operand(other):
            return OperatorMixin.__or__(cls, other)
        return _PydanticMeta.__or__(cls, other)

    def __ror__(cls, other: Any) -> Any:
        if _is_data_model_operand(other):
            return OperatorMixin.__ror__(cls, other)
        return _PydanticMeta.__ror__(cls, other)

    def __contains__(cls, key: object) -> bool:
        return key in cls.model_fields  # type: ignore[attr-defined]


class DataModel(OperatorMixin, pydantic.BaseModel, metaclass=DataModelMeta):
    """Base class for the structured data a program consumes and produces.

    Example:
        >>> import synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str = sn.Field(description="The user query")
        >>> Query.get_schema()["properties"]["query"]["description"]
        'The user query'
        >>> Query(query="hi").get_json()
        {'query': 'hi'}
        >>> "query" in Query
        True
    """

    model_config: ClassVar[pydantic.ConfigDict] = pydantic.ConfigDict(extra="forbid")

    @classmethod
    def get_schema(cls) -> dict[str, Any]:
        """The JSON schema of this data model (pydantic's, cached per class)."""
        cached = cls.__dict__.get("_sn_schema_cache")
        if cached is None:
            cached = cls.model_json_schema()
            cls._sn_schema_cache = cached  # type: ignore[attr-defined]
        return cached

    @classmethod
    def prettify_schema(cls) -> str:
        """The JSON schema, indented for reading."""
        return json.dumps(cls.get_schema(), indent=2)

    @classmethod
    def to_symbolic_data_model(cls, name: str | None = None) -> SymbolicDataModel:
        """A schema-only model of this class, for building programs."""
        from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

        return SymbolicDataModel(schema=cls.get_schema(), name=name)

    def get_json(self) -> dict[str, Any]:
        """The value as plain JSON (dicts, lists, strings, numbers)."""
        return self.model_dump(mode="json")

    def prettify_json(self) -> str:
        """The value as indented JSON."""
        return json.dumps(self.get_json(), indent=2, ensure_ascii=False)

    def to_json_data_model(self, name: str | None = None) -> JsonDataModel:
        """The same value as a :class:`JsonDataModel` (JSON + schema)."""
        from synalinks_nb.data_models.json_data_model import JsonDataModel

        return JsonDataModel._trusted(schema=self.get_schema(), json=self.get_json(), name=name)

    def __contains__(self, key: object) -> bool:
        return key in type(self).model_fields

    # Synalinks' dict-like reads. Only these three: ``items``/``values`` are common field
    # names, and a method of the same name would clash with such a field.
    def get(self, key: str, default: Any = None) -> Any:
        """The field ``key``, or ``default`` when the model has no such field.

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> a = Answer(answer="Paris")
            >>> a.get("answer"), a["answer"], a.get("city", "?"), list(Answer.keys())
            ('Paris', 'Paris', '?', ['answer'])
        """
        return getattr(self, key) if key in type(self).model_fields else default

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(f"Expected a field of {type(self).__name__} "
                           f"({', '.join(type(self).model_fields)}). Received: {key!r}")
        return getattr(self, key)

    @classmethod
    def keys(cls) -> list[str]:
        """The names of the schema's properties (Synalinks' ``DataModel.keys()``)."""
        return list(cls.get_schema().get("properties", {}))

    def get_config(self) -> dict[str, Any]:
        """The field values, as Synalinks' ``get_config`` (same as :meth:`get_json`)."""
        return self.get_json()

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        """The data model whose fields are ``config`` (validated).

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> Answer.from_config(Answer(answer="4").get_config())
            Answer(answer='4')
        """
        return cls(**config)

    def _repr_html_(self) -> str:
        from synalinks_nb.data_models.html import json_table_html

        return json_table_html(type(self).__name__, self.get_json())


def schema_of(data_model: Any, argument: str = "data_model") -> dict[str, Any]:
    """The JSON schema of a data model given as a constructor argument.

    Accepts a DataModel class, or any data model object (``JsonDataModel``,
    ``SymbolicDataModel``, a DataModel instance).

    Raises:
        TypeError: ``data_model`` has no JSON schema (``int``, a string...).

    Example:
        >>> import synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> list(schema_of(Query)["properties"])
        ['query']
        >>> schema_of(int)
        Traceback (most recent call last):
        ...
        TypeError: Expected data_model to be a DataModel class or a data model. Received: int
    """
    get_schema = getattr(data_model, "get_schema", None)
    schema = get_schema() if callable(get_schema) else None
    if not isinstance(schema, dict):
        shown = data_model.__name__ if isinstance(data_model, type) else repr(data_model)[:80]
        raise TypeError(
            f"Expected {argument} to be a DataModel class or a data model. Received: {shown}"
        )
    return schema
