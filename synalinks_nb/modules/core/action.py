"""``Action``: the language model fills a tool's arguments, then the tool runs.

The output is ``{"tool", "arguments", "result"}``; ``result`` is whatever
JSON the tool returned (a DataModel result is turned into its JSON).
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.core.tool import Tool
from synalinks_nb.modules.module import Module

__all__ = ["Action"]


def action_schema(tool: Tool) -> dict[str, Any]:
    """The output schema of an Action over ``tool``."""
    return {
        "title": "ActionResult",
        "type": "object",
        "properties": {
            "tool": {"type": "string", "const": tool.name},
            "arguments": tool.schema,
            "result": {"description": "What the tool returned"},
        },
        "required": ["tool", "arguments", "result"],
        "additionalProperties": False,
    }


class Action(Module):
    """Call ``tool`` (a :class:`Tool` or a plain function) with model-chosen arguments.

    Args:
        tool: the tool, or a function to wrap in one (Synalinks' keyword: ``tool=``).
        language_model: model that fills the arguments (``None``: the default).
        **kwargs: other :class:`Generator` arguments (``instructions``, ``examples``...)
            and ``name``, ``description``, ``trainable``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> def multiply(a: float, b: float) -> float:
        ...     '''Multiply two numbers.'''
        ...     return a * b
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"a": 6, "b": 7}])
        >>> out = asyncio.run(sn.Action(multiply, language_model=lm)(Query(query="6 times 7?")))
        >>> out["result"]
        42
    """

    def __init__(self, tool: Any = None, language_model: Any = None, name: str | None = None,
                 description: str | None = None, trainable: bool = True,
                 **generator_kwargs: Any) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if tool is None:
            raise ModuleError("Expected a tool or function for Action. Received: tool=None")
        self.tool = tool if isinstance(tool, Tool) else Tool(tool)
        generator_kwargs.setdefault(
            "instructions", f"Choose the arguments to call `{self.tool.name}`: "
            f"{self.tool.description}",
        )
        self.generator = Generator(schema=self.tool.schema, language_model=language_model,
                                   name=f"{self.name}_arguments", **generator_kwargs)
        self.schema = action_schema(self.tool)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        arguments = (await self.generator(inputs)).get_json()
        result = await self.tool(**arguments)
        if hasattr(result, "get_json"):
            result = result.get_json()
        return JsonDataModel(schema=self.schema, json={
            "tool": self.tool.name, "arguments": arguments, "result": result})

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        await self.generator(inputs)
        return SymbolicDataModel(schema=self.schema, name=self.name)
