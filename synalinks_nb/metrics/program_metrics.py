"""Synalinks' program operational metrics: calls of the program, their time and cost.

They read the program's own counters (:attr:`Program.invocations`: entry calls and their
wall-clock seconds, per usage phase) and, for cost, the usage of every language model the
program uses, as differences from the values at the last ``reset_state()``.
``Program.compile`` binds them to the program.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.language_models.usage import language_models_of
from synalinks_nb.metrics.metric import Metric
from synalinks_nb.ops.operation import snake_case
from synalinks_nb.utils.registry import register_builtin

__all__ = ["ProgramAvgCostPerInvocation", "ProgramCalls", "ProgramCallsPerSecond",
           "ProgramCost", "ProgramElapsedTime", "ProgramOperationalMetric"]


@register_builtin
class ProgramOperationalMetric(Metric):
    """Base class: reads the bound program's calls, seconds and model cost in one phase.

    Subclasses implement ``_value(calls, elapsed_s, cost)``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Q(sn.DataModel):
        ...     q: str
        >>> async def build():
        ...     x = sn.Input(data_model=Q)
        ...     return sn.Program(inputs=x, outputs=await sn.Identity()(x))
        >>> program = asyncio.run(build())
        >>> calls = sn.metrics.ProgramCalls()
        >>> calls.bind_program(program)
        >>> for _ in range(3):
        ...     _ = asyncio.run(program(Q(q="hi")))
        >>> calls.result(), sn.metrics.ProgramElapsedTime().result()
        (3.0, 0.0)
    """

    _phase = "inference"

    def __init__(self, name: str | None = None) -> None:
        super().__init__(name=name or snake_case(type(self).__name__))
        self.program: Any = None
        self._baseline = (0, 0.0, 0.0)

    def bind_program(self, program: Any) -> None:
        """Read ``program``'s counters (called by ``Program.compile``)."""
        self.program = program
        self.reset_state()

    def _now(self) -> tuple[int, float, float]:
        if self.program is None:
            return (0, 0.0, 0.0)
        entry = getattr(self.program, "invocations", {}).get(self._phase)
        cost = sum(lm.usage[self._phase].cost for lm in language_models_of(self.program))
        return (entry.calls if entry else 0, entry.elapsed_s if entry else 0.0, float(cost))

    def _value(self, calls: int, elapsed_s: float, cost: float) -> float:
        raise NotImplementedError(f"{type(self).__name__} must implement _value.")

    async def update_state(self, y_true: Any = None, y_pred: Any = None) -> None:
        """Nothing to do: the program counts itself."""

    def result(self) -> float:
        now = self._now()
        calls, elapsed, cost = (a - b for a, b in zip(now, self._baseline, strict=True))
        return float(self._value(int(calls), float(elapsed), float(cost)))

    def reset_state(self) -> None:
        self._baseline = self._now()

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name}


@register_builtin
class ProgramCalls(ProgramOperationalMetric):
    """Calls of the program since the last reset (nested programs are part of their caller)."""

    def _value(self, calls: int, elapsed_s: float, cost: float) -> float:
        return float(calls)


@register_builtin
class ProgramElapsedTime(ProgramOperationalMetric):
    """Wall-clock seconds spent in the program's calls, summed over the calls."""

    def _value(self, calls: int, elapsed_s: float, cost: float) -> float:
        return elapsed_s


@register_builtin
class ProgramCallsPerSecond(ProgramOperationalMetric):
    """Calls per second of time spent in them."""

    def _value(self, calls: int, elapsed_s: float, cost: float) -> float:
        return calls / elapsed_s if elapsed_s > 0 else 0.0


@register_builtin
class ProgramCost(ProgramOperationalMetric):
    """Dollars spent by the program's language models."""

    def _value(self, calls: int, elapsed_s: float, cost: float) -> float:
        return cost


@register_builtin
class ProgramAvgCostPerInvocation(ProgramOperationalMetric):
    """Dollars per call of the program."""

    def _value(self, calls: int, elapsed_s: float, cost: float) -> float:
        return cost / calls if calls else 0.0
