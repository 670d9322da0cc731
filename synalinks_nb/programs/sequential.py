"""``Sequential``: a straight chain of modules, each fed the previous one's output."""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.input import InputModule
from synalinks_nb.modules.module import Module
from synalinks_nb.programs.functional import FunctionalGraph
from synalinks_nb.programs.program import Program

__all__ = ["Sequential"]


class Sequential(Program):
    """A program that chains ``modules`` in order.

    The first element may be ``sn.Input(...)``; otherwise the chain is built
    from the first input it receives.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"answer": "4"}])
        >>> program = sn.Sequential([sn.Input(data_model=Query),
        ...                          sn.Generator(data_model=Answer, language_model=lm)])
        >>> asyncio.run(program(Query(query="2+2")))["answer"]
        '4'
    """

    def __init__(self, modules: list[Any] | None = None, name: str | None = None,
                 description: str | None = None, trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        self._input: SymbolicDataModel | None = None
        self._layers: list[Module] = []
        for module in modules or []:
            self.add(module, rebuild=False)
        self._maybe_rebuild()

    def add(self, module: Any, rebuild: bool = True) -> None:
        """Append a module (or, first, an ``sn.Input``).

        Args:
            module: The module, or the ``sn.Input(...)`` the chain starts from.
            rebuild: Build the graph now when the chain starts from an ``sn.Input`` (so
                ``built``, ``summary()`` and ``graph()`` show the output schemas at once);
                with ``False``, the graph is built on the next call.
        """
        if isinstance(module, SymbolicDataModel):
            if self._layers or self._input is not None:
                raise ModuleError("Expected sn.Input only as the first element of a Sequential.")
            self._input = module
        elif isinstance(module, Module):
            self._layers.append(module)
            if module not in self._tracked_modules:
                self._tracked_modules.append(module)
        else:
            raise ModuleError(
                "Expected a Module or sn.Input for Sequential.add. "
                f"Received: {type(module).__name__}"
            )
        self._invalidate()
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild: bool = True) -> Module:
        """Remove and return the last module.

        Args:
            rebuild: Build the remaining chain now (see :meth:`add`); with ``False``, on the
                next call.
        """
        if not self._layers:
            raise ModuleError("Expected a non-empty Sequential to pop from. Received: no modules.")
        module = self._layers.pop()
        self._tracked_modules.remove(module)
        self._invalidate()
        if rebuild:
            self._maybe_rebuild()
        return module

    def _maybe_rebuild(self) -> None:
        """Build the graph when the chain starts from a known input and has a module."""
        # Imported here: serialization imports this module to register Sequential.
        from synalinks_nb.programs.serialization import run_sync

        if self._input is not None and self._layers:
            run_sync(self.build(self._input))

    @property
    def layers(self) -> list[Module]:
        """The chained modules, in order."""
        return list(self._layers)

    def _invalidate(self) -> None:
        self._functional = None
        self.built = False
        self._input_schemas = None

    async def build(self, inputs: Any) -> None:
        if self._input is None:
            self._input = InputModule(schema=inputs.get_schema()).output
        x: Any = self._input
        for module in self._layers:
            x = await module(x)
        self._set_graph(FunctionalGraph(self._input, x))

    async def _ensure_built(self, args: tuple[Any, ...]) -> None:
        if self._functional is None and self._input is not None:
            await self.build(self._input)
        await super()._ensure_built(args)
