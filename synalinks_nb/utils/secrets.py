"""Recognising secrets: in key names, in URLs, and in free text such as error bodies.

One place decides what a secret looks like, so that saving (which drops
secret-named settings), ``repr``/``get_config`` (which show endpoints) and
error messages (which quote provider answers) all hide the same things:

- a key *named* like a secret (``api_key``, ``token``, ``password``...);
- the credentials of a URL: its user-info (``http://user:pass@host``) and
  query parameters named like secrets (``?api-key=...``, ``?key=...``, ``?sig=...``);
- in free text, any known secret value, the values of environment variables
  named like secrets (``OPENAI_API_KEY``...: litellm reads them, so a provider
  may echo one), and bearer tokens.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable

__all__ = [
    "REDACTED",
    "SECRET_KEY",
    "Credentials",
    "environment_secrets",
    "redact_text",
    "redact_url",
    "url_secrets",
]

REDACTED = "<redacted>"

SECRET_KEY = re.compile(
    r"^(?:.*[_-])?(?:api[_-]?key|apikey|token|access[_-]?token|secret|client[_-]?secret|"
    r"access[_-]?key|secret[_-]?key|private[_-]?key|"
    r"password|passwd|credentials?|authorization|auth)$",
    re.IGNORECASE,
)
# Query parameters that carry credentials without a secret-looking name (Gemini's
# ``key``, Azure's SAS ``sig``).
_SECRET_PARAMS = frozenset({"key", "sig", "signature", "code"})
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
# Values shorter than this are not treated as secrets: redacting "abc" everywhere
# would garble messages and say nothing useful.
_MIN_SECRET = 8


def _secret_param(name: str) -> bool:
    return name.lower() in _SECRET_PARAMS or bool(SECRET_KEY.match(name))


def redact_url(url: str) -> str:
    """``url`` with its user-info and secret query parameters replaced by ``<redacted>``.

    Example:
        >>> redact_url("http://ada:hunter2@gpu-box:8000/v1")
        'http://<redacted>@gpu-box:8000/v1'
        >>> redact_url("https://host/v1?api-version=2024&api-key=abc123")
        'https://host/v1?api-version=2024&api-key=<redacted>'
        >>> redact_url("http://localhost:11434")
        'http://localhost:11434'
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = [(k, REDACTED if _secret_param(k) and v else v)
                 for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)]
        query = urllib.parse.urlencode(pairs, safe="<>")
    if netloc == parts.netloc and query == parts.query:
        return url
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def url_secrets(url: str) -> list[str]:
    """The credential strings a URL holds (user-info, password, secret query values).

    Example:
        >>> url_secrets("http://ada:hunter2-long@host/v1?key=abcdefgh12")
        ['ada:hunter2-long', 'hunter2-long', 'abcdefgh12']
    """
    parts = urllib.parse.urlsplit(url)
    found: list[str] = []
    if "@" in parts.netloc:
        found.append(parts.netloc.rsplit("@", 1)[0])
        if parts.password:
            found.append(parts.password)
            found.append(urllib.parse.quote(parts.password, safe=""))
    for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if _secret_param(key) and value:
            found.append(value)
    return [s for i, s in enumerate(found) if s and s not in found[:i]]


class Credentials:
    """An endpoint and a key held privately: shown redacted, listed for redaction.

    The class mixing it in sets ``_api_base`` and ``_api_key`` in its constructor.

    Example:
        >>> class Client(Credentials):
        ...     def __init__(self, api_base: str | None, api_key: str | None) -> None:
        ...         self._api_base, self._api_key = api_base, api_key
        >>> client = Client("http://ada:hunter2-long@host/v1", "sk-abc")
        >>> client.api_base
        'http://<redacted>@host/v1'
        >>> client.secrets
        ['sk-abc', 'ada:hunter2-long', 'hunter2-long']
    """

    _api_base: str | None
    _api_key: str | None

    @property
    def api_base(self) -> str | None:
        """The endpoint, with any credentials in the URL redacted."""
        return redact_url(self._api_base) if self._api_base else self._api_base

    @property
    def secrets(self) -> list[str]:
        """The key and the URL credentials sent to the endpoint (to redact them elsewhere)."""
        found = url_secrets(self._api_base) if self._api_base else []
        return [self._api_key, *found] if self._api_key else found


def environment_secrets() -> list[str]:
    """Values of environment variables named like secrets (``OPENAI_API_KEY``, ``HF_TOKEN``...)."""
    return [value for name, value in os.environ.items()
            if len(value) >= _MIN_SECRET and SECRET_KEY.match(name)]


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with known secrets, environment secrets and bearer tokens redacted.

    Example:
        >>> redact_text("bad key sk-abcdefgh123, header Bearer tok_0123456789",
        ...             secrets=["sk-abcdefgh123"])
        'bad key <redacted>, header Bearer <redacted>'
    """
    values = {s for s in secrets if len(s) >= 4} | set(environment_secrets())
    # Longest first, so a secret that contains another is redacted whole.
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, REDACTED)
    return _BEARER.sub(lambda m: m.group(1) + REDACTED, text)
