"""``InMask`` and ``OutMask``: keep or drop fields by name (with suffixed/plural forms)."""

from __future__ import annotations

from typing import Any

from synalinks_nb.modules.module import Module
from synalinks_nb.ops.json import JsonOp

__all__ = ["InMask", "OutMask"]


class _Mask(Module):
    kind = "in_mask"

    def __init__(self, mask: list[str] | None = None, recursive: bool = True,
                 pattern: str | None = None, name: str | None = None,
                 description: str | None = None, trainable: bool = True) -> None:
        if mask is not None and (isinstance(mask, str) or not isinstance(mask, list | tuple)
                                 or not all(isinstance(m, str) for m in mask)):
            raise TypeError("Expected mask to be a list of field names. "
                            f"Received: mask={mask!r}")
        if pattern is not None and not isinstance(pattern, str):
            raise TypeError(f"Expected pattern to be a regular expression string. "
                            f"Received: pattern={pattern!r}")
        super().__init__(name=name, description=description, trainable=trainable)
        self.mask = list(mask or [])
        self.recursive = recursive
        self.pattern = pattern
        self._op = JsonOp(self.kind, {"mask": self.mask, "recursive": recursive,
                                      "pattern": pattern}, name=f"{self.name}_op")

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return await self._op.call(inputs)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await self._op.compute_output_spec(inputs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask": self.mask, "recursive": self.recursive,
                "pattern": self.pattern}


class InMask(_Mask):
    """Keep only the fields named in ``mask`` (or matching ``pattern``).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Out(sn.DataModel):
        ...     thinking: str
        ...     answer: str
        >>> asyncio.run(sn.InMask(mask=["answer"])(Out(thinking="t", answer="a"))).get_json()
        {'answer': 'a'}
    """

    kind = "in_mask"


class OutMask(_Mask):
    """Drop the fields named in ``mask`` (or matching ``pattern``)."""

    kind = "out_mask"
