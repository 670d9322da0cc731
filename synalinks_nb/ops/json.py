"""Graph operations that reshape one data model's JSON: masks, prefixes, factorize.

Each wraps a pair of pure functions from :mod:`synalinks_nb.data_models.json_ops` (one
for the schema, one for the JSON), so the same rule shapes the symbolic schema
at build time and the value at run time. ``None`` passes through as ``None``.
Output schemas are cached per input schema: a program calls the same op on the
same schema at every sample.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.data_models import json_ops
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel

# Synalinks' ``synalinks.ops.json`` also holds the logical ops; they live in ops.logical.
from synalinks_nb.ops.logical import concat, logical_and, logical_not, logical_or, logical_xor
from synalinks_nb.ops.operation import Operation

concatenate = concat
"""Synalinks' second name for :func:`concat`."""

__all__ = [
    "JsonOp",
    "concat",
    "concatenate",
    "factorize",
    "in_mask",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "out_mask",
    "prefix",
    "suffix",
]

_OPS: dict[str, tuple[Callable[..., dict[str, Any]], Callable[..., dict[str, Any]]]] = {
    "factorize": (json_ops.factorize_schema, json_ops.factorize_json),
    "in_mask": (json_ops.in_mask_schema, json_ops.in_mask_json),
    "out_mask": (json_ops.out_mask_schema, json_ops.out_mask_json),
    "prefix": (json_ops.prefix_schema, json_ops.prefix_json),
    "suffix": (json_ops.suffix_schema, json_ops.suffix_json),
}


class JsonOp(Operation):
    """A one-input JSON reshaping op: ``kind`` names it, ``params`` are its arguments."""

    def __init__(
        self,
        kind: str,
        params: dict[str, Any] | None = None,
        *,
        name: str | None = None,
        description: str | None = None,
    ) -> None:
        if kind not in _OPS:
            raise ValueError(f"Expected kind to be one of {sorted(_OPS)}. Received: {kind!r}")
        self.kind = kind
        self.params = dict(params or {})
        self._schema_fn, self._json_fn = _OPS[kind]
        self._cache: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        super().__init__(name=name, description=description)

    def output_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The output schema for an input schema (cached per schema object)."""
        hit = self._cache.get(id(schema))
        if hit is not None and hit[0] is schema:
            return hit[1]
        out = self._schema_fn(schema, **self.params)
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[id(schema)] = (schema, out)
        return out

    async def call(self, x: Any) -> Any:
        if x is None:
            return None
        return JsonDataModel._trusted(
            schema=self.output_schema(x.get_schema()),
            json=self._json_fn(x.get_json(), **self.params),
        )

    async def compute_output_spec(self, x: SymbolicDataModel) -> SymbolicDataModel:
        return SymbolicDataModel(schema=self.output_schema(x.get_schema()))

    def get_config(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": self.params, **super().get_config()}


async def factorize(x: Any, name: str | None = None, description: str | None = None) -> Any:
    """Group suffixed keys (``answer``, ``answer_1``) into one list (``answers``)."""
    return await JsonOp("factorize", name=name, description=description)(x)


async def in_mask(
    x: Any,
    mask: list[str] | None = None,
    recursive: bool = True,
    pattern: str | None = None,
    name: str | None = None,
    description: str | None = None,
) -> Any:
    """Keep only the keys matching ``mask`` (and suffixed/plural forms) or ``pattern``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Out(sn.DataModel):
        ...     thinking: str
        ...     answer: str
        >>> y = asyncio.run(sn.ops.in_mask(Out(thinking="...", answer="4"), mask=["answer"]))
        >>> y.get_json()
        {'answer': '4'}
    """
    params = {"mask": list(mask or []), "recursive": recursive, "pattern": pattern}
    return await JsonOp("in_mask", params, name=name, description=description)(x)


async def out_mask(
    x: Any,
    mask: list[str] | None = None,
    recursive: bool = True,
    pattern: str | None = None,
    name: str | None = None,
    description: str | None = None,
) -> Any:
    """Drop the keys matching ``mask`` (and suffixed/plural forms) or ``pattern``."""
    params = {"mask": list(mask or []), "recursive": recursive, "pattern": pattern}
    return await JsonOp("out_mask", params, name=name, description=description)(x)


async def prefix(
    x: Any, prefix: str, name: str | None = None, description: str | None = None
) -> Any:
    """Rename every top-level key ``key`` to ``<prefix>_key``."""
    return await JsonOp("prefix", {"prefix": prefix}, name=name, description=description)(x)


async def suffix(
    x: Any, suffix: str, name: str | None = None, description: str | None = None
) -> Any:
    """Rename every top-level key ``key`` to ``key_<suffix>``."""
    return await JsonOp("suffix", {"suffix": suffix}, name=name, description=description)(x)
