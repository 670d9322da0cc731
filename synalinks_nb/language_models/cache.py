"""An on-disk cache of language-model answers, with a replay-only mode.

The key of a request is the SHA-256 of the canonical JSON of its model id,
messages, schema and sampling settings (temperature, seed, ...): change any of
them and the request misses. Retry and timeout settings are not part of the
key; they change how an answer is obtained, not which answer is right.

Only validated answers are stored, one small JSON file per request
(``<folder>/<key[:2]>/<key>.json``) holding the request next to the answer,
so a cache folder can be read, diffed, and shipped next to a notebook.
Writes go to a temporary file first and are renamed into place, so
concurrent writers and interrupted kernels never leave half a file.

Modes:

- ``"off"``: never read, never write.
- ``"read_write"``: answer from the cache when possible, store new answers.
- ``"replay"``: answer only from the cache; a miss raises
  :class:`~synalinks_nb.errors.CacheMissError` naming the request. This is what
  documentation notebooks use so nbval outputs are exact and no key is needed.

Example:
    >>> import asyncio, tempfile
    >>> from synalinks_nb.language_models import Cache, ScriptedLanguageModel
    >>> folder = tempfile.mkdtemp()
    >>> lm = ScriptedLanguageModel(responses=["first", "second"])
    >>> lm.cache = Cache(folder)
    >>> ask = [{"role": "user", "content": "Hi"}]
    >>> asyncio.run(lm(ask)).get_json()["content"]
    'first'
    >>> asyncio.run(lm(ask)).get_json()["content"]  # same request: from the cache
    'first'
    >>> lm.usage.total.cache_hits
    1
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from synalinks_nb.errors import CacheMissError, ConfigError

__all__ = ["CACHE_MODES", "Cache", "CacheMode"]

_log = logging.getLogger(__name__)

CacheMode = Literal["off", "read_write", "replay"]
CACHE_MODES: tuple[CacheMode, ...] = ("off", "read_write", "replay")


class Cache:
    """A folder of recorded answers.

    Args:
        path: the folder; defaults to ``<config.home>/cache/language_models``.
        mode: ``"off"``, ``"read_write"`` (default) or ``"replay"``.

    Example:
        >>> import tempfile
        >>> cache = Cache(tempfile.mkdtemp(), mode="replay")
        >>> key = cache.key("scripted", [{"role": "user", "content": "Hi"}], None, {})
        >>> cache.get(key)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.CacheMissError: Expected a recorded answer in the replay-only cache ...
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, mode: CacheMode = "read_write"):
        if mode not in CACHE_MODES:
            raise ConfigError(
                f"Expected cache mode to be one of {', '.join(CACHE_MODES)}. "
                f"Received: mode={mode!r}"
            )
        self._path = Path(path).expanduser() if path is not None else None
        self.mode: CacheMode = mode

    @property
    def path(self) -> Path:
        """The cache folder (created on first write)."""
        if self._path is None:
            from synalinks_nb.config import config

            self._path = config.home / "cache" / "language_models"
        return self._path

    @property
    def enabled(self) -> bool:
        """False in mode ``"off"``."""
        return self.mode != "off"

    @staticmethod
    def key(
        model: str,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: Mapping[str, Any],
    ) -> str:
        """The hex SHA-256 identifying a request."""
        canonical = json.dumps(
            {"model": model, "messages": messages, "schema": schema, "settings": dict(settings)},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            default=str,
        )
        # surrogatepass: a lone surrogate in a message is hashed, not an error.
        return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()

    def _file(self, key: str) -> Path:
        return self.path / key[:2] / f"{key}.json"

    def get(self, key: str, describe: Callable[[], str] | None = None) -> Any | None:
        """The recorded answer for ``key``, or ``None`` on a miss.

        Raises:
            CacheMissError: on a miss in mode ``"replay"``.
        """
        if not self.enabled:
            return None
        self._check_folder(key)
        try:
            entry = json.loads(self._file(key).read_text(encoding="utf-8"))
            return entry["response"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if self.mode == "replay":
            what = describe() if describe is not None else ""
            raise CacheMissError(
                f"Expected a recorded answer in the replay-only cache {self.path} for request "
                f"{key[:12]} ({what}). Received: no entry. Record it with mode='read_write'."
            )
        return None

    def put(self, key: str, response: Any, request: Mapping[str, Any] | None = None) -> None:
        """Record ``response`` for ``key`` (ignored unless the mode is ``"read_write"``)."""
        if self.mode != "read_write":
            return
        target = self._file(key)
        entry = {"key": key, "request": dict(request or {}), "response": response}
        text = json.dumps(entry, ensure_ascii=False, indent=1, default=str)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: keep it, as a JSON escape
            data = json.dumps(entry, ensure_ascii=True, indent=1, default=str).encode("ascii")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        except OSError as exc:
            # The answer is already paid for: losing it to a cache failure would be worse.
            _log.warning("Could not write to the language-model cache %s: %s", self.path, exc)
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _check_folder(self, key: str) -> None:
        """Refuse, before any request is paid for, a cache folder that a file blocks."""
        for folder in (self.path, self._file(key).parent):
            if folder.exists() and not folder.is_dir():
                raise ConfigError(
                    f"Expected the language-model cache folder {folder} to be a folder. "
                    "Received: a file. Move it, or give the model another Cache(path=...)."
                )

    def __len__(self) -> int:
        return sum(1 for _ in self.path.glob("??/*.json")) if self.path.is_dir() else 0

    def clear(self) -> None:
        """Delete every recorded answer in the folder."""
        for file in self.path.glob("??/*.json"):
            file.unlink(missing_ok=True)

    def get_config(self) -> dict[str, Any]:
        """``{"path": ..., "mode": ...}`` (``path`` is ``None`` for the default folder)."""
        return {"path": str(self._path) if self._path is not None else None, "mode": self.mode}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Cache:
        """Rebuild from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"Cache(path={str(self._path) if self._path else None!r}, mode={self.mode!r})"
