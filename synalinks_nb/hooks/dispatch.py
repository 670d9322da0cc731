"""Which hooks run for a call, and the ids that link calls into a tree.

``Module.__call__`` and ``BaseLanguageModel.__call__`` are the two places every module and
model call goes through; each calls :func:`begin` before the work and :func:`end` after
(with the error, if any). The hooks of a call are the owner's own (``add_hook``,
``hooks=``) followed by the defaults the settings ask for *at this call*:

* a :class:`~synalinks_nb.hooks.Logger` while its logger is enabled for INFO (DEBUG for
  the symbolic calls that build a graph): ``sn.enable_logging("info")``;
* a :class:`~synalinks_nb.hooks.Monitor` while ``sn.enable_observability()`` is on.

Each owner keeps the default hooks it was given, as Synalinks' modules keep theirs, but
unlike Synalinks the decision is taken per call, so turning logging or observability on
after a program was built still works.

A context variable holds the current call's :class:`Frame` (owner, parent frame,
outermost owner), so concurrent branches and samples each see their own parent. Call ids
are drawn only when a hook asks for one, and a call that no hook watches costs a
context-variable set and reset.
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from synalinks_nb.config import config
from synalinks_nb.hooks import _context
from synalinks_nb.hooks._context import current_lm_call
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.logger import CALL_LOGGER, Logger
from synalinks_nb.hooks.monitor import Monitor

__all__ = ["Frame", "begin", "current_frame", "current_lm_call", "end"]

_frame: contextvars.ContextVar[Frame | None] = contextvars.ContextVar("sn_hook_frame",
                                                                      default=None)
_log = logging.getLogger(CALL_LOGGER)


class Frame:
    """One call in progress: who is called, inside which call, under which outermost one,
    and the hooks told about it. :func:`begin` makes it, :func:`end` takes it back."""

    __slots__ = ("_id", "entry", "hooks", "owner", "parent", "token")

    def __init__(self, owner: Any, parent: Frame | None) -> None:
        self.owner = owner
        self.parent = parent
        self.entry: Any = owner if parent is None else parent.entry
        self._id: str | None = None
        self.hooks: Sequence[Hook] = ()
        self.token: contextvars.Token[Frame | None] | None = None

    @property
    def call_id(self) -> str:
        """This call's id (a UUID string, drawn on first use)."""
        if self._id is None:
            self._id = str(uuid.uuid4())
        return self._id

    @property
    def parent_call_id(self) -> str | None:
        """The enclosing call's id, ``None`` at the top."""
        return None if self.parent is None else self.parent.call_id


def current_frame() -> Frame | None:
    """The call in progress here, if any."""
    return _frame.get()


def begin(owner: Any, inputs: Any, kwargs: dict[str, Any] | None = None,
          symbolic: bool = False) -> Frame:
    """Enter a call of ``owner`` and tell its hooks; give the frame to :func:`end`."""
    frame = Frame(owner, _frame.get())
    frame.token = _frame.set(frame)
    frame.hooks = hooks = _hooks_of(owner, symbolic)
    try:
        for hook in hooks:
            hook.on_call_begin(frame.call_id, parent_call_id=frame.parent_call_id,
                               inputs=inputs, kwargs=kwargs)
    except BaseException:
        _frame.reset(frame.token)
        raise
    return frame


def end(frame: Frame, outputs: Any = None, error: BaseException | None = None,
        lm_call: Any = None) -> None:
    """Leave the call and tell its hooks how it ended."""
    if frame.token is not None:
        _frame.reset(frame.token)
        frame.token = None
    if not frame.hooks:
        return
    message = None if error is None else (str(error) or type(error).__name__)
    token = _context.lm_call.set(lm_call)
    try:
        for hook in frame.hooks:
            hook.on_call_end(frame.call_id, parent_call_id=frame.parent_call_id,
                             outputs=None if error is not None else outputs,
                             exception=message)
    finally:
        _context.lm_call.reset(token)


def _hooks_of(owner: Any, symbolic: bool) -> Sequence[Hook]:
    own = owner.__dict__.get("_hooks")
    logging_on = _log.isEnabledFor(logging.DEBUG if symbolic else logging.INFO)
    observing = config.is_observability_enabled()
    if not (logging_on or observing):
        return own.hooks if own else ()
    hooks: list[Hook] = list(own.hooks) if own else []
    defaults: dict[str, Hook] = owner.__dict__.setdefault("_sn_default_hooks", {})
    if logging_on and not any(isinstance(h, Logger) for h in hooks):
        hooks.append(_default(defaults, "logger", owner))
    if observing and not any(isinstance(h, Monitor) for h in hooks):
        hooks.append(_default(defaults, "monitor", owner))
    return hooks


def _default(defaults: dict[str, Hook], kind: str, owner: Any) -> Hook:
    hook = defaults.get(kind)
    if hook is None:
        hook = Logger() if kind == "logger" else Monitor()
        hook.set_module(owner)
        defaults[kind] = hook
    return hook
