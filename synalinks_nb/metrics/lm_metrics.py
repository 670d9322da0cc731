"""Synalinks' language-model operational metrics: tokens, cost, latency, failures.

Each language model already counts its usage per phase (``inference``, ``reward``,
``optimizer``; :mod:`synalinks_nb.language_models.usage`). These metrics read those
counters for every model of the program they are bound to, as a difference from the
values at the last ``reset_state()`` (the trainer resets metrics at each epoch and each
``evaluate``). ``Program.compile`` binds them to the program; until then, or for models a
program resolves later (the default model, built on first use), the models are looked up
again on every read.

One class per (phase, quantity), with Synalinks' names: ``Cost``, ``RewardCost``,
``OptimizerCost``, ``AvgLatency``, ``AvgRewardLatency``... ``Throughput`` and
``TokensPerSecond`` divide by the wall-clock time with at least one call of the phase in
flight (``Usage.busy_s``; Synalinks divides by the trainer's time in the phase).
Provider prompt-cache and reasoning tokens are counted when the provider reports them.

The streamed calls' latencies (``streaming=True``; see
:mod:`~synalinks_nb.language_models.streaming`) have inference-phase classes only, as in
Synalinks: ``AvgTimeToFirstToken``, ``AvgTimeToLastToken`` (means over the streamed
calls) and ``AvgTrajectoryTimeToFirstToken`` (over those made inside an agent's run,
timed from the agent's start). They read 0.0 when nothing streamed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from synalinks_nb.language_models.usage import Usage, language_models_of
from synalinks_nb.metrics.metric import Metric
from synalinks_nb.ops.operation import snake_case
from synalinks_nb.utils.registry import register_builtin

__all__ = ["QUANTITIES", "LMOperationalMetric", "LMOptimizersOperationalMetric",
           "LMRewardsOperationalMetric", "make_classes", "per_call", "usage_ratio"]


_FIELDS = tuple(f.name for f in dataclasses.fields(Usage))


def per_call(value: Callable[[Usage], float]) -> Callable[[Usage], float]:
    """``value`` divided by the calls (0 without calls)."""
    return lambda u: value(u) / u.calls if u.calls else 0.0


def usage_ratio(num: Callable[[Usage], float],
                den: Callable[[Usage], float]) -> Callable[[Usage], float]:
    """``num / den`` of a usage record (0 when ``den`` is 0)."""
    return lambda u: num(u) / den(u) if den(u) else 0.0


QUANTITIES: dict[str, Callable[[Usage], float]] = {
    "InputTokens": lambda u: float(u.prompt_tokens),
    "OutputTokens": lambda u: float(u.completion_tokens),
    "TotalTokens": lambda u: float(u.total_tokens),
    "Cost": lambda u: float(u.cost),
    "FailedCalls": lambda u: float(u.failures),
    "ErrorRate": per_call(lambda u: float(u.failures)),
    "AvgInputTokensPerCall": per_call(lambda u: float(u.prompt_tokens)),
    "AvgOutputTokensPerCall": per_call(lambda u: float(u.completion_tokens)),
    "AvgTotalTokensPerCall": per_call(lambda u: float(u.total_tokens)),
    "AvgCostPerCall": per_call(lambda u: float(u.cost)),
    "AvgLatency": per_call(lambda u: float(u.latency_s)),
    "CachedTokens": lambda u: float(u.cached_tokens),
    "AvgCachedTokensPerCall": per_call(lambda u: float(u.cached_tokens)),
    "CacheHitRate": usage_ratio(lambda u: float(u.cached_tokens), lambda u: float(u.prompt_tokens)),
    "CacheCreationTokens": lambda u: float(u.cache_creation_tokens),
    "AvgCacheCreationTokensPerCall": per_call(lambda u: float(u.cache_creation_tokens)),
    "ReasoningTokens": lambda u: float(u.reasoning_tokens),
    "AvgReasoningTokensPerCall": per_call(lambda u: float(u.reasoning_tokens)),
    "ReasoningTokenShare": usage_ratio(lambda u: float(u.reasoning_tokens),
                                  lambda u: float(u.completion_tokens)),
    "FallbackActivations": lambda u: float(u.fallback_activations),
    "Throughput": usage_ratio(lambda u: float(u.calls), lambda u: u.busy_s),
    "TokensPerSecond": usage_ratio(lambda u: float(u.total_tokens), lambda u: u.busy_s),
}
"""Quantity name (the inference-phase class name) -> how to compute it from a Usage delta."""


@register_builtin
class LMOperationalMetric(Metric):
    """Base class: one usage quantity of the program's language models, in one phase.

    Subclasses set ``_quantity`` (a key of :data:`QUANTITIES`) and inherit ``_phase``
    from their base (this class: ``"inference"``).

    Args:
        name: the log key (default: the class name in snake case, e.g. ``"cost"``).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> def provider_down(messages, schema):
        ...     raise ConnectionError("provider down")
        >>> gen = sn.Generator(data_model=Answer,
        ...                    language_model=sn.ScriptedLanguageModel(handler=provider_down))
        >>> failed, rate = sn.metrics.FailedCalls(), sn.metrics.ErrorRate()
        >>> failed.bind_program(gen); rate.bind_program(gen)
        >>> try:
        ...     _ = asyncio.run(gen(Answer(answer="?")))
        ... except ConnectionError:
        ...     pass
        >>> failed.result(), rate.result(), sn.metrics.RewardFailedCalls().result()
        (1.0, 1.0, 0.0)
    """

    _phase = "inference"
    _quantity = "TotalTokens"
    _quantities: dict[str, Callable[[Usage], float]] = QUANTITIES

    def __init__(self, name: str | None = None) -> None:
        super().__init__(name=name or snake_case(type(self).__name__))
        self.program: Any = None
        self._baselines: dict[int, Usage] = {}

    def bind_program(self, program: Any) -> None:
        """Read the models of ``program`` (called by ``Program.compile``)."""
        self.program = program
        self.reset_state()

    def _models(self) -> list[Any]:
        return language_models_of(self.program) if self.program is not None else []

    def _usage_since_reset(self) -> Usage:
        total = Usage()
        for lm in self._models():
            now = Usage()
            now.add(lm.usage[self._phase])
            base = self._baselines.get(id(lm))
            if base is not None:
                for field in _FIELDS:
                    setattr(now, field, getattr(now, field) - getattr(base, field))
            total.add(now)
        return total

    async def update_state(self, y_true: Any = None, y_pred: Any = None) -> None:
        """Nothing to do: the models count themselves."""

    def result(self) -> float:
        return self._quantities[self._quantity](self._usage_since_reset())

    def reset_state(self) -> None:
        self._baselines = {}
        for lm in self._models():
            base = Usage()
            base.add(lm.usage[self._phase])
            self._baselines[id(lm)] = base

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name}


class LMRewardsOperationalMetric(LMOperationalMetric):
    """Base class of the metrics of calls made by rewards (LM-as-judge...)."""

    _phase = "reward"


class LMOptimizersOperationalMetric(LMOperationalMetric):
    """Base class of the metrics of calls made by optimizers."""

    _phase = "optimizer"


def _phase_class_name(quantity: str, prefix: str) -> str:
    """``("AvgLatency", "Reward")`` -> ``"AvgRewardLatency"``, as Synalinks names them."""
    if not prefix:
        return quantity
    if quantity.startswith("Avg"):
        return f"Avg{prefix}{quantity[3:]}"
    return f"{prefix}{quantity}"


def make_classes(bases: tuple[type[LMOperationalMetric], ...], prefixes: tuple[str, ...],
                 quantities: dict[str, Callable[[Usage], float]], what: str,
                 module: str) -> dict[str, type[LMOperationalMetric]]:
    """One registered class per (phase base, quantity), named as Synalinks names them."""
    classes: dict[str, type[LMOperationalMetric]] = {}
    for prefix, base in zip(prefixes, bases, strict=True):
        for quantity in quantities:
            name = _phase_class_name(quantity, prefix)
            doc = (f"{quantity} of the {what}' {base._phase} calls since the last "
                   "reset (Synalinks' metric of the same name).")
            classes[name] = register_builtin(type(name, (base,), {
                "_quantity": quantity, "__doc__": doc, "__module__": module}))
    return classes


LM_METRICS = make_classes(
    (LMOperationalMetric, LMRewardsOperationalMetric, LMOptimizersOperationalMetric),
    ("", "Reward", "Optimizer"), QUANTITIES, "language models", __name__)
"""Every operational metric class, by name (66: 22 quantities in 3 phases; 3 streaming
latencies are added below)."""
STREAMING_QUANTITIES: dict[str, Callable[[Usage], float]] = {
    "AvgTimeToFirstToken": usage_ratio(lambda u: u.ttft_s, lambda u: float(u.streamed_calls)),
    "AvgTimeToLastToken": usage_ratio(lambda u: u.ttlt_s, lambda u: float(u.streamed_calls)),
    "AvgTrajectoryTimeToFirstToken": usage_ratio(lambda u: u.trajectory_ttft_s,
                                                 lambda u: float(u.trajectory_calls)),
}
"""The streamed calls' latencies, in seconds (inference phase only, as Synalinks has them)."""


class _StreamingMetric(LMOperationalMetric):
    _quantities = STREAMING_QUANTITIES


LM_METRICS.update(make_classes((_StreamingMetric,), ("",), STREAMING_QUANTITIES,
                               "language models", __name__))
globals().update(LM_METRICS)
__all__ += sorted(LM_METRICS)
