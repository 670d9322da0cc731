"""Operational metrics: what the language models did (calls, tokens, cost...), per phase."""

from __future__ import annotations

from typing import Any

from synalinks_nb.language_models.usage import PHASES
from synalinks_nb.metrics.metric import Metric

__all__ = ["COUNTERS", "LanguageModelUsage"]

COUNTERS = ("calls", "prompt_tokens", "completion_tokens", "total_tokens", "cost",
            "latency_s", "failures", "cache_hits")


class LanguageModelUsage(Metric):
    """A usage counter of one or more language models since the last ``reset_state``.

    Args:
        language_models: models (or one) whose ``usage`` is read.
        phase: ``"inference"``, ``"reward"``, ``"optimizer"`` or ``"total"``.
        counter: one of :data:`COUNTERS`.
        name: log key (default ``"<phase>_<counter>"``).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> lm = sn.ScriptedLanguageModel(responses=["ok"])
        >>> m = LanguageModelUsage(lm, phase="inference", counter="calls")
        >>> _ = asyncio.run(lm([{"role": "user", "content": "hi"}]))
        >>> m.result()
        1.0
    """

    def __init__(self, language_models: Any, phase: str = "total", counter: str = "calls",
                 name: str | None = None) -> None:
        if phase not in (*PHASES, "total"):
            raise ValueError(f"Expected phase in {(*PHASES, 'total')}. Received: {phase!r}")
        if counter not in COUNTERS:
            raise ValueError(f"Expected counter in {COUNTERS}. Received: {counter!r}")
        super().__init__(name=name or f"{phase}_{counter}")
        models = language_models if isinstance(language_models, list | tuple) else [
            language_models]
        self.language_models = list(models)
        self.phase = phase
        self.counter = counter
        self.baseline = 0.0

    def _read(self) -> float:
        total = 0.0
        for lm in self.language_models:
            report = lm.usage
            usage = report.total if self.phase == "total" else report[self.phase]
            total += float(getattr(usage, self.counter))
        return total

    async def update_state(self, y_true: Any = None, y_pred: Any = None) -> None:
        """Nothing to do: the models count themselves."""

    def result(self) -> float:
        return self._read() - self.baseline

    def reset_state(self) -> None:
        self.baseline = self._read()

    def get_config(self) -> dict[str, Any]:
        return {"phase": self.phase, "counter": self.counter, "name": self.name}
