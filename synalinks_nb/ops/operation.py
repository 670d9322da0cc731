"""``Operation``: anything that can be called on data models and recorded in a graph.

An operation has two paths:

* **concrete** — called on values (DataModels, JsonDataModels, ``None``), it
  runs ``call`` and returns values;
* **symbolic** — called on :class:`SymbolicDataModel` arguments, it computes
  the output schema with ``compute_output_spec`` (never calling a language
  model) and records a :class:`~synalinks_nb.ops.node.Node` so a functional
  program can replay the call later.

:class:`~synalinks_nb.modules.Module` extends this with variables, building
and training mode; the JSON ops of :mod:`synalinks_nb.ops.json` are plain
operations whose schema logic is synchronous, so the ``+ & | ^ ~`` operators
can record graph steps without an event loop.
"""

from __future__ import annotations

import re
from typing import Any

from synalinks_nb.config import config
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.utils.tree import CONTAINERS, flatten

__all__ = ["Operation", "any_symbolic", "snake_case"]


def snake_case(name: str) -> str:
    """``ChainOfThought`` -> ``chain_of_thought``: the default name of modules, rewards, metrics.

    Example:
        >>> snake_case("ChainOfThought"), snake_case("LMAsJudge"), snake_case("F1Score")
        ('chain_of_thought', 'lm_as_judge', 'f1_score')
    """
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", name).lower()


def any_symbolic(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """True when any argument leaf is a SymbolicDataModel."""
    for value in (*args, *kwargs.values()) if kwargs else args:
        if isinstance(value, SymbolicDataModel):
            return True
        if isinstance(value, CONTAINERS) and any(
                isinstance(leaf, SymbolicDataModel) for leaf in flatten(value)):
            return True
    return False


class Operation:
    """Base of modules and JSON ops.

    Subclasses implement ``async call(...)`` (values in, values out) and
    ``async compute_output_spec(...)`` (symbolic in, symbolic out).
    """

    def __init__(self, *, name: str | None = None, description: str | None = None) -> None:
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(
                f"Expected name to be a non-empty string without '/'. Received: name={name!r}"
            )
        self.name: str = name or config.unique_name(snake_case(type(self).__name__))
        self.description: str = description or ""

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return await self.symbolic_call(*args, **kwargs)
        return await self.call(*args, **kwargs)

    async def symbolic_call(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the output schema and record the call in the graph."""
        from synalinks_nb.ops.node import record_call

        outputs = await self.compute_output_spec(*args, **kwargs)
        return record_call(self, args, kwargs, outputs)

    async def call(self, *args: Any, **kwargs: Any) -> Any:
        """Run on concrete values. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `async call`.")

    async def compute_output_spec(self, *args: Any, **kwargs: Any) -> Any:
        """Return the symbolic output for symbolic inputs. Subclasses implement it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `async compute_output_spec`."
        )

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments that recreate this operation (JSON only)."""
        return {"name": self.name, "description": self.description}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Operation:
        """Recreate an operation from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"
