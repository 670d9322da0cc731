"""``Hook``: Synalinks' callback on module calls, with its two methods.

A hook is attached to one module (``module.add_hook(h)``, ``hooks=`` of a ``Module``
subclass that passes it on, or of a ``LanguageModel``) and told when each call of it
begins and ends. Calls are linked by ids: every call gets a ``call_id``, and
``parent_call_id`` names the call of the enclosing module (``None`` at the top), so the
calls of a program form a tree.
:mod:`~synalinks_nb.hooks.dispatch` decides which hooks run and calls them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Hook"]


class Hook:
    """Base class of hooks: override ``on_call_begin`` and ``on_call_end``.

    Hooks are synchronous and run inside the call, so they should be quick; a hook that
    raises makes the module call raise.

    Attributes:
        params: parameters given by ``set_params`` (a ``HookList`` passes its own).
        module: the module (or language model) the hook watches.

    Example:
        A hook that keeps the name of every module called, with its parent call:

        >>> import asyncio, synalinks_nb as sn
        >>> class Calls(sn.hooks.Hook):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.seen = []
        ...     def on_call_begin(self, call_id, parent_call_id=None, inputs=None,
        ...                       kwargs=None):
        ...         self.seen.append((self.module.name, parent_call_id is None))
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> calls = Calls()
        >>> echo = sn.Identity(name="echo")
        >>> echo.add_hook(calls)
        >>> _ = asyncio.run(echo(Text(text="hi")))
        >>> calls.seen
        [('echo', True)]
    """

    def __init__(self) -> None:
        self.params: dict[str, Any] | None = None
        self._module: Any = None

    def set_params(self, params: dict[str, Any] | None) -> None:
        """Receive parameters (Synalinks passes a ``HookList``'s keyword arguments)."""
        self.params = params

    def set_module(self, module: Any) -> None:
        """Attach the hook to the module it watches."""
        self._module = module

    @property
    def module(self) -> Any:
        """The watched module (``None`` until attached)."""
        return self._module

    def on_call_begin(self, call_id: str, parent_call_id: str | None = None,
                      inputs: Any = None, kwargs: dict[str, Any] | None = None) -> None:
        """A call of the module begins.

        Args:
            call_id: the id of this call.
            parent_call_id: the id of the enclosing module's call (``None`` at the top).
            inputs: the positional inputs (data models, symbolic ones while a graph is
                built, or chat messages for a language model).
            kwargs: the keyword arguments of the call.
        """

    def on_call_end(self, call_id: str, parent_call_id: str | None = None,
                    outputs: Any = None, exception: str | None = None) -> None:
        """A call of the module ended.

        Args:
            call_id: the id given to ``on_call_begin``.
            parent_call_id: the id of the enclosing module's call.
            outputs: what the call returned (``None`` when it raised).
            exception: the error message when the call raised.
        """
