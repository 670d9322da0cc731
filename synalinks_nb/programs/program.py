"""``Program``: a module made of modules — functional, subclassed or mixed (Keras' ``Model``).

Three ways to make one, as in Keras and Synalinks:

* **functional** — ``Program(inputs=x, outputs=y)`` over symbolic data
  models; the :class:`FunctionalGraph` between them is what runs;
* **subclassed** — override ``__init__`` and ``async call``; ``build`` traces
  ``call`` on symbolic inputs to draw the graph (no model is called);
* **mixed** — a subclass whose ``async build(inputs)`` creates modules and
  calls ``super().__init__(inputs=..., outputs=...)``.

A Program owns its graph and its modules. Training (``compile``/``fit``...)
comes from the :class:`~synalinks_nb.trainers.trainer.Trainer` mixin, which
sees programs only through the Module API. Display: ``graph()`` is the JSON
the widgets and the static SVG render, ``summary()`` a text table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError, SymbolicValueError
from synalinks_nb.modules.core.input import InputModule
from synalinks_nb.modules.module import Module
from synalinks_nb.ops.operation import any_symbolic
from synalinks_nb.programs.functional import FunctionalGraph
from synalinks_nb.programs.graph import describe_graph
from synalinks_nb.programs.invocations import Invocations, count_invocation
from synalinks_nb.programs.state_tree import assign_state_tree
from synalinks_nb.programs.state_tree import state_tree as read_state_tree
from synalinks_nb.programs.summary import summary_text
from synalinks_nb.trainers.trainer import Trainer
from synalinks_nb.utils.tree import map_structure
from synalinks_nb.variables.variable import Variable

__all__ = ["Program", "as_program_input"]


def as_program_input(x: Any) -> SymbolicDataModel:
    """``x`` as a symbolic program input (an ``sn.Input``), from any data model kind."""
    if isinstance(x, SymbolicDataModel) and isinstance(
        getattr(x._history, "operation", None), InputModule
    ):
        return x
    return InputModule(schema=x.get_schema()).output


class Program(Trainer, Module):
    """A program of modules.

    Args:
        inputs: symbolic inputs (``sn.Input(...)``, or nested lists/dicts of them).
        outputs: symbolic outputs computed from ``inputs``.
        name, description, trainable: as for every module.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        >>> async def make():
        ...     inputs = sn.Input(data_model=Query)
        ...     outputs = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
        ...     return sn.Program(inputs=inputs, outputs=outputs, name="qa")
        >>> program = asyncio.run(make())
        >>> asyncio.run(program(Query(query="Capital of France?")))["answer"]
        'Paris'
        >>> [n["type"] for n in program.graph()["nodes"]]
        ['Input', 'Generator']
    """

    def __init__(
        self,
        inputs: Any = None,
        outputs: Any = None,
        name: str | None = None,
        description: str | None = None,
        trainable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, description=description, trainable=trainable, **kwargs)
        self._functional: FunctionalGraph | None = self.__dict__.get("_functional")
        self._display_graph: FunctionalGraph | None = None
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ModuleError("Expected both inputs= and outputs= for a functional Program.")
            self._set_graph(FunctionalGraph(inputs, outputs))

    def _set_graph(self, graph: FunctionalGraph) -> None:
        self._functional = graph
        for node in graph.nodes:
            op = node.operation
            if isinstance(op, Module) and op not in self._tracked_modules:
                self._tracked_modules.append(op)
        self._input_schemas = [x.get_schema() for x in graph.flat_inputs]
        self.built = True

    @property
    def inputs(self) -> Any:
        """The symbolic inputs (functional and mixed programs)."""
        return self._functional.inputs if self._functional else None

    @property
    def outputs(self) -> Any:
        """The symbolic outputs (functional and mixed programs)."""
        return self._functional.outputs if self._functional else None

    # -- building and calling ------------------------------------------------------------

    async def build(self, inputs: Any) -> None:
        """Subclassed programs: trace ``call`` on symbolic inputs to learn the graph."""
        if self._functional is not None:
            return
        traced_inputs = map_structure(as_program_input, inputs)
        try:
            outputs = await self.call(traced_inputs, training=False)
        except SymbolicValueError:
            # `call` reads values (Synalinks allows it): the program runs, but has no traced
            # graph to draw; its modules and variables are known from its attributes.
            self._display_graph = None
            self.built = True
            return
        try:
            self._display_graph = FunctionalGraph(traced_inputs, outputs)
        except Exception:
            self._display_graph = None
        self.built = True

    async def _ensure_built(self, args: tuple[Any, ...]) -> None:
        if not self.built and args:
            args = (map_structure(as_program_input, args[0]), *args[1:])
        await super()._ensure_built(args)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if self._functional is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no graph: give Program(inputs=..., outputs=...) or "
                "implement `async call(self, inputs, training=False)`."
            )
        return await self._functional.run(inputs)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        if self._functional is not None:
            return map_structure(
                lambda x: SymbolicDataModel(schema=x.get_schema(), name=x.name),
                self._functional.outputs,
            )
        return await super().compute_output_spec(inputs, training=training)

    async def __call__(self, *args: Any, training: bool | None = None, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return await super().__call__(*args, training=training, **kwargs)
        return await count_invocation(
            self.invocations, lambda: super(Program, self).__call__(
                *args, training=training, **kwargs))

    @property
    def invocations(self) -> dict[str, Invocations]:
        """Calls of this program from outside, per usage phase (``"inference"``...)."""
        counters: dict[str, Invocations] | None = self.__dict__.get("_invocations")
        if counters is None:
            counters = self.__dict__["_invocations"] = {}
        return counters

    # -- training --------------------------------------------------------------------------

    def compile(self, *args: Any, **kwargs: Any) -> None:
        """Configure training (see :meth:`Trainer.compile`), then bind the metrics that read
        the program itself (Synalinks' operational metrics: ``Cost``, ``TotalTokens``...)."""
        super().compile(*args, **kwargs)
        for metric in self.metrics:
            bind = getattr(metric, "bind_program", None)
            if callable(bind):
                bind(self)

    # -- inspection ----------------------------------------------------------------------

    def graph(self, parent: str | None = None) -> dict[str, Any]:
        """The JSON description of the program (see :mod:`synalinks_nb.programs.graph`)."""
        graph = self._functional or self._display_graph
        return describe_graph(self.name, graph, self.modules, parent=parent)

    def summary(self, line_length: int | None = None, positions: Sequence[float] | None = None,
                print_fn: Callable[[str], Any] | None = None, expand_nested: bool = True,
                show_trainable: bool = False, module_range: Sequence[str] | None = None) -> None:
        """Print a table of modules, output schemas and trainable variables.

        Args:
            line_length: Total width of the table; by default, as wide as its content.
            positions: Right edges of the columns, fractions of ``line_length`` (all at most
                1) or character positions; one per column.
            print_fn: Called with the whole table (default: ``print``).
            expand_nested: Whether the modules of nested programs get rows of their own
                (Synalinks' default is ``False``; ours shows them).
            show_trainable: Add a column saying whether each module has trainable variables.
            module_range: ``(first, last)`` module names or regular expressions: print
                from the first module matching ``first`` to the last matching ``last``.

        Raises:
            ConfigError: ``positions`` or ``module_range`` do not fit the table.

        Example:
            >>> import synalinks_nb as sn
            >>> program = sn.Sequential([sn.Input(data_model=sn.ChatMessage),
            ...                          sn.Identity(name="same")], name="echo")
            >>> program.summary(show_trainable=True, module_range=("same", "same"))
            ... # doctest: +NORMALIZE_WHITESPACE
            Program: "echo"
            ...
            same (Identity) │ ... │ - │ N
            ...
        """
        text = summary_text(self.graph(), self.name, len(self.trainable_variables),
                            line_length=line_length, positions=positions,
                            expand_nested=expand_nested, show_trainable=show_trainable,
                            module_range=module_range)
        (print_fn or print)(text)

    def get_module(self, name: str | None = None, index: int | None = None) -> Module:
        """A module by name or by index (in graph order)."""
        modules = self.submodules
        if index is not None:
            if not -len(modules) <= index < len(modules):
                raise ModuleError(
                    f"Expected a module index in [0, {len(modules) - 1}]. Received: {index}"
                )
            return modules[index]
        for module in modules:
            if module.name == name:
                return module
        raise ModuleError(
            f"Expected the name of a module of {self.name!r} "
            f"({', '.join(m.name for m in modules)}). Received: {name!r}"
        )

    def get_variable(self, name: str | None = None, index: int | None = None) -> Variable:
        """A variable by path (``module/name``), by name when unambiguous, or by index."""
        if index is not None or name is None:
            return super().get_variable(name=name, index=index)
        matches = [v for v in self.variables if name in (v.path, v.name)]
        if len(matches) != 1:
            raise ModuleError(
                f"Expected the path of one variable of {self.name!r} "
                f"({', '.join(v.path for v in self.variables)}). Received: {name!r}"
            )
        return matches[0]

    def __repr__(self) -> str:
        kind = "functional" if self._functional else "subclassed"
        return (f"<Program name={self.name!r} ({kind}) modules={len(self.modules)} "
                f"trainable_variables={len(self.trainable_variables)}>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        """The interactive graph widget when the notebook extra is installed, else static HTML."""
        try:
            # Display only: the notebook layer is looked up at display time, never imported
            # by the core at import time.
            from synalinks_nb.notebook.program_graph import ProgramGraph
        except ImportError:
            return {"text/plain": repr(self), "text/html": self._repr_html_()}
        # One widget for every display of this program: displays add no listeners.
        bundle = ProgramGraph.for_program(self)._repr_mimebundle_(include=include, exclude=exclude)
        if bundle is None:
            return {"text/plain": repr(self), "text/html": self._repr_html_()}
        return bundle

    def _repr_html_(self) -> str:
        from synalinks_nb.visualization.graph_svg import graph_to_html

        lines: list[str] = []
        self.summary(print_fn=lines.append)
        return graph_to_html(self.graph(), summary_text="\n".join(lines))

    # -- saving ----------------------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """The config that recreates this program (the graph, for functional programs)."""
        from synalinks_nb.programs.serialization import program_config

        return program_config(self)

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> Program:
        """Recreate a program from :meth:`get_config`'s output (registered classes only)."""
        from synalinks_nb.programs.serialization import program_from_config

        return program_from_config(cls, config, custom_objects)

    def get_build_config(self) -> dict[str, Any] | None:
        """The input schemas a subclassed or mixed program was built on (``None``: nothing to do).

        Saved beside :meth:`get_config`; :meth:`build_from_config` rebuilds on them (Keras'
        names). Functional and Sequential programs rebuild from their config alone.
        """
        from synalinks_nb.programs.serialization import build_config

        return build_config(self)

    def build_from_config(self, config: dict[str, Any] | None) -> None:
        """Build on the input schemas recorded by :meth:`get_build_config`."""
        from synalinks_nb.programs.serialization import build_from_config

        build_from_config(self, config)

    def to_json(self, **kwargs: Any) -> str:
        """The whole save file (architecture, compile config, variables) as a JSON string.

        ``kwargs`` go to :func:`json.dumps` (e.g. ``indent=2``). Read it back with
        :func:`synalinks_nb.saving.program_from_json`.
        """
        from synalinks_nb.saving.saving_api import program_to_json

        return program_to_json(self, **kwargs)

    def save(self, filepath: Any, overwrite: bool = True) -> None:
        """Save everything to a JSON file, atomically (see :mod:`synalinks_nb.saving`)."""
        from synalinks_nb.saving.saving_api import save_program

        save_program(self, filepath, overwrite=overwrite)

    @classmethod
    def load(
        cls, filepath: Any, custom_objects: dict[str, Any] | None = None, *,
        language_model: Any = None, trusted_api_bases: Sequence[str] | None = None,
        safe_mode: bool = True,
    ) -> Program:
        """Load a program saved with :meth:`save` (only built-in and registered classes).

        ``language_model`` gives back models a file cannot hold (a scripted
        handler, a password in an ``api_base``): one model for all, or ``{saved
        name: model}``. A file's ``api_base`` must be trusted (``trusted_api_bases``,
        ``sn.config.trusted_api_bases``, or ``safe_mode=False``): your keys would
        go there. See :func:`synalinks_nb.saving.load_program`.
        """
        from synalinks_nb.saving.saving_api import load_program

        program: Program = load_program(
            filepath, custom_objects=custom_objects, language_model=language_model,
            trusted_api_bases=trusted_api_bases, safe_mode=safe_mode)
        return program

    def save_variables(self, filepath: Any, overwrite: bool = True) -> None:
        """Save every variable's value and version history to a JSON file, atomically."""
        from synalinks_nb.saving.saving_api import save_variables

        save_variables(self, filepath, overwrite=overwrite)

    def load_variables(self, filepath: Any) -> None:
        """Restore variables saved with :meth:`save_variables` (matched by path)."""
        from synalinks_nb.saving.saving_api import load_variables

        load_variables(self, filepath)

    def get_state_tree(self) -> dict[str, Any]:
        """The variables' values nested by path, in Synalinks' groups (see
        :mod:`synalinks_nb.programs.state_tree`).

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> program = sn.Sequential([sn.Input(data_model=Answer), sn.Generator(
            ...     data_model=Answer, language_model=sn.ScriptedLanguageModel(responses=[]),
            ...     name="gen")], name="qa")
            >>> tree = program.get_state_tree()
            >>> sorted(tree["trainable_variables"]["gen"])
            ['instructions']
            >>> tree["trainable_variables"]["gen"]["instructions"]["instructions"] = "Be brief."
            >>> program.set_state_tree(tree)
            >>> program.trainable_variables[0].value["instructions"]
            'Be brief.'
        """
        return read_state_tree(self)

    def set_state_tree(self, state_tree: dict[str, Any]) -> None:
        """Assign values given as :meth:`get_state_tree` returns them (each a new version,
        recorded as loaded)."""
        assign_state_tree(self, state_tree)
