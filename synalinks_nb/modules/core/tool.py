"""``Tool``: a Python function a language model can call, with a schema from its signature.

The parameter schema comes from the type hints (through pydantic) and the
parameter descriptions from the Google-style ``Args:`` section of the
docstring; the tool description is the docstring's first paragraph.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, get_type_hints

import pydantic

from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.errors import ModuleError

__all__ = ["Tool"]


def _docstring_parts(fn: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    doc = inspect.getdoc(fn) or ""
    summary = doc.split("\n\n", 1)[0].strip()
    params: dict[str, str] = {}
    match = re.search(r"^Args:\s*\n((?:[ \t]+.*\n?)+)", doc, flags=re.MULTILINE)
    if match:
        current = None
        for line in match.group(1).splitlines():
            item = re.match(r"\s+(\w+)(?:\s*\(.*?\))?:\s*(.*)", line)
            if item and (current is None or not line.startswith(" " * 8)):
                current = item.group(1)
                params[current] = item.group(2).strip()
            elif current:
                params[current] = f"{params[current]} {line.strip()}".strip()
    return summary, params


class Tool:
    """Wrap a function (sync or async) so a language model can call it.

    ``sn.utils.Tool`` is this class too: Synalinks keeps an older tool wrapper
    there (async functions only, ``get_tool_schema()``); this one takes both.

    Args:
        func: the function (Synalinks' keyword: ``func=``).
        name: the tool's name (default: the function's).
        description: what the tool does (default: the docstring's first paragraph).
        schema: the JSON schema of its keyword arguments (default: from the signature).
        trainable: Synalinks' keyword, kept as an attribute: a tool holds no trainable
            variable (here, nor in Synalinks), so there is nothing for it to switch.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> async def add(a: int, b: int) -> int:
        ...     '''Add two integers.
        ...
        ...     Args:
        ...         a: The first number.
        ...         b: The second number.
        ...     '''
        ...     return a + b
        >>> tool = sn.Tool(func=add)
        >>> tool.schema["properties"]["a"]
        {'description': 'The first number.', 'title': 'A', 'type': 'integer'}
        >>> asyncio.run(tool(a=2, b=3))
        5
    """

    def __init__(self, func: Callable[..., Any], name: str | None = None,
                 description: str | None = None, schema: dict[str, Any] | None = None,
                 trainable: bool = False) -> None:
        if not callable(func):
            raise ModuleError(f"Expected a callable for Tool. Received: {type(func).__name__}")
        self.fn = func
        self.trainable = trainable
        self.name = name or func.__name__
        summary, docs = _docstring_parts(func)
        self.description = description or summary
        # An explicit schema serves tools whose arguments are only known as JSON schema
        # (MCP servers' tools); otherwise it comes from the signature.
        self.schema = self._build_schema(docs) if schema is None else self._given(schema)

    def _given(self, schema: dict[str, Any]) -> dict[str, Any]:
        if schema.get("type", "object") != "object":
            raise ModuleError(f"Expected an object schema for the arguments of tool "
                              f"{self.name!r}. Received: {schema!r}")
        given = {"type": "object", "properties": {}, **schema, "title": self.name}
        if self.description:
            given["description"] = self.description
        return given

    def _build_schema(self, docs: dict[str, str]) -> dict[str, Any]:
        hints = get_type_hints(self.fn)
        fields: dict[str, Any] = {}
        for param in inspect.signature(self.fn).parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            annotation = hints.get(param.name, Any)
            default = ... if param.default is param.empty else param.default
            fields[param.name] = (
                annotation, pydantic.Field(default, description=docs.get(param.name)),
            )
        model = pydantic.create_model(
            f"{self.name}_arguments", __config__=pydantic.ConfigDict(extra="forbid"), **fields
        )
        schema: dict[str, Any] = model.model_json_schema()
        schema["title"] = self.name
        if self.description:
            schema["description"] = self.description
        return schema

    async def __call__(self, **kwargs: Any) -> Any:
        validate_json(kwargs, self.schema, what=f"the arguments of tool {self.name!r}")
        result = self.fn(**kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    def get_tool_schema(self) -> dict[str, Any]:
        """The JSON schema of the tool's arguments (Synalinks' name for :attr:`schema`)."""
        return dict(self.schema)

    def __repr__(self) -> str:
        return f"<Tool name={self.name!r}>"
