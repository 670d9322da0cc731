"""``JsonDataModel``: a JSON value travelling with its JSON schema.

This is what modules exchange at run time. It is validated on construction,
so a JsonDataModel in hand always matches its schema; values built by the
package from already-validated parts skip the re-check (``_trusted``).
Dict-like read access (``x["key"]``, ``get``, ``keys``...) makes rewards and
``Lambda`` functions short.
"""

from __future__ import annotations

import copy
import json as _json
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from typing import TYPE_CHECKING, Any

from synalinks_nb.data_models import json_ops
from synalinks_nb.data_models.operators import OperatorMixin
from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.errors import InvalidOperationError

if TYPE_CHECKING:
    from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

__all__ = ["JsonDataModel", "is_json_data_model"]


def _schema_and_json_of(data_model: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    from synalinks_nb.data_models.data_model import DataModel

    if isinstance(data_model, DataModel):
        return data_model.get_schema(), data_model.get_json()
    if isinstance(data_model, type) and issubclass(data_model, DataModel):
        return data_model.get_schema(), None
    if isinstance(data_model, JsonDataModel):
        return data_model.get_schema(), data_model.get_json()
    raise InvalidOperationError(
        f"Expected data_model to be a DataModel class or instance. "
        f"Received: {type(data_model).__name__}"
    )


class JsonDataModel(OperatorMixin):
    """A JSON value with its schema, validated on construction.

    Args:
        schema: the JSON schema. Taken from ``data_model`` when omitted.
        json: the value. Taken from ``data_model`` (an instance) when omitted.
        data_model: a DataModel class or instance to take schema/json from.
        name: optional name (used in reprs and error messages).

    Raises:
        SchemaValidationError: ``json`` does not match ``schema``; the error
            names the offending field (``error.path``).

    Example:
        >>> import synalinks_nb as sn
        >>> schema = {"type": "object", "title": "Answer",
        ...           "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
        >>> x = sn.JsonDataModel(schema=schema, json={"answer": "Paris"})
        >>> x["answer"], x.get("missing", "-"), list(x.keys())
        ('Paris', '-', ['answer'])
        >>> sn.JsonDataModel(schema=schema, json={"answer": 3})
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.SchemaValidationError: Expected the field $.answer ... Received: 3 is...
    """

    __slots__ = ("_json", "_schema", "name")

    def __init__(
        self,
        schema: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        data_model: Any = None,
        name: str | None = None,
    ) -> None:
        if data_model is not None:
            dm_schema, dm_json = _schema_and_json_of(data_model)
            schema = schema if schema is not None else dm_schema
            json = json if json is not None else dm_json
        if not isinstance(schema, dict):
            raise InvalidOperationError(
                f"Expected a JSON schema dict (or a data_model). Received: schema={schema!r}"
            )
        if json is None:
            json = {}
        self._schema = schema
        self._json = json
        self.name = name
        validate_json(json, schema, what=self._what)

    @classmethod
    def _trusted(
        cls, *, schema: dict[str, Any], json: dict[str, Any], name: str | None = None
    ) -> JsonDataModel:
        """Build without validating: for values the package assembled from validated parts."""
        obj = cls.__new__(cls)
        obj._schema = schema
        obj._json = json
        obj.name = name
        return obj

    def _label(self) -> str:
        return self.name or str(self._schema.get("title", "json"))

    def _what(self) -> str:
        return f"JsonDataModel {self._label()!r}"

    # -- values -----------------------------------------------------------------

    def get_json(self) -> dict[str, Any]:
        """The JSON value (do not mutate it: build a new JsonDataModel instead)."""
        return self._json

    def get_schema(self) -> dict[str, Any]:
        """The JSON schema."""
        return self._schema

    def prettify_json(self) -> str:
        """The value as indented JSON."""
        return _json.dumps(self._json, indent=2, ensure_ascii=False)

    def prettify_schema(self) -> str:
        """The schema as indented JSON."""
        return _json.dumps(self._schema, indent=2)

    def to_symbolic_data_model(self, name: str | None = None) -> SymbolicDataModel:
        """The schema alone, as a :class:`SymbolicDataModel`."""
        from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

        return SymbolicDataModel(schema=self._schema, name=name or self.name)

    def to_json_data_model(self, name: str | None = None) -> JsonDataModel:
        """Itself (for symmetry with DataModel)."""
        return self

    # -- dict-like access ---------------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        return self._json[key]

    def get(self, key: str, default: Any = None) -> Any:
        """``json.get(key, default)``."""
        return self._json.get(key, default)

    def keys(self) -> KeysView[str]:
        """The JSON's top-level keys."""
        return self._json.keys()

    def values(self) -> ValuesView[Any]:
        """The JSON's top-level values."""
        return self._json.values()

    def items(self) -> ItemsView[str, Any]:
        """The JSON's top-level items."""
        return self._json.items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._json)

    def __len__(self) -> int:
        return len(self._json)

    def __contains__(self, key: object) -> bool:
        return key in self._json

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JsonDataModel):
            return self._json == other._json and self._schema == other._schema
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        return True

    # -- Synalinks' JSON methods: each returns a new value (the same as the json ops) -----

    def in_mask(self, mask: list[str] | None = None, pattern: str | None = None,
                recursive: bool = True) -> JsonDataModel:
        """Keep only the fields named in ``mask`` or matching ``pattern``.

        Example:
            >>> x = JsonDataModel(schema={"type": "object", "properties": {
            ...     "a": {"type": "string"}, "b": {"type": "string"}}}, json={"a": "1", "b": "2"})
            >>> x.in_mask(["a"]).get_json(), x.out_mask(pattern="^a").get_json()
            ({'a': '1'}, {'b': '2'})
            >>> x.prefix("draft").get_json(), sorted(x.suffix("v1").keys())
            ({'draft_a': '1', 'draft_b': '2'}, ['a_v1', 'b_v1'])
        """
        return self._trusted(
            schema=json_ops.in_mask_schema(self._schema, mask, recursive, pattern),
            json=json_ops.in_mask_json(self._json, mask, recursive, pattern), name=self.name)

    def out_mask(self, mask: list[str] | None = None, pattern: str | None = None,
                 recursive: bool = True) -> JsonDataModel:
        """Drop the fields named in ``mask`` or matching ``pattern``."""
        return self._trusted(
            schema=json_ops.out_mask_schema(self._schema, mask, recursive, pattern),
            json=json_ops.out_mask_json(self._json, mask, recursive, pattern), name=self.name)

    def prefix(self, prefix: str) -> JsonDataModel:
        """Rename every top-level field ``key`` to ``<prefix>_key``."""
        return self._trusted(schema=json_ops.prefix_schema(self._schema, prefix),
                             json=json_ops.prefix_json(self._json, prefix), name=self.name)

    def suffix(self, suffix: str) -> JsonDataModel:
        """Rename every top-level field ``key`` to ``key_<suffix>``."""
        return self._trusted(schema=json_ops.suffix_schema(self._schema, suffix),
                             json=json_ops.suffix_json(self._json, suffix), name=self.name)

    def factorize(self) -> JsonDataModel:
        """Group numbered families of fields (``answer``, ``answer_1``...) into lists."""
        return self._trusted(
            schema=json_ops.factorize_schema(self._schema),
            json=json_ops.factorize_json(self._json, schema=self._schema), name=self.name)

    def update(self, kv_dict: dict[str, Any]) -> None:
        """Set fields, as ``dict.update``; the result must still match the schema.

        Raises:
            SchemaValidationError: the updated value does not match the schema (then
                nothing changes).

        Example:
            >>> x = JsonDataModel(schema={"type": "object", "properties": {
            ...     "a": {"type": "string"}}}, json={"a": "1"})
            >>> x.update({"a": "2"}); x.get_json()
            {'a': '2'}
        """
        updated = {**self._json, **kv_dict}
        validate_json(updated, self._schema, what=self._what)
        self._json = updated

    def clone(self, name: str | None = None) -> JsonDataModel:
        """A deep copy, named ``name`` (default: ``clone_<name>``)."""
        return self._trusted(schema=copy.deepcopy(self._schema),
                             json=copy.deepcopy(self._json),
                             name=name or f"clone_{self._label()}")

    # -- display --------------------------------------------------------------------

    def __repr__(self) -> str:
        text = _json.dumps(self._json, ensure_ascii=False)
        return f"JsonDataModel(name={self._label()!r}, json={text})"

    def _repr_html_(self) -> str:
        from synalinks_nb.data_models.html import json_table_html

        return json_table_html(self._label(), self._json)


def is_json_data_model(x: Any) -> bool:
    """Whether ``x`` is a :class:`JsonDataModel` (Synalinks' ``utils.is_json_data_model``).

    Example:
        >>> is_json_data_model(JsonDataModel(schema={"type": "object"}, json={}))
        True
    """
    return isinstance(x, JsonDataModel)
