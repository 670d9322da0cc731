"""Synalinks' lookups and copies on a module: ``get_variable``, ``clone``, ``get_arity``.

A mixin of :class:`~synalinks_nb.modules.module.Module`, kept apart so that the module
base stays about building and calling.
"""

from __future__ import annotations

import inspect
from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.variables.variable import Variable

__all__ = ["ModuleLookupMixin"]


def _share_models(original: Any, copy: Any) -> None:
    """Give the copy the original's model objects: a config holds a model's settings but
    not its code (a scripted model's handler) nor its cache and counters."""
    from synalinks_nb.language_models.base import BaseLanguageModel
    from synalinks_nb.language_models.embedding_model import EmbeddingModel
    from synalinks_nb.modules.core.language_model_ref import LanguageModelRef

    for mine, theirs in zip(original._walk(), copy._walk(), strict=False):
        for attribute, value in vars(mine).items():
            if (isinstance(value, BaseLanguageModel | EmbeddingModel | LanguageModelRef)
                    and attribute in vars(theirs)):
                object.__setattr__(theirs, attribute, value)


class ModuleLookupMixin:
    """``get_variable``, ``clone`` and ``get_arity`` (Synalinks' names)."""

    def get_variable(self, name: str | None = None, index: int | None = None) -> Variable:
        """One of this module's variables, by name or by index (in creation order).

        Raises:
            ModuleError: both or neither are given, or no variable matches.

        Example:
            >>> import synalinks_nb as sn
            >>> class Answer(sn.DataModel):
            ...     answer: str
            >>> gen = sn.Generator(data_model=Answer, language_model=sn.ScriptedLanguageModel(),
            ...                    name="gen")
            >>> gen.get_variable(name="instructions").path, gen.get_variable(index=0).path
            ('gen/instructions', 'gen/instructions')
        """
        variables: list[Variable] = getattr(self, "variables")  # noqa: B009
        if (name is None) == (index is None):
            raise ModuleError("Expected either a variable name or an index. "
                              f"Received: name={name!r}, index={index!r}")
        if index is not None:
            if not -len(variables) <= index < len(variables):
                raise ModuleError(f"Expected a variable index below {len(variables)}. "
                                  f"Received: index={index}")
            return variables[index]
        for variable in variables:
            if variable.name == name:
                return variable
        raise ModuleError(f"Expected the name of a variable among {[v.name for v in variables]}. "
                          f"Received: name={name!r}")

    def clone(self, name: str | None = None) -> Any:
        """A new module made from this one's config, with variables of its own (starting
        from what the config holds: a generator's current instructions, for one).

        Example:
            >>> import synalinks_nb as sn
            >>> copy = sn.Identity(name="same").clone(name="other")
            >>> type(copy).__name__, copy.name
            ('Identity', 'other')
        """
        from synalinks_nb.modules.serialization import deserialize_module, serialize_module

        config = serialize_module(self)
        # Without a name given, the copy is named like any new module of its class.
        config["config"] = {**config["config"], "name": name}
        copy = deserialize_module(config)
        _share_models(self, copy)
        return copy

    @classmethod
    def get_arity(cls) -> int:
        """How many arguments ``call`` takes, besides ``self`` and ``training``."""
        parameters = inspect.signature(getattr(cls, "call")).parameters  # noqa: B009
        return len([p for p in parameters if p not in ("self", "training")])
