"""Synalinks' variable scopes: ``StatelessScope``, ``SymbolicScope`` and ``name_scope``.

All three are context variables, so they hold for the code (and the tasks it
starts) inside the ``with`` block and nowhere else: concurrent tasks outside
never see them.

* :class:`StatelessScope` — inside it, variables read the values it was given
  and an assignment is collected by the scope instead of changing the variable
  (no version is recorded, no listener told). It reuses the overlay that scores
  optimizer candidates (:func:`~synalinks_nb.variables.variable.candidate_values`).
* :class:`SymbolicScope` — a marker, as in Synalinks. Nothing here changes
  inside it: whether a call is symbolic is decided by its arguments
  (:class:`~synalinks_nb.SymbolicDataModel`), so this is a thin compatibility name.
* :func:`name_scope` — prefixes the path of variables created inside it without
  an owning module (``sn.Variable(...)``). A module's variables keep the path
  ``<module>/<name>``: saving, widgets and optimizers rely on it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from synalinks_nb.errors import VariableError

__all__ = [
    "StatelessScope",
    "SymbolicScope",
    "current_path",
    "get_stateless_scope",
    "in_stateless_scope",
    "in_symbolic_scope",
    "name_scope",
]

_stateless: contextvars.ContextVar[StatelessScope | None] = contextvars.ContextVar(
    "sn_stateless_scope", default=None)
_symbolic: contextvars.ContextVar[SymbolicScope | None] = contextvars.ContextVar(
    "sn_symbolic_scope", default=None)
_names: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "sn_name_scope", default=())


class StatelessScope:
    """Run code without changing any variable (Synalinks' ``synalinks.StatelessScope``).

    Args:
        state_mapping: ``[(variable, value), ...]``: what those variables read
            inside the scope (each value is validated against its variable).
        collect_rewards: kept for Synalinks' signature; rewards added with
            :meth:`add_reward` are collected either way.
        initialize_variables: kept for Synalinks' signature (variables here are
            initialised when created).

    Example:
        >>> import synalinks_nb as sn
        >>> v = sn.Variable({"instructions": "Be brief."}, data_model=sn.Instructions)
        >>> with sn.StatelessScope([(v, {"instructions": "Be exact."})]) as scope:
        ...     seen = v.get("instructions")
        ...     _ = v.update({"instructions": "Be kind."})
        >>> seen, v.get("instructions"), len(v.versions)
        ('Be exact.', 'Be brief.', 1)
        >>> scope.get_current_value(v)["instructions"]
        'Be kind.'
    """

    def __init__(self, state_mapping: Iterable[tuple[Any, Any]] | None = None,
                 collect_rewards: bool = False, initialize_variables: bool = True) -> None:
        from synalinks_nb.variables.variable import Variable

        self.collect_rewards = collect_rewards
        self.initialize_variables = initialize_variables
        self.rewards: list[Any] = []
        self.state_mapping: dict[int, Any] = {}
        for variable, value in state_mapping or ():
            if not isinstance(variable, Variable):
                raise VariableError("Expected (Variable, value) pairs in state_mapping. "
                                    f"Received a key of type {type(variable).__name__}")
            self.state_mapping[id(variable)] = variable.validate(value)
        self._tokens: list[tuple[contextvars.Token[Any], contextvars.Token[Any]]] = []

    def __enter__(self) -> StatelessScope:
        from synalinks_nb.variables.variable import _overlay

        # The scope's own dict is the overlay, so updates collected later are read back too.
        layer = {**(_overlay.get() or {}), **self.state_mapping}
        self.state_mapping = layer
        self._tokens.append((_overlay.set(layer), _stateless.set(self)))
        return self

    def __exit__(self, *exc: object) -> None:
        from synalinks_nb.variables.variable import _overlay

        overlay_token, scope_token = self._tokens.pop()
        _stateless.reset(scope_token)
        _overlay.reset(overlay_token)

    def add_update(self, update: tuple[Any, Any]) -> None:
        """Collect ``(variable, value)`` instead of assigning it (the value is validated)."""
        variable, value = update
        self.state_mapping[id(variable)] = variable.validate(value)

    def add_reward(self, reward: Any) -> None:
        """Collect a reward computed inside the scope."""
        self.rewards.append(reward)

    def get_current_value(self, variable: Any) -> Any:
        """The value ``variable`` has in this scope, or ``None`` if it was neither given nor set."""
        return self.state_mapping.get(id(variable))


def in_stateless_scope() -> bool:
    """Whether the code runs inside a :class:`StatelessScope`."""
    return _stateless.get() is not None


def get_stateless_scope() -> StatelessScope | None:
    """The innermost :class:`StatelessScope` here, if any."""
    return _stateless.get()


class SymbolicScope:
    """Mark code as graph building (Synalinks' ``synalinks.SymbolicScope``; a thin name).

    Example:
        >>> import synalinks_nb as sn
        >>> from synalinks_nb.variables.scopes import in_symbolic_scope
        >>> with sn.SymbolicScope():
        ...     inside = in_symbolic_scope()
        >>> inside, in_symbolic_scope()
        (True, False)
    """

    def __enter__(self) -> SymbolicScope:
        self._token = _symbolic.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _symbolic.reset(self._token)


def in_symbolic_scope() -> bool:
    """Whether the code runs inside a :class:`SymbolicScope`."""
    return _symbolic.get() is not None


@contextmanager
def name_scope(name: str, caller: Any = None, deduplicate: bool = True,
               override_parent: str | None = None) -> Iterator[str]:
    """Prefix the path of module-less variables created inside (Synalinks' ``name_scope``).

    Args:
        name: the scope's name (no ``/``).
        caller: with ``deduplicate``, re-entering the scope the same caller just
            opened adds no level.
        deduplicate: see ``caller``.
        override_parent: an absolute path that replaces the enclosing scopes.

    Example:
        >>> import synalinks_nb as sn
        >>> with sn.name_scope("block"), sn.name_scope("inner"):
        ...     v = sn.Variable({"instructions": ""}, data_model=sn.Instructions, name="state")
        >>> v.path
        'block/inner/state'
    """
    if not isinstance(name, str) or not name or "/" in name:
        raise VariableError(f"Expected name to be a string without '/'. Received: name={name!r}")
    parts = _names.get()
    if override_parent is not None:
        parts = tuple(p for p in override_parent.split("/") if p)
    same = deduplicate and caller is not None and _last_caller.get() is caller \
        and parts[-1:] == (name,)
    token = _names.set(parts if same else (*parts, name))
    caller_token = _last_caller.set(caller)
    try:
        yield current_path()
    finally:
        _last_caller.reset(caller_token)
        _names.reset(token)


_last_caller: contextvars.ContextVar[Any] = contextvars.ContextVar("sn_name_caller", default=None)


def current_path() -> str:
    """The ``/``-joined names of the enclosing :func:`name_scope` blocks (``""`` outside)."""
    return "/".join(_names.get())
