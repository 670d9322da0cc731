"""``run_in_background``: run a coroutine on the kernel's loop and let the cell return.

On ipykernel 6 a comm message (a click on **Accept**) is only handled once
the running cell has returned. Scheduling ``program.fit(...)`` as a task on
the kernel's event loop lets the cell return at once while training goes on;
clicks then reach the dashboard between training steps. On ipykernel >= 7.4
``await program.fit(...)`` is enough, and this still works.

The returned :class:`BackgroundRun` is a small handle: ``status``,
``cancel()``, ``result()``, and it can be awaited in a later cell. A strong
reference to every running task is kept until it finishes (asyncio only keeps
weak ones), and a failure is logged so it never goes unnoticed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Generator
from typing import Any, Generic, Literal, TypeVar

__all__ = ["BackgroundRun", "run_in_background"]

_log = logging.getLogger(__name__)
T = TypeVar("T")
Status = Literal["running", "done", "cancelled", "error"]

_RUNNING: set[asyncio.Task[Any]] = set()
"""Tasks started here and not finished yet (asyncio keeps only weak references)."""


class BackgroundRun(Generic[T]):
    """Handle on a coroutine running in the background (see :func:`run_in_background`)."""

    def __init__(self, task: asyncio.Task[T], name: str) -> None:
        self._task = task
        self.name = name

    @property
    def status(self) -> Status:
        """``"running"``, ``"done"``, ``"cancelled"`` or ``"error"``."""
        if not self._task.done():
            return "running"
        if self._task.cancelled():
            return "cancelled"
        return "error" if self._task.exception() is not None else "done"

    def done(self) -> bool:
        """Whether the coroutine finished (in any way)."""
        return self._task.done()

    def cancel(self) -> bool:
        """Cancel the run; False when it had already finished."""
        return self._task.cancel()

    def result(self) -> T:
        """The coroutine's result; re-raises its exception.

        Raises:
            RuntimeError: it is still running (await the handle instead).
            asyncio.CancelledError: it was cancelled.
        """
        if not self._task.done():
            raise RuntimeError(
                f"Expected a finished run. Received: {self.name!r} is still "
                "running; `await` the handle or check `.status` first."
            )
        return self._task.result()

    def __await__(self) -> Generator[Any, None, T]:
        return self._task.__await__()

    def __repr__(self) -> str:
        return f"BackgroundRun(name={self.name!r}, status={self.status!r})"


def _finished(task: asyncio.Task[Any]) -> None:
    _RUNNING.discard(task)
    if not task.cancelled() and task.exception() is not None:
        _log.error("Background run %r failed", task.get_name(), exc_info=task.exception())


def run_in_background(coro: Coroutine[Any, Any, T], name: str | None = None) -> BackgroundRun[T]:
    """Schedule ``coro`` on the running event loop (the kernel's) and return a handle.

    Args:
        coro: a coroutine, e.g. ``program.fit(x, y, callbacks=[dash])``.
        name: a display name; defaults to the coroutine's name.

    Raises:
        RuntimeError: no event loop is running (outside a kernel or a coroutine);
            use ``asyncio.run`` there.

    Example:
        >>> import asyncio
        >>> async def cell():
        ...     async def work():
        ...         await asyncio.sleep(0.01)
        ...         return 42
        ...     run = run_in_background(work())
        ...     first = run.status
        ...     return first, await run, run.status, run.result()
        >>> asyncio.run(cell())
        ('running', 42, 'done', 42)

        In a notebook on ipykernel 6 (the cell returns at once)::

            run = sn.notebook.run_in_background(program.fit(x, y, callbacks=[dash]))
    """
    if not asyncio.iscoroutine(coro):
        raise TypeError(
            f"Expected a coroutine (e.g. program.fit(...)). Received: {type(coro).__name__}"
        )
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        coro.close()
        raise RuntimeError(
            "Expected a running event loop (a Jupyter kernel or a coroutine). "
            "Received: none; in a script use asyncio.run(...)."
        ) from None
    label = name or str(getattr(coro, "__qualname__", "run"))
    task = loop.create_task(coro, name=label)
    _RUNNING.add(task)
    task.add_done_callback(_finished)
    return BackgroundRun(task, label)
