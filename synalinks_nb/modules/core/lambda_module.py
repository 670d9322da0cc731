"""``Lambda``: plain Python code as a module (Keras' ``Lambda`` layer).

The function (sync or async) receives the module's inputs and returns a
DataModel, a JsonDataModel, a dict (validated against ``output_schema``) or
``None``. The output schema comes from ``data_model`` / ``schema`` (Synalinks'
arguments), or else from tracing the function on symbolic inputs (which
works when it only uses data-model operators and ``sn.ops``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.module import Module
from synalinks_nb.utils.registry import get_registered_name

__all__ = ["Lambda"]


class Lambda(Module):
    """Wrap a function as a module.

    Args:
        function: the function (sync or async); it receives the module's inputs.
        schema: the JSON schema of what it returns.
        data_model: the DataModel class of what it returns (instead of ``schema``).
        name: the module's name.
        description: the module's description.
        trainable: whether the module is trainable (it has no variables).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> shout = sn.Lambda(lambda x: {"text": x["text"].upper()}, data_model=Text)
        >>> asyncio.run(shout(Text(text="hi").to_json_data_model()))["text"]
        'HI'
    """

    _skip_on_none = False

    def __init__(self, function: Callable[..., Any] | None = None,
                 schema: dict[str, Any] | None = None, data_model: Any = None,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = False) -> None:
        if not callable(function):
            raise ModuleError(f"Expected a callable for Lambda. Received: {function!r}")
        super().__init__(name=name, description=description, trainable=trainable)
        self.function = function
        if schema is None and data_model is not None:
            schema = data_model.get_schema()
        self.output_schema = schema

    async def _apply(self, inputs: Any) -> Any:
        result = self.function(inputs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def call(self, inputs: Any, training: bool = False) -> Any:
        result = await self._apply(inputs)
        if isinstance(result, dict):
            if self.output_schema is None:
                raise ModuleError(
                    f"Lambda {self.name!r} returned a dict but has no output schema. "
                    "Give data_model= or schema=, or return a DataModel."
                )
            return JsonDataModel(schema=self.output_schema, json=result, name=self.name)
        return result

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        if self.output_schema is not None:
            return SymbolicDataModel(schema=self.output_schema, name=self.name)
        try:
            return await self._apply(inputs)
        except Exception as exc:
            raise ModuleError(
                f"Could not trace Lambda {self.name!r} on symbolic inputs ({exc}). "
                "Give data_model= or schema=."
            ) from exc

    def get_config(self) -> dict[str, Any]:
        # A function registered with @register_synalinks_serializable() is saved under its
        # registered name ("<package>>name") and found again at load without custom_objects.
        name = (get_registered_name(self.function) if hasattr(self.function, "__name__")
                else "lambda")
        return {**super().get_config(), "function": name, "schema": self.output_schema}
