"""``Identity`` and ``Not``: pass the input through, or turn it into ``None``."""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.modules.module import Module
from synalinks_nb.utils.tree import map_structure

__all__ = ["Identity", "Not"]


class Identity(Module):
    """Return the input unchanged.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> asyncio.run(sn.Identity()(Text(text="hi")))
        Text(text='hi')
    """

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return inputs

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return map_structure(
            lambda x: SymbolicDataModel(schema=x.get_schema()) if x is not None else None, inputs
        )


class Not(Module):
    """Return ``None`` (switch a path off); keeps the input's schema when building.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> asyncio.run(sn.Not()(Text(text="hi"))) is None
        True
    """

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return None

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return SymbolicDataModel(schema=inputs.get_schema())
