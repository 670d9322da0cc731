"""``Input``: the entry point of a functional program.

``sn.Input(data_model=Query)`` returns a :class:`SymbolicDataModel` whose graph
history points at an :class:`InputModule`, exactly as ``keras.Input`` returns
a symbolic tensor produced by an ``InputLayer``.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.data_model import schema_of
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.module import Module
from synalinks_nb.ops.node import Node

__all__ = ["Input", "InputModule"]


class InputModule(Module):
    """The graph node standing for one program input. It passes values through."""

    def __init__(
        self,
        schema: dict[str, Any] | None = None,
        data_model: Any = None,
        name: str | None = None,
        description: str | None = None,
        optional: bool = False,
    ) -> None:
        if schema is None:
            if data_model is None:
                raise ModuleError("Expected a data_model or a schema for Input. Received neither.")
            schema = schema_of(data_model)
        elif not isinstance(schema, dict):
            raise TypeError(f"Expected schema to be a JSON schema dict. "
                            f"Received: {type(schema).__name__}")
        super().__init__(name=name, description=description, trainable=False)
        self.schema = schema
        self.optional = bool(optional)
        self.built = True
        self._input_schemas = [schema]
        self.output = SymbolicDataModel(schema=schema, name=self.name)
        Node(self, (), {}, self.output)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return inputs

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return self.output

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"schema": self.schema, "name": self.name,
                                  "description": self.description}
        if self.optional:
            config["optional"] = True
        return config


def Input(
    data_model: Any = None,
    schema: dict[str, Any] | None = None,
    name: str | None = None,
    description: str | None = None,
    optional: bool = False,
) -> SymbolicDataModel:
    """A symbolic program input.

    ``optional=True`` marks an input that may be ``None`` (Synalinks' flag, kept in the
    program's config). As in Synalinks, any input may be ``None`` at run time: the
    modules it feeds then get ``None``, and ``|`` picks whichever input is present.

    Example:
        >>> import synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> x = sn.Input(data_model=Query)
        >>> list(x.keys())
        ['query']
    """
    return InputModule(schema=schema, data_model=data_model, name=name,
                       description=description, optional=optional).output
