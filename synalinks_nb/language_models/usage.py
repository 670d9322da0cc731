"""Usage accounting for language-model calls, per phase.

Every language model counts what it did in :class:`Usage` records, one per
*phase*. A phase says why a call was made:

- ``"inference"`` (the default): the program itself, in ``__call__``,
  ``predict``, ``evaluate`` and the forward pass of ``fit``;
- ``"reward"``: calls made while scoring predictions (an LM-as-judge reward);
- ``"optimizer"``: calls made while proposing new instructions or examples.

The phase is ambient, carried by a :mod:`contextvars` variable, so the trainer
wraps reward and optimizer work in :func:`usage_phase` and every model called
underneath counts itself in the right bucket, with no argument threaded
through modules. Context variables are copied into every ``asyncio`` task, so
calls gathered concurrently inside the block are counted in its phase too.

Cache hits count as calls (``calls`` and ``cache_hits`` both grow) with zero
tokens, zero latency and zero cost: they did not reach the provider.
``busy_s`` is wall-clock time with at least one call of the phase in flight, so
concurrent calls are not counted twice (throughput metrics divide by it).

Example:
    >>> from synalinks_nb.language_models.usage import current_phase, usage_phase
    >>> current_phase()
    'inference'
    >>> with usage_phase("reward"):
    ...     current_phase()
    'reward'
    >>> current_phase()
    'inference'
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import time
from collections.abc import Iterator, Mapping
from typing import Any, Literal

__all__ = [
    "PHASES",
    "BusyClock",
    "CallUsage",
    "Phase",
    "Usage",
    "UsageReport",
    "current_phase",
    "embedding_models_of",
    "language_models_of",
    "usage_phase",
]

Phase = Literal["inference", "reward", "optimizer"]
PHASES: tuple[Phase, ...] = ("inference", "reward", "optimizer")

_PHASE: contextvars.ContextVar[Phase] = contextvars.ContextVar(
    "synalinks_nb_usage_phase", default="inference"
)


def current_phase() -> Phase:
    """The phase language-model calls are counted in right now."""
    return _PHASE.get()


@contextlib.contextmanager
def usage_phase(phase: Phase) -> Iterator[Phase]:
    """Count every language-model call made inside the block in ``phase``.

    Blocks nest; leaving one restores the enclosing phase.

    Args:
        phase: one of ``"inference"``, ``"reward"``, ``"optimizer"``.

    Raises:
        ValueError: for any other phase name.

    Example:
        >>> import asyncio
        >>> from synalinks_nb.language_models import ScriptedLanguageModel, usage_phase
        >>> lm = ScriptedLanguageModel(responses=["fine"])
        >>> async def judge():
        ...     with usage_phase("reward"):
        ...         await lm([{"role": "user", "content": "Is it fine?"}])
        >>> asyncio.run(judge())
        >>> lm.usage["reward"].calls, lm.usage["inference"].calls
        (1, 0)
    """
    if phase not in PHASES:
        raise ValueError(
            f"Expected phase to be one of {', '.join(PHASES)}. Received: phase={phase!r}"
        )
    token = _PHASE.set(phase)
    try:
        yield phase
    finally:
        _PHASE.reset(token)


@dataclasses.dataclass
class Usage:
    """What a language model did in one phase (or in total).

    Attributes:
        calls: requests, failed ones and cache hits included (a retry or a
            repair attempt is part of the request it serves, not a call).
        prompt_tokens: tokens sent, as reported by the provider.
        completion_tokens: tokens received, as reported by the provider.
        latency_s: seconds spent waiting for the provider, retries included.
        cost: dollars, from litellm's price table when it knows the model;
            0.0 for the embedded and scripted models and for cache hits.
        failures: requests that ended in an error.
        cache_hits: requests answered from the cache.
        cached_tokens: prompt tokens the provider served from its prompt cache.
        cache_creation_tokens: prompt tokens the provider wrote to its prompt cache.
        reasoning_tokens: completion tokens spent reasoning (when the provider says).
        fallback_activations: requests a fallback model answered.
        vectors: vectors returned (embedding models).
        busy_s: wall-clock seconds with at least one call in flight.
        streamed_calls: successful ``streaming=True`` calls that received tokens.
        ttft_s, ttlt_s: their summed seconds from request to first / last token.
        trajectory_calls: those made inside an agent's ``trajectory_scope``.
        trajectory_ttft_s: their summed seconds from the agent's start to the first token.
    """

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cost: float = 0.0
    failures: int = 0
    cache_hits: int = 0
    cached_tokens: int = 0
    cache_creation_tokens: int = 0
    reasoning_tokens: int = 0
    fallback_activations: int = 0
    vectors: int = 0
    busy_s: float = 0.0
    streamed_calls: int = 0
    ttft_s: float = 0.0
    ttlt_s: float = 0.0
    trajectory_calls: int = 0
    trajectory_ttft_s: float = 0.0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> None:
        """Add ``other``'s counters to this record, in place."""
        for name in _USAGE_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def count(self, call: CallUsage) -> None:
        """Add one request to this record, in place (it runs on every request).

        Example:
            >>> usage = Usage()
            >>> usage.count(CallUsage(phase="inference", model="m", completion_tokens=5))
            >>> usage.count(CallUsage(phase="inference", model="m", cached=True))
            >>> usage.calls, usage.completion_tokens, usage.cache_hits
            (2, 5, 1)
        """
        self.calls += 1
        self.prompt_tokens += call.prompt_tokens
        self.completion_tokens += call.completion_tokens
        self.latency_s += call.latency_s
        self.cost += call.cost
        self.failures += 1 if call.error else 0
        self.cache_hits += 1 if call.cached else 0
        self.cached_tokens += call.cached_tokens
        self.cache_creation_tokens += call.cache_creation_tokens
        self.reasoning_tokens += call.reasoning_tokens
        self.fallback_activations += 1 if call.fallback else 0
        self.vectors += call.vectors
        if call.ttft_s is not None and call.ttlt_s is not None:
            self.streamed_calls += 1
            self.ttft_s += call.ttft_s
            self.ttlt_s += call.ttlt_s
        if call.trajectory_ttft_s is not None:
            self.trajectory_calls += 1
            self.trajectory_ttft_s += call.trajectory_ttft_s

    def to_dict(self) -> dict[str, Any]:
        """The counters as a JSON-serialisable dict."""
        return dataclasses.asdict(self)


# Read once: dataclasses.fields() costs microseconds and add() runs on every request.
_USAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Usage))


@dataclasses.dataclass(frozen=True)
class CallUsage:
    """The usage of one request, as kept in ``lm.history``.

    Attributes:
        phase: the phase the request was counted in.
        model: the model id that answered (a fallback's id when one answered).
        prompt_tokens: tokens sent, over every attempt.
        completion_tokens: tokens received, over every attempt.
        latency_s: seconds from the request to its answer or error.
        cost: dollars, when known.
        cached: True when the answer came from the cache.
        attempts: requests sent to the provider (retries and repair included).
        error: the error's class name when the request failed.
        cached_tokens, cache_creation_tokens, reasoning_tokens: as in :class:`Usage`.
        fallback: True when a fallback model answered.
        vectors: vectors returned (embedding models).
        ttft_s, ttlt_s: seconds from the request to the first / last token of a streamed
            call (``None`` when it did not stream).
        trajectory_ttft_s: seconds from the enclosing agent run's start to the first token.
    """

    phase: Phase
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cost: float = 0.0
    cached: bool = False
    attempts: int = 0
    error: str | None = None
    cached_tokens: int = 0
    cache_creation_tokens: int = 0
    reasoning_tokens: int = 0
    fallback: bool = False
    vectors: int = 0
    ttft_s: float | None = None
    ttlt_s: float | None = None
    trajectory_ttft_s: float | None = None

    def as_usage(self) -> Usage:
        """This call as a :class:`Usage` record of one call.

        Example:
            >>> call = CallUsage(phase="inference", model="m", prompt_tokens=3, error="X")
            >>> usage = call.as_usage()
            >>> usage.calls, usage.prompt_tokens, usage.failures
            (1, 3, 1)
        """
        usage = Usage()
        usage.count(self)
        return usage


class BusyClock:
    """Wall-clock time with at least one call in flight, per phase (call under a lock).

    Example:
        >>> clock = BusyClock()
        >>> clock.start("inference"); clock.start("inference")
        >>> clock.stop("inference")  # one call still in flight: nothing to add yet
        0.0
        >>> clock.stop("inference") >= 0.0
        True
    """

    def __init__(self) -> None:
        self._in_flight: dict[str, int] = {}
        self._since: dict[str, float] = {}

    def start(self, phase: str) -> None:
        """A call of ``phase`` begins."""
        if not self._in_flight.get(phase):
            self._since[phase] = time.perf_counter()
        self._in_flight[phase] = self._in_flight.get(phase, 0) + 1

    def stop(self, phase: str) -> float:
        """A call of ``phase`` ends: the seconds to add to ``busy_s`` (0 while others run)."""
        left = self._in_flight.get(phase, 1) - 1
        self._in_flight[phase] = left
        return time.perf_counter() - self._since[phase] if left == 0 else 0.0


class UsageReport(Mapping[str, Usage]):
    """Usage per phase, read as ``lm.usage["reward"]``, plus ``lm.usage.total``.

    A snapshot: later calls do not change a report already obtained.
    """

    def __init__(self, phases: Mapping[str, Usage]) -> None:
        self._phases = {p: dataclasses.replace(phases.get(p, Usage())) for p in PHASES}

    def __getitem__(self, phase: str) -> Usage:
        if phase not in self._phases:
            raise KeyError(
                f"Expected a phase among {', '.join(PHASES)}. Received: {phase!r}"
            )
        return self._phases[phase]

    def __iter__(self) -> Iterator[str]:
        return iter(self._phases)

    def __len__(self) -> int:
        return len(self._phases)

    @property
    def total(self) -> Usage:
        """The sum over every phase."""
        total = Usage()
        for usage in self._phases.values():
            total.add(usage)
        return total

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """``{phase: counters, ..., "total": counters}``, JSON-serialisable."""
        out: dict[str, dict[str, Any]] = {p: u.to_dict() for p, u in self._phases.items()}
        out["total"] = self.total.to_dict()
        return out

    def __repr__(self) -> str:
        rows = [f"{'phase':<10} {'calls':>6} {'tokens':>8} {'cost':>10} {'fail':>5} {'hits':>5}"]
        for phase, u in [*self._phases.items(), ("total", self.total)]:
            rows.append(
                f"{phase:<10} {u.calls:>6} {u.total_tokens:>8} {u.cost:>10.6f} "
                f"{u.failures:>5} {u.cache_hits:>5}"
            )
        return "\n".join(rows)


def language_models_of(program: Any) -> list[Any]:
    """Every distinct language model a program uses, for usage counts and for saving.

    The one walker of a program's models: any attribute of any of its modules (nested
    ones too, through ``modules``), of its metrics, reward and optimizer, holding a model
    or a module's reference to one, and each model's ``fallback`` chain. Model ids not
    resolved yet are skipped (they have made no call), so this never creates a model.

    Example:
        >>> import synalinks_nb as sn
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        >>> [m is lm for m in language_models_of(sn.Generator(data_model=Answer,
        ...                                                    language_model=lm))]
        [True]
        >>> language_models_of(sn.Generator(data_model=Answer, language_model="openai/gpt-4o"))
        []
    """
    # base.py imports this module for the usage records, so the class is looked up here.
    from synalinks_nb.language_models.base import BaseLanguageModel

    found: dict[int, Any] = {}

    def add(value: Any) -> None:
        if not isinstance(value, BaseLanguageModel):
            # a module's LanguageModelRef: the model it resolved to, or the object it was given
            value = getattr(value, "resolved", None) or getattr(value, "spec", None)
        if isinstance(value, BaseLanguageModel) and id(value) not in found:
            found[id(value)] = value
            for other in getattr(value, "fallback", None) or []:
                add(other)

    holders = [*_modules_of(program), *(getattr(program, "metrics", None) or []),
               getattr(program, "reward", None), getattr(program, "optimizer", None)]
    for holder in holders:
        for value in list(getattr(holder, "__dict__", {}).values()):
            add(value)
    return list(found.values())


def embedding_models_of(program: Any) -> list[Any]:
    """Every distinct embedding model a program uses (held by its modules, their knowledge
    bases, its metrics, reward or optimizer), with each one's fallback chain.

    Example:
        >>> import synalinks_nb as sn
        >>> model = sn.EmbeddingModel("hashing/8")
        >>> [m is model for m in embedding_models_of(sn.rewards.CosineSimilarity(model))]
        [True]
    """
    from synalinks_nb.language_models.embedding_model import EmbeddingModel

    found: dict[int, Any] = {}

    def add(value: Any) -> None:
        while isinstance(value, EmbeddingModel) and id(value) not in found:
            found[id(value)] = value
            value = value.fallback

    holders = [*_modules_of(program), *(getattr(program, "metrics", None) or []),
               getattr(program, "reward", None), getattr(program, "optimizer", None)]
    for holder in holders:
        for value in list(getattr(holder, "__dict__", {}).values()):
            add(value)
            add(getattr(value, "embedding_model", None))  # a knowledge base's
    return list(found.values())


def _modules_of(program: Any) -> list[Any]:
    """``program`` and every module under it, breadth first, each once."""
    order: list[Any] = []
    seen: set[int] = set()
    queue = [program] if program is not None else []
    while queue:
        module = queue.pop(0)
        if id(module) not in seen:
            seen.add(id(module))
            order.append(module)
            queue.extend(getattr(module, "modules", None) or [])
    return order
