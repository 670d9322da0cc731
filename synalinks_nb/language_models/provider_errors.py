"""Provider failures as the package's errors, with secrets kept out of them.

:func:`translate_error` maps an exception raised by litellm to the package's
tree: 429 becomes a retryable :class:`~synalinks_nb.errors.RateLimitError`
carrying ``Retry-After``; 5xx and failed connections (refused, reset, closed: the
error's cause chain is read, since litellm labels them all "HTTP 500") a
retryable :class:`~synalinks_nb.errors.ProviderUnavailableError`; 401/403 an
:class:`~synalinks_nb.errors.AuthenticationError` (never retried); an answer
litellm could not read a non-retried :class:`~synalinks_nb.errors.ProviderError`
saying so; other statuses a :class:`~synalinks_nb.errors.ProviderError`.

The provider's message is quoted with known keys, URL credentials, environment
secrets and bearer tokens redacted (:mod:`synalinks_nb.utils.secrets`): some
servers echo the key they refused.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import (
    AuthenticationError,
    LanguageModelError,
    LanguageModelTimeoutError,
    MissingObjectError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
)
from synalinks_nb.language_models.retries import TransientError
from synalinks_nb.language_models.structured_output import is_refusal
from synalinks_nb.utils.secrets import REDACTED, redact_text

__all__ = ["check_api_base", "translate_error"]


def check_api_base(api_base: str | None, model: str) -> None:
    """Refuse an endpoint whose credentials were redacted when it was saved.

    Raises:
        MissingObjectError: ``api_base`` holds ``<redacted>``.
    """
    if api_base and REDACTED in api_base:
        raise MissingObjectError(
            f"Expected the api_base of {model} with its credentials. Received: {api_base!r}: "
            "credentials in a URL are never saved. Give the model back when loading: "
            "Program.load(path, language_model=LanguageModel(..., api_base='<full URL>'))."
        )


def translate_error(
    litellm: Any, exc: Exception, model: str, secrets: Sequence[str] = ()
) -> Exception | None:
    """The package's error for a litellm error, or ``None`` for anything else.

    The provider's message is quoted with ``secrets``, environment keys and bearer
    tokens redacted: some servers echo the key they refused.
    """
    status = getattr(exc, "status_code", None)
    message = f"Expected an answer from {model}. Received: {_summary(exc, secrets)}"
    if isinstance(exc, litellm.Timeout):
        return LanguageModelTimeoutError(message, model=model)
    if is_refusal(exc):  # retrying the same request cannot help
        return ProviderError(
            f"{message}. The server refused the structured-output request; choose another "
            "way with LanguageModel(..., structured_output='json_object'|'tool'|'prompt').",
            model=model, status_code=status)
    cause = _root_cause(exc)
    if isinstance(cause, OSError) or any(c.__name__ in _CONNECTION_ERRORS
                                         for c in type(cause).__mro__):
        # litellm labels a refused or reset connection "HTTP 500"; no answer came at all.
        reason = redact_text(f"{type(cause).__name__}: {cause}", secrets)[:200]
        unavailable = ProviderUnavailableError(
            f"Expected an answer from {model}. Received: no answer, the connection failed "
            f"({reason})", model=model)
        return TransientError(unavailable)
    if status == 500 and cause is not exc and isinstance(cause, litellm.APIError):
        # litellm could not read a 200 answer and calls it "HTTP 500": say what happened.
        return ProviderError(
            f"Expected an answer from {model} in the chat-completions format. Received: a "
            f"malformed answer ({redact_text(str(cause), secrets)[:300]})", model=model)
    if isinstance(exc, litellm.RateLimitError) or status == 429:
        return TransientError(RateLimitError(message, model=model, status_code=429),
                              retry_after=_retry_after(exc))
    if isinstance(exc, litellm.AuthenticationError | litellm.PermissionDeniedError) or (
        status in (401, 403)
    ):
        return AuthenticationError(message, model=model, status_code=status)
    if isinstance(exc, litellm.APIConnectionError) or (isinstance(status, int) and status >= 500):
        error: LanguageModelError = ProviderUnavailableError(message, model=model,
                                                              status_code=status)
        return TransientError(error, retry_after=_retry_after(exc))
    if isinstance(status, int) or isinstance(exc, litellm.exceptions.OpenAIError):
        return ProviderError(message, model=model, status_code=status)
    return None


# Transport errors that are not OSErrors (httpx and aiohttp wrap the socket's error).
_CONNECTION_ERRORS = frozenset({"ConnectError", "ReadError", "WriteError", "RemoteProtocolError",
                                "ServerDisconnectedError", "ClientConnectionError",
                                "ClientPayloadError", "ConnectionClosed"})


_STATUS_ERRORS = frozenset({"HTTPStatusError", "APIStatusError", "ClientResponseError"})


def _root_cause(exc: BaseException) -> BaseException:
    """The innermost exception of ``exc``'s cause chain, unless an HTTP status is on the way.

    An HTTP status error on the way (openai's ``APIStatusError``, httpx's
    ``HTTPStatusError``, aiohttp's ``ClientResponseError``) means the server did
    answer: then ``exc`` itself is returned.
    """
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen and len(seen) < 20:
        seen.add(id(current))
        inner = current.__cause__ or current.__context__
        if inner is None:
            return current
        if any(c.__name__ in _STATUS_ERRORS for c in type(inner).__mro__):
            return exc
        current = inner
    return current


def _summary(exc: Exception, secrets: Sequence[str]) -> str:
    status = getattr(exc, "status_code", None)
    # Redact before cutting, so a key cut in half by the limit is still hidden.
    text = redact_text(str(exc), secrets).replace("\n", " ")
    text = text if len(text) <= 300 else text[:297] + "..."
    return f"{'HTTP ' + str(status) + ' ' if status else ''}{type(exc).__name__}: {text}"


def _retry_after(exc: Exception) -> float | None:
    headers = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
