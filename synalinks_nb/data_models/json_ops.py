"""Pure operations on JSON objects and their JSON schemas.

Every data-model operator (``+ & | ^``, ``in_mask``, ``factorize``...) is defined
twice here: once on a JSON schema (what a :class:`SymbolicDataModel` carries while
a program graph is built) and once on a JSON object (what a
:class:`JsonDataModel` carries at run time). Both halves apply the same key rule,
so the JSON an op returns always validates against the schema the same op
returns for the inputs' schemas. The functions take and return plain dicts,
never mutate their arguments, and know nothing of the classes above them.

Key naming follows Synalinks:

* **Collisions** (``concat``): a second ``answer`` becomes ``answer_1``, a third
  ``answer_2``. The number is appended to the colliding key as written, so a
  colliding ``answer_1`` becomes ``answer_1_1``.
* **Families** (masks, ``factorize``): ``answer``, ``answer_3`` and ``answers``
  share the base key ``answer`` (numeric suffix removed, last word singular).

Schemas may use pydantic's ``$defs``/``$ref``: references stay resolvable,
clashing definitions are renamed, unreachable ones are dropped.

Where we differ from Synalinks (each is a bug fix there):

* ``concat``: a property is required when its own side requires it (Synalinks
  looked the key up in both sides); clashing ``$defs`` are renamed instead of
  overwritten; the title joins both titles (``"Query + Answer"``) instead of
  keeping the first; ``additionalProperties: false`` only when both sides forbid
  extra keys.
* ``concat_json`` and ``factorize_json`` accept the inputs' schemas, so a JSON
  object that omits an optional key still gets the names its schema got.
* ``factorize``: a lone plural key (``entities``) is kept in the schema (Synalinks
  dropped it from the schema but not from the JSON); a lone suffixed key loses
  only its suffix (``foos_1`` -> ``foos``); the list's ``items`` keep the members'
  full schemas; ``required`` follows the members.
* masks: a key is kept (``in_mask``) or dropped (``out_mask``) by its name only,
  for objects and lists alike (Synalinks' ``in_mask_json`` kept every list, which
  its own schema then rejected); ``pattern`` is searched in the key and in its
  base key; unreachable ``$defs`` are dropped by following references.
* ``prefix``/``suffix``: ``required`` is renamed, not reset to every key.
* :func:`union_schemas` is new: Synalinks gave ``x1 | x2`` the schema of ``x1``.

This module gathers the ops, which live by family:
:mod:`~synalinks_nb.data_models.json_concat` (concat, union),
:mod:`~synalinks_nb.data_models.json_factorize`,
:mod:`~synalinks_nb.data_models.json_masks` (in_mask, out_mask),
:mod:`~synalinks_nb.data_models.json_affixes` (prefix, suffix) and
:mod:`~synalinks_nb.data_models.json_inspection` (schema_properties, is_schema_equal),
over the steps they share in ``_json_objects`` and ``_schema_utils``.
"""

from __future__ import annotations

from synalinks_nb.data_models.json_affixes import (
    prefix_json,
    prefix_schema,
    suffix_json,
    suffix_schema,
)
from synalinks_nb.data_models.json_concat import concat_json, concat_schemas, union_schemas
from synalinks_nb.data_models.json_factorize import factorize_json, factorize_schema
from synalinks_nb.data_models.json_inspection import is_schema_equal, schema_properties
from synalinks_nb.data_models.json_masks import (
    in_mask_json,
    in_mask_schema,
    out_mask_json,
    out_mask_schema,
)

__all__ = [
    "concat_json",
    "concat_schemas",
    "factorize_json",
    "factorize_schema",
    "in_mask_json",
    "in_mask_schema",
    "is_schema_equal",
    "out_mask_json",
    "out_mask_schema",
    "prefix_json",
    "prefix_schema",
    "schema_properties",
    "suffix_json",
    "suffix_schema",
    "union_schemas",
]
