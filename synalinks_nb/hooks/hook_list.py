"""``HookList``: several hooks called as one (Synalinks' container, Keras' ``CallbackList``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from synalinks_nb.config import config
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.logger import Logger
from synalinks_nb.hooks.monitor import Monitor

__all__ = ["HookList"]


class HookList(Hook):
    """Calls each of its hooks in order.

    Args:
        hooks: ``Hook`` instances (a nested list is flattened).
        add_logger: add a :class:`~synalinks_nb.hooks.Logger` when none is given.
        module: the module every hook watches.
        **params: given to every hook through ``set_params``.

    As in Synalinks, a :class:`~synalinks_nb.hooks.Monitor` is added when
    ``enable_observability()`` was called before the list is made. (Modules do not need
    this: they take the logger and the monitor from the settings at each call.)

    Example:
        >>> import synalinks_nb as sn
        >>> hooks = sn.hooks.HookList([sn.hooks.Hook()], add_logger=True)
        >>> [type(h).__name__ for h in hooks.hooks]
        ['Hook', 'Logger']
    """

    def __init__(self, hooks: Iterable[Any] | None = None, add_logger: bool = True,
                 module: Any = None, **params: Any) -> None:
        super().__init__()
        self.hooks: list[Hook] = []
        for hook in _flat(hooks or ()):
            self.add_hook(hook)
        self._add_default_hooks(add_logger)
        self.set_module(module)
        self.set_params(params)

    def add_hook(self, hook: Hook) -> None:
        """Append ``hook`` (attached to this list's module, if it has one)."""
        if not isinstance(hook, Hook):
            raise TypeError(f"Expected a Hook instance. Received: {hook!r}")
        if self.module is not None:
            hook.set_module(self.module)
        self.hooks.append(hook)

    def _add_default_hooks(self, add_logger: bool) -> None:
        if add_logger and not any(isinstance(h, Logger) for h in self.hooks):
            self.hooks.append(Logger())
        if config.is_observability_enabled() and not any(isinstance(h, Monitor)
                                                          for h in self.hooks):
            self.hooks.append(Monitor())

    def set_params(self, params: dict[str, Any] | None) -> None:
        """Give ``params`` to every hook (nothing when empty)."""
        self.params = params
        if params:
            for hook in self.hooks:
                hook.set_params(params)

    def set_module(self, module: Any) -> None:
        """Attach every hook to ``module`` (``None`` changes nothing)."""
        if module is None:
            return
        super().set_module(module)
        for hook in self.hooks:
            hook.set_module(module)

    def on_call_begin(self, call_id: str, parent_call_id: str | None = None,
                      inputs: Any = None, kwargs: dict[str, Any] | None = None) -> None:
        """Tell every hook, in order."""
        for hook in self.hooks:
            hook.on_call_begin(call_id, parent_call_id=parent_call_id, inputs=inputs,
                               kwargs=kwargs)

    def on_call_end(self, call_id: str, parent_call_id: str | None = None,
                    outputs: Any = None, exception: str | None = None) -> None:
        """Tell every hook, in order."""
        for hook in self.hooks:
            hook.on_call_end(call_id, parent_call_id=parent_call_id, outputs=outputs,
                             exception=exception)

    def __iter__(self) -> Iterator[Hook]:
        return iter(self.hooks)

    def __len__(self) -> int:
        return len(self.hooks)


def _flat(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, list | tuple):
            yield from _flat(item)
        else:
            yield item
