"""How many times a program was called from outside, and for how long, per usage phase.

Synalinks' program operational metrics (``ProgramCalls``, ``ProgramElapsedTime``...) read
these counters. Only the entry program of a call counts: a program used as a module of
another one runs inside the outer call, which already measures it (a context variable
tells them apart), so nested time is never counted twice.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from synalinks_nb.language_models.usage import current_phase

__all__ = ["Invocations", "count_invocation"]

_INSIDE_A_PROGRAM: ContextVar[bool] = ContextVar("sn_inside_a_program", default=False)


@dataclasses.dataclass
class Invocations:
    """Calls of one program in one phase: how many, and the seconds spent in them."""

    calls: int = 0
    elapsed_s: float = 0.0


async def count_invocation(counters: dict[str, Invocations],
                           run: Callable[[], Awaitable[Any]]) -> Any:
    """``await run()``; when it is an entry call, add it to ``counters[<current phase>]``.

    Example:
        >>> import asyncio
        >>> counters = {}
        >>> async def work():
        ...     return await count_invocation(counters, lambda: asyncio.sleep(0))  # nested
        >>> asyncio.run(count_invocation(counters, work))
        >>> counters["inference"].calls
        1
    """
    if _INSIDE_A_PROGRAM.get():
        return await run()
    token = _INSIDE_A_PROGRAM.set(True)
    started = time.perf_counter()
    try:
        return await run()
    finally:
        _INSIDE_A_PROGRAM.reset(token)
        entry = counters.setdefault(current_phase(), Invocations())
        entry.calls += 1
        entry.elapsed_s += time.perf_counter() - started
