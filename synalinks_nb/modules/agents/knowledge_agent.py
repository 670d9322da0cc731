"""``KnowledgeAgent``: a ``FunctionCallingAgent`` born with tools bound to a knowledge base.

Synalinks' ``SQLAgent``, ``CypherAgent`` and ``VectorRAGAgent`` are one idea three times:
a function-calling agent whose first tools read a :class:`~synalinks_nb.KnowledgeBase`
(its schema, a sample, a query or a search), whose default instructions name what the
knowledge base holds, and that caps every result at ``k`` rows so a runaway query cannot
fill the conversation. This base owns that part; each agent gives its tools
(:meth:`KnowledgeAgent.builtin_tools`) and instructions. Safety stays with the
knowledge base: its ``sql``/``cypher`` refuse anything but reads.

User ``tools`` come after the built-in ones; a name clash is an error. The saved config
holds the knowledge base's config and the user tools' names only: the built-in tools
are rebuilt from the knowledge base on loading.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.modules.agents.function_calling_agent import FunctionCallingAgent
from synalinks_nb.modules.core.tool import Tool

__all__ = ["KnowledgeAgent", "row_count"]

OUTPUT_FORMATS = ("csv", "json")


def row_count(results: Any, output_format: str) -> int:
    """Rows in a result: a CSV string's lines after the header, or a list's length.

    Example:
        >>> row_count("a,b\\n1,2\\n3,4\\n", "csv"), row_count([{"a": 1}], "json")
        (2, 1)
    """
    if output_format == "csv":
        return max(len(str(results or "").splitlines()) - 1, 0)
    return len(results or [])


class KnowledgeAgent(FunctionCallingAgent):
    """Base of the agents whose first tools read a knowledge base.

    Subclasses implement :meth:`builtin_tools` (plain functions, sync or async, with
    Google-style docstrings: they become :class:`Tool` s) and :meth:`default_instructions`.

    Args:
        knowledge_base: the knowledge base the tools read (required).
        k: rows at most per tool result (a positive int).
        output_format: ``"csv"`` (fewer tokens) or ``"json"`` for the tools' rows.
        tools: more tools, after the built-in ones.
        instructions: the agent's instructions (default: the subclass's, naming what the
            knowledge base holds).
        **kwargs: the rest of :class:`FunctionCallingAgent`'s arguments.
    """

    kind = "knowledge"

    def __init__(self, *, knowledge_base: Any = None, k: int = 50,
                 output_format: str = "csv", tools: Any = None,
                 instructions: str | None = None, **kwargs: Any) -> None:
        name = type(self).__name__
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError(f"Expected knowledge_base to be a KnowledgeBase for {name}. "
                              f"Received: {knowledge_base!r}")
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ModuleError(f"Expected k to be a positive int. Received: k={k!r}")
        if output_format not in OUTPUT_FORMATS:
            raise ModuleError(f"Expected output_format to be one of {OUTPUT_FORMATS}. "
                              f"Received: output_format={output_format!r}")
        self.knowledge_base, self.k, self.output_format = knowledge_base, k, output_format
        builtin = [Tool(fn) for fn in self.builtin_tools()]
        self.builtin_names = [t.name for t in builtin]
        extra = [t if isinstance(t, Tool) else Tool(t) for t in _items(tools)]
        clash = sorted({t.name for t in extra} & set(self.builtin_names))
        if clash:
            raise ModuleError(f"Expected tools whose names differ from {name}'s built-in "
                              f"{self.builtin_names}. Received: {clash}")
        super().__init__(tools=[*builtin, *extra],
                         instructions=instructions or self.default_instructions(), **kwargs)

    def builtin_tools(self) -> list[Callable[..., Any]]:
        """The functions the agent always has, bound to ``self.knowledge_base``."""
        raise NotImplementedError(f"{type(self).__name__} must implement builtin_tools()")

    def default_instructions(self) -> str:
        """The instructions used when none are given."""
        raise NotImplementedError(f"{type(self).__name__} must implement "
                                  "default_instructions()")

    def table_names(self) -> list[str]:
        """The names of the knowledge base's tables."""
        return [str(m.get_schema().get("title")) for m in
                self.knowledge_base.get_symbolic_data_models()]

    def capped(self, results: Any) -> Any:
        """At most ``k`` rows of a result (a CSV string keeps its header)."""
        if self.output_format == "csv":
            lines = str(results or "").splitlines()
            return "\n".join(lines[: self.k + 1]) + ("\n" if len(lines) > 1 else "")
        return list(results or [])[: self.k]

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["tools"] = [t for t in config["tools"] if t not in self.builtin_names]
        return {**config, "knowledge_base": self.knowledge_base.get_config(),
                "k": self.k, "output_format": self.output_format}

    @classmethod
    def from_config(cls, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> Any:
        config = dict(config)
        config["knowledge_base"] = KnowledgeBase.from_config(config["knowledge_base"])
        return super().from_config(config, custom_objects)


def _items(tools: Any) -> list[Any]:
    return list(tools.values()) if isinstance(tools, dict) else list(tools or [])
