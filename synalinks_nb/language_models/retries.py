"""Retrying a request: the error a backend raises to ask for it, and the loop that does it.

A backend signals a failure worth retrying (rate limit, provider unavailable) by
raising :class:`TransientError` around the typed error to raise once retrying stops;
:func:`with_retries` bounds each attempt by a timeout and waits between attempts as
the :class:`~synalinks_nb.language_models.settings.RetryPolicy` says, the provider's
``Retry-After`` first. Language models and embedding models share it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from synalinks_nb.errors import LanguageModelError, LanguageModelTimeoutError
from synalinks_nb.language_models.settings import RetryPolicy

__all__ = ["TransientError", "with_retries"]

T = TypeVar("T")


class TransientError(Exception):
    """Raised by a backend's ``_generate`` for a failure worth retrying.

    Args:
        error: the typed error to raise when retries are exhausted
            (a ``RateLimitError``, ``ProviderUnavailableError``...).
        retry_after: seconds the provider asked to wait (``Retry-After``).
    """

    def __init__(self, error: LanguageModelError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    attempt_timeout: float | None,
    model: str,
) -> T:
    """Await ``attempt()`` until it succeeds, each attempt bounded by ``attempt_timeout``.

    :class:`TransientError` is retried per ``policy`` (its ``retry_after``
    replaces the computed delay), timeouts only when
    ``policy.retry_on_timeout``; the typed error is raised when retrying stops,
    with a note saying how many attempts were made. Other exceptions propagate.
    """
    waited = 0.0
    retries = 0
    while True:
        try:
            if attempt_timeout is None:  # most calls: skip the timeout's bookkeeping
                return await attempt()
            async with asyncio.timeout(attempt_timeout):
                return await attempt()
        except TransientError as exc:
            error, retry_after, retryable = exc.error, exc.retry_after, True
        except TimeoutError as exc:
            error = exc if isinstance(exc, LanguageModelTimeoutError) else (
                LanguageModelTimeoutError(
                    f"Expected an answer from {model} within {attempt_timeout} s. "
                    "Received none in time.",
                    model=model,
                )
            )
            retry_after, retryable = None, policy.retry_on_timeout
        delay = policy.delay(retries, retry_after)
        if not retryable or retries >= policy.max_retries or waited + delay > policy.budget_s:
            error.add_note(f"Gave up after {retries + 1} attempt(s).")
            raise error from None
        await asyncio.sleep(delay)
        waited += delay
        retries += 1
