"""``Module``: the unit programs are made of (Keras' ``Layer``).

A module owns its variables and its sub-modules (tracked automatically when
assigned as attributes), knows whether it is trainable, and is called with
``await module(inputs)``:

* on symbolic inputs it builds itself if needed, computes its output schema
  and records a graph node (no language model is called);
* on values it builds itself from the inputs' schemas on first use, checks
  that the inputs match what it was built for (unless ``checks_input_schema``
  is off: a Generator formats whatever arrives), and runs ``call``.

``training`` flows down to nested calls through a context variable, so a
module deep inside a program knows it is being trained. Every call on values
is also a span of the current trace when tracing records it
(:mod:`synalinks_nb.traces`): inputs, outputs, error, latency and the
versions of the module's own variables; and every call, symbolic ones too, is
shown to the module's hooks (:mod:`synalinks_nb.hooks`: its own, and the logger
and MLflow monitor the settings ask for). A module whose input
is ``None`` (a branch that did not run) returns ``None`` without calling
``call``; the logical modules opt out of that rule to implement their tables.

Subclass contract: implement ``async call(self, inputs, training=False)``;
implement ``async compute_output_spec(self, inputs, training=False)`` when
``call`` cannot be traced on symbolic inputs (anything that reads values);
implement ``async build(self, inputs)`` to create variables or sub-modules
that depend on the input schema; implement ``get_config`` to add constructor
arguments.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any, ClassVar

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.errors import InputSchemaError, ModuleError, SchemaValidationError
from synalinks_nb.hooks.dispatch import begin as hooks_begin
from synalinks_nb.hooks.dispatch import end as hooks_end
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.hook_list import HookList
from synalinks_nb.modules.module_lookup import ModuleLookupMixin
from synalinks_nb.modules.tracing import current_sample_id, training_flag
from synalinks_nb.ops.operation import Operation, any_symbolic
from synalinks_nb.traces.recorder import close_span, open_span
from synalinks_nb.traces.views import TraceList
from synalinks_nb.utils.tree import CONTAINERS, flatten, map_structure
from synalinks_nb.variables.variable import Variable

__all__ = ["Module"]


def _symbolic_of(x: Any) -> Any:
    if x is None or isinstance(x, SymbolicDataModel):
        return x
    if hasattr(x, "to_symbolic_data_model"):
        return x.to_symbolic_data_model()
    return x


class Module(ModuleLookupMixin, Operation):
    """Base class of every module and program.

    Args:
        name: unique name (default: the class name in snake case, numbered).
        description: what the module does (shown in summaries and graphs).
        trainable: whether optimizers may change its variables.
        hooks: :class:`~synalinks_nb.hooks.Hook` s told about each call (Synalinks').

    Example:
        A module that upper-cases a field, usable in any program:

        >>> import asyncio, synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> class Upper(sn.Module):
        ...     async def call(self, inputs, training=False):
        ...         return Text(text=inputs.get_json()["text"].upper())
        ...     async def compute_output_spec(self, inputs, training=False):
        ...         return Text.to_symbolic_data_model()
        >>> asyncio.run(Upper()(Text(text="hi")))
        Text(text='HI')
    """

    _skip_on_none: ClassVar[bool] = True
    # Whether a call on values must match the input schema the module was built for.
    # Modules that only render their input into a prompt (Generator and its subclasses)
    # turn it off: like Synalinks, they format whatever arrives.
    checks_input_schema: ClassVar[bool] = True
    _tracked_modules: list[Module]
    _own_variables: list[Variable]

    def __init__(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        trainable: bool = True,
        hooks: list[Hook] | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{sorted(kwargs)}"
            )
        if self.__dict__.get("_sn_initialized"):
            # Mixed programs call `super().__init__(inputs=..., outputs=...)` from `build`;
            # keep the tracked state, refresh the identity only.
            if name:
                self.name = name
            if description:
                self.description = description
            return
        object.__setattr__(self, "_tracked_modules", [])
        object.__setattr__(self, "_own_variables", [])
        super().__init__(name=name, description=description)
        self._trainable = bool(trainable)
        self.built = False
        self._input_schemas: list[dict[str, Any] | None] | None = None
        self._hooks = HookList(hooks, add_logger=False, module=self) if hooks else None
        self._sn_initialized = True

    def add_hook(self, hook: Hook) -> None:
        """Tell ``hook`` about every call of this module (see :mod:`synalinks_nb.hooks`)."""
        if self._hooks is None:
            self._hooks = HookList(add_logger=False, module=self)
        self._hooks.add_hook(hook)

    # -- tracking -------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and "_tracked_modules" in self.__dict__:
            for item in flatten(value) if isinstance(value, list | tuple | dict) else [value]:
                if isinstance(item, Module) and item not in self._tracked_modules:
                    self._tracked_modules.append(item)
                elif isinstance(item, Variable) and item not in self._own_variables:
                    self._own_variables.append(item)
        object.__setattr__(self, name, value)

    @property
    def modules(self) -> list[Module]:
        """Direct sub-modules, in the order they were assigned."""
        return list(self._tracked_modules)

    @property
    def submodules(self) -> list[Module]:
        """Every module under this one, nested ones too, breadth first, each once (not itself).

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> lm = sn.ScriptedLanguageModel()
            >>> outer = sn.Module(name="outer")
            >>> outer.inner = sn.Module(name="inner")
            >>> outer.inner.gen = sn.Generator(data_model=Answer, language_model=lm, name="gen")
            >>> [m.name for m in outer.submodules]
            ['inner', 'gen']
        """
        return list(self._walk())[1:]

    def _walk(self) -> Iterator[Module]:
        seen: set[int] = set()
        stack: list[Module] = [self]
        while stack:
            module = stack.pop(0)
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield module
            stack.extend(module._tracked_modules)

    def rename(self, name: str) -> None:
        """Give this module a new name; the paths of its own variables follow.

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> gen = sn.Generator(data_model=Answer, language_model=sn.ScriptedLanguageModel())
            >>> gen.rename("answerer")
            >>> [v.path for v in gen.variables]
            ['answerer/instructions']
        """
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError("Expected a non-empty module name without '/'. "
                             f"Received: name={name!r}")
        self.name = name
        for variable in self._own_variables:
            variable.module = name

    def owner_of(self, variable: Variable) -> Module | None:
        """The module (this one or a nested one) that created ``variable``, if any.

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> gen = sn.Generator(data_model=Answer, language_model=sn.ScriptedLanguageModel())
            >>> gen.owner_of(gen.trainable_variables[0]) is gen
            True
        """
        for module in self._walk():
            if any(v is variable for v in module._own_variables):
                return module
        return None

    @property
    def variables(self) -> list[Variable]:
        """Every variable of this module and its sub-modules."""
        out: list[Variable] = []
        for module in self._walk():
            out.extend(v for v in module._own_variables if v not in out)
        return out

    @property
    def trainable_variables(self) -> list[Variable]:
        """Variables that optimizers may change."""
        out: list[Variable] = []
        for module in self._walk():
            if module.trainable:
                out.extend(v for v in module._own_variables if v.trainable and v not in out)
        return out

    @property
    def non_trainable_variables(self) -> list[Variable]:
        """Variables that optimizers leave alone."""
        trainable = self.trainable_variables
        return [v for v in self.variables if v not in trainable]

    @property
    def trainable(self) -> bool:
        """Whether optimizers may change this module's variables (propagates down)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        for module in self._walk():
            module._trainable = bool(value)

    def add_variable(
        self,
        initializer: Any = None,
        data_model: Any = None,
        schema: dict[str, Any] | None = None,
        name: str = "variable",
        description: str = "",
        trainable: bool = True,
    ) -> Variable:
        """Create a variable owned by this module (path ``<module name>/<name>``)."""
        if any(v.name == name for v in self._own_variables):
            raise ModuleError(
                f"Expected a new variable name in module {self.name!r}. Received: {name!r}, "
                "which this module already has."
            )
        variable = Variable(
            initializer=initializer,
            data_model=data_model,
            schema=schema,
            name=name,
            module=self.name,
            description=description,
            trainable=trainable,
        )
        self._own_variables.append(variable)
        return variable

    # -- building -------------------------------------------------------------------------

    async def build(self, inputs: Any) -> None:
        """Create what depends on the input schema. The default does nothing."""
        self.built = True

    async def _ensure_built(self, args: tuple[Any, ...]) -> None:
        symbolic_inputs = map_structure(_symbolic_of, args[0]) if args else None
        if not self.built:
            await self.build(symbolic_inputs)
            self.built = True
        if self._input_schemas is None:
            self._input_schemas = [
                x.get_schema() if isinstance(x, SymbolicDataModel) else None
                for x in flatten(symbolic_inputs)
            ]

    def _check_inputs(self, inputs: Any) -> None:
        expected = self._input_schemas
        if not expected or not type(self).checks_input_schema:
            return
        leaves = flatten(inputs) if isinstance(inputs, CONTAINERS) else (inputs,)
        for leaf, schema in zip(leaves, expected, strict=False):
            if schema is None:
                continue
            get_schema = getattr(leaf, "get_schema", None)
            if get_schema is None:  # None or a plain value
                continue
            got = get_schema()
            if got is schema or got == schema:
                continue
            try:
                validate_json(leaf.get_json(), schema, what=f"the input of module {self.name!r}")
            except SchemaValidationError as exc:
                raise InputSchemaError(
                    f"Module {self.name!r} received an input that does not match the schema it "
                    f"was built for. {exc} Its output schema was fixed for that input: call "
                    "it only with inputs of that shape, or use one module per input shape "
                    "(a Generator, which formats whatever arrives, takes any input)."
                ) from exc

    # -- calling ----------------------------------------------------------------------------

    async def __call__(self, *args: Any, training: bool | None = None, **kwargs: Any) -> Any:
        if any_symbolic(args, kwargs):
            return await self._symbolic_call(args, kwargs)
        if self._skip_on_none and args and _all_none(args[0]):
            return None
        if not self.built or self._input_schemas is None:
            await self._ensure_built(args)
        self._check_inputs(args[0] if args else None)
        inputs = args[0] if len(args) == 1 else args
        hooked = hooks_begin(self, inputs, kwargs)
        span = open_span(self, inputs, current_sample_id.get())
        try:
            outputs = await self._call_in_mode(args, kwargs, training)
        except BaseException as exc:
            if span is not None:
                close_span(span, error=exc)
            hooks_end(hooked, error=exc)
            raise
        if span is not None:
            close_span(span, outputs)
        hooks_end(hooked, outputs)
        return outputs

    async def _symbolic_call(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        await self._ensure_built(args)
        from synalinks_nb.ops.node import record_call

        hooked = hooks_begin(self, args[0] if len(args) == 1 else args, kwargs, symbolic=True)
        try:
            # The node records the call without `training`: at run time the flag comes
            # from the caller (context variable), not from graph-building time.
            outputs = await self.compute_output_spec(*args, **self._with_training(kwargs, False))
        except BaseException as exc:
            hooks_end(hooked, error=exc)
            raise
        hooks_end(hooked, outputs)
        return record_call(self, args, kwargs, outputs)

    async def _call_in_mode(self, args: tuple[Any, ...], kwargs: dict[str, Any],
                            training: bool | None) -> Any:
        if training is None:
            return await self.call(*args, **self._with_training(kwargs, training_flag.get()))
        token = training_flag.set(bool(training))
        try:
            return await self.call(*args, **self._with_training(kwargs, bool(training)))
        finally:
            training_flag.reset(token)

    def _with_training(self, kwargs: dict[str, Any], training: bool | None) -> dict[str, Any]:
        if _accepts_training(type(self)):
            return {**kwargs, "training": bool(training)}
        return kwargs

    async def call(self, inputs: Any, training: bool = False) -> Any:
        """Run on values. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `async call`.")

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        """By default, trace ``call`` on the symbolic inputs (sub-modules go symbolic)."""
        try:
            return await self.call(inputs, training=training)
        except ModuleError:
            raise
        except Exception as exc:
            raise ModuleError(
                f"Could not trace {type(self).__name__}.call on symbolic inputs ({exc}). "
                "Implement `async compute_output_spec(self, inputs, training=False)` returning "
                "the output SymbolicDataModel."
            ) from exc

    @property
    def traces(self) -> TraceList:
        """The recorded calls of this module or program, oldest first (see ``sn.traces``).

        Only calls made with this object as the outermost module are listed; the
        buffer they come from (``sn.config.traces``) keeps the last 500 calls.
        """
        from synalinks_nb.config import config

        return TraceList([t for t in config.traces.all() if t.root_key == id(self)])

    # -- config ----------------------------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, as JSON (subclasses add theirs)."""
        return {"name": self.name, "description": self.description, "trainable": self.trainable}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


def _all_none(inputs: Any) -> bool:
    if not isinstance(inputs, CONTAINERS):
        return inputs is None
    return all(x is None for x in flatten(inputs))


_TRAINING_ARG: dict[type[Module], bool] = {}


def _accepts_training(cls: type[Module]) -> bool:
    hit = _TRAINING_ARG.get(cls)
    if hit is None:
        params = inspect.signature(cls.call).parameters
        hit = "training" in params or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
        )
        _TRAINING_ARG[cls] = hit
    return hit
