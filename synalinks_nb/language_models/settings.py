"""Grouped settings of a language model: sampling and retries.

A language model has many knobs; they are grouped so that constructors stay
small and each group can be passed around, compared and serialised whole:

- :class:`SamplingSettings` — how tokens are drawn (temperature, seed, ...).
  These are part of the cache key: changing any of them is another request.
- :class:`RetryPolicy` — what to do when the provider fails transiently
  (429, 5xx, connection refused, timeout): how many retries, how long to wait
  between them, and the total wait budget. ``Retry-After`` headers win over the
  computed backoff.

Both are frozen dataclasses with ``get_config()`` / ``from_config()``.

Example:
    >>> from synalinks_nb.language_models import RetryPolicy, SamplingSettings
    >>> s = SamplingSettings(temperature=0.0, seed=42)
    >>> s.to_dict()
    {'temperature': 0.0, 'seed': 42}
    >>> s.merged({"max_tokens": 64}).to_dict()
    {'temperature': 0.0, 'max_tokens': 64, 'seed': 42}
    >>> RetryPolicy(max_retries=3, initial_delay=0.5).delay(attempt=2)
    2.0
    >>> RetryPolicy().delay(attempt=0, retry_after=1.0)
    1.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from synalinks_nb.errors import ConfigError

__all__ = ["RetryPolicy", "SamplingSettings", "decode_settings"]

# dataclasses.fields() costs microseconds, and field_names() runs on every request.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclasses.dataclass(frozen=True)
class SamplingSettings:
    """How the model samples its answer. ``None`` leaves the provider's default.

    Attributes:
        temperature: 0 gives the most likely tokens (deterministic with a seed
            on the embedded model).
        top_p: nucleus sampling mass.
        max_tokens: upper bound on the answer's length in tokens.
        seed: random seed, for providers that accept one.
        stop: strings that end the answer.
        presence_penalty: OpenAI-style presence penalty.
        frequency_penalty: OpenAI-style frequency penalty.
        top_k: sample among the k most likely tokens only (the embedded model, and
            providers that accept it; litellm drops it for those that do not).
        reasoning_effort: how hard a reasoning model thinks (``"minimal"``, ``"low"``,
            ``"medium"``, ``"high"``...), as litellm passes it; providers without the
            setting ignore it, and so does the embedded model.
    """

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    stop: tuple[str, ...] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    reasoning_effort: str | None = None
    top_k: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.stop, list | str):
            stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop)
            object.__setattr__(self, "stop", stop)
        for name in ("temperature", "top_p", "presence_penalty", "frequency_penalty"):
            value = getattr(self, name)
            if value is not None and not _is_number(value):
                raise ConfigError(f"Expected {name} to be a number. Received: {name}={value!r}")
        if self.reasoning_effort is not None and not isinstance(self.reasoning_effort, str):
            raise ConfigError("Expected reasoning_effort to be a string such as 'low'. "
                              f"Received: reasoning_effort={self.reasoning_effort!r}")
        for name in ("max_tokens", "seed", "top_k"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ConfigError(f"Expected {name} to be an int. Received: {name}={value!r}")
        for name in ("max_tokens", "top_k"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ConfigError(f"Expected {name} to be a positive int. Received: {name}={value}")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The names of the sampling settings."""
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
        return names

    def merged(self, overrides: Mapping[str, Any]) -> SamplingSettings:
        """A copy with ``overrides`` applied (``None`` values are ignored).

        Raises:
            TypeError: when a key is not a sampling setting.
        """
        if not overrides:  # most requests: no per-call settings
            return self
        unknown = sorted(set(overrides) - set(self.field_names()))
        if unknown:
            raise TypeError(
                f"Expected sampling settings among {', '.join(self.field_names())}. "
                f"Received unknown keyword argument(s): {', '.join(unknown)}"
            )
        changes = {k: v for k, v in overrides.items() if v is not None}
        return dataclasses.replace(self, **changes) if changes else self

    def to_dict(self) -> dict[str, Any]:
        """The settings that are set, JSON-serialisable (``stop`` as a list)."""
        # Computed once per (frozen) instance: requests read it on every call.
        cached: dict[str, Any] | None = self.__dict__.get("_as_dict")
        if cached is None:
            cached = {name: getattr(self, name) for name in self.field_names()
                      if getattr(self, name) is not None}
            object.__setattr__(self, "_as_dict", cached)
        out = dict(cached)
        if "stop" in out:
            out["stop"] = list(out["stop"])
        return out

    def get_config(self) -> dict[str, Any]:
        """Same as :meth:`to_dict`."""
        return self.to_dict()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SamplingSettings:
        """Rebuild from :meth:`get_config`'s output."""
        return cls().merged(config)


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before retrying a transient failure.

    The wait before retry ``n`` (0-based) is
    ``min(initial_delay * multiplier**n, max_delay)``, replaced by the
    provider's ``Retry-After`` when it sent one (capped by ``max_retry_after``, which
    models take as Synalinks' ``retry_max_wait=``). Retrying stops after
    ``max_retries`` retries, or earlier when the next wait would push the total
    waited past ``budget_s``; the last error is then raised.

    Attributes:
        max_retries: retries after the first attempt (0 disables retrying).
        initial_delay: seconds before the first retry.
        multiplier: growth of the delay between retries.
        max_delay: cap on the computed delay (not on ``Retry-After``).
        budget_s: cap on the total seconds spent waiting between attempts.
        retry_on_timeout: whether a request that hit the timeout is retried.
        max_retry_after: cap on a ``Retry-After`` wait (``None``: only ``budget_s``).
    """

    max_retries: int = 4
    initial_delay: float = 0.5
    multiplier: float = 2.0
    max_delay: float = 20.0
    budget_s: float = 120.0
    retry_on_timeout: bool = False
    max_retry_after: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int) or (
            self.max_retries < 0
        ):
            raise ConfigError(
                "Expected max_retries to be a non-negative int. "
                f"Received: max_retries={self.max_retries!r}"
            )
        for name in ("initial_delay", "multiplier", "max_delay", "budget_s", "max_retry_after"):
            value = getattr(self, name)
            if name == "max_retry_after" and value is None:
                continue
            if not isinstance(value, int | float) or value < 0:
                raise ConfigError(
                    f"Expected {name} to be a non-negative number. Received: {name}={value!r}"
                )

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        if retry_after is not None and retry_after >= 0:
            if self.max_retry_after is not None:
                return float(min(retry_after, self.max_retry_after))
            return float(retry_after)
        return float(min(self.initial_delay * self.multiplier**attempt, self.max_delay))

    def get_config(self) -> dict[str, Any]:
        """The policy as a JSON-serialisable dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        """Rebuild from :meth:`get_config`'s output."""
        return cls(**config)

    @classmethod
    def of(cls, retry: RetryPolicy | int | None,
           retry_max_wait: float | None = None) -> RetryPolicy:
        """A model's ``retry=`` (a policy, or a number of retries) and ``retry_max_wait=``.

        Example:
            >>> RetryPolicy.of(2, retry_max_wait=60).delay(0, retry_after=600)
            60.0
        """
        if retry is None:
            policy = cls()
        elif isinstance(retry, RetryPolicy):
            policy = retry
        elif isinstance(retry, int) and not isinstance(retry, bool):
            policy = cls(max_retries=retry)
        else:
            raise TypeError(
                f"Expected retry to be a RetryPolicy or an int. Received: retry={retry!r}")
        if retry_max_wait is None:
            return policy
        return dataclasses.replace(policy, max_retry_after=retry_max_wait)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def decode_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Constructor kwargs from a config: sampling, retry and cache back to their objects."""
    from synalinks_nb.language_models.cache import Cache

    kwargs = dict(config)
    if kwargs.get("sampling") is not None:
        kwargs["sampling"] = SamplingSettings.from_config(kwargs["sampling"])
    if kwargs.get("retry") is not None:
        kwargs["retry"] = RetryPolicy.from_config(kwargs["retry"])
    if kwargs.get("cache") is not None:
        kwargs["cache"] = Cache.from_config(kwargs["cache"])
    return kwargs
