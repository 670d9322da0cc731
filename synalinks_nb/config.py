"""Process-wide settings, in one object with a ``reset()``.

Everything that would otherwise be a hidden global lives on :data:`config`:
the home folder, the default language model, the random seed, the approval
mode, the per-session name counters that make module names unique, and the
store of recent call traces (``config.traces``; see :mod:`synalinks_nb.traces`).

Sources, lowest priority first: built-in defaults, ``<home>/synalinks.json``
(read once, at first use; setters never rewrite it), then environment
variables (``SYNALINKS_NB_HOME``, ``SYNALINKS_NB_DEFAULT_LM``,
``SYNALINKS_NB_APPROVAL``, ``SYNALINKS_NB_TRUSTED_API_BASES``), then setters
called by the program.

Example:
    >>> import synalinks_nb as sn
    >>> sn.config.set_seed(42)
    >>> sn.config.get_seed()
    42
    >>> sn.config.unique_name("generator"), sn.config.unique_name("generator")
    ('generator', 'generator_1')
    >>> sn.clear_session()
    >>> sn.config.unique_name("generator")
    'generator'
"""

from __future__ import annotations

import gc
import json
import os
import random
import tempfile
import threading
from pathlib import Path
from typing import Any

from synalinks_nb.config_synalinks import SynalinksConfigMixin
from synalinks_nb.errors import ConfigError
from synalinks_nb.traces.recorder import TraceStore

__all__ = [
    "APPROVAL_MODES",
    "DEFAULT_LANGUAGE_MODEL",
    "Config",
    "clear_session",
    "config",
    "get_seed",
    "set_seed",
    "synalinks_home",
]

DEFAULT_LANGUAGE_MODEL = "local/smollm2"
APPROVAL_MODES = ("auto", "human", "accept", "reject")


class Config(SynalinksConfigMixin):
    """Settings of one Python process. Use the shared :data:`config` instance.

    Synalinks' ``synalinks.config`` functions are methods here (see
    :mod:`synalinks_nb.config_synalinks`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget every setter, file and counter: back to a freshly imported package."""
        self._loaded = False
        self._home: Path | None = None
        self._file_values: dict[str, Any] = {}
        self._overrides: dict[str, Any] = {}
        self._name_counts: dict[str, int] = {}
        self._uids: dict[str, int] = {}
        self._seed: int | None = None
        self._token_sink: Any = None
        self.rng = random.Random()
        self._forget_logging()
        self.traces = TraceStore()
        """The recent calls' traces (:class:`~synalinks_nb.traces.TraceStore`)."""

    # -- file ---------------------------------------------------------------

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        path = self.home / "synalinks.json"
        if not path.is_file():
            return
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"Expected {path} to hold a JSON object of settings. Received an unreadable "
                f"file: {exc}"
            ) from exc
        if not isinstance(values, dict):
            raise ConfigError(
                f"Expected {path} to hold a JSON object. Received: {type(values).__name__}"
            )
        self._file_values = values

    def _get(self, key: str, env: str | None, default: Any) -> Any:
        if key in self._overrides:
            return self._overrides[key]
        if env and os.environ.get(env):
            return os.environ[env]
        self._load()
        return self._file_values.get(key, default)

    # -- home ---------------------------------------------------------------

    @property
    def home(self) -> Path:
        """The folder for the config file and caches (``~/.synalinks_nb``).

        ``SYNALINKS_NB_HOME`` overrides it. When the folder cannot be created or
        written, a folder in the system temp dir is used instead.
        """
        if self._home is None:
            wanted = Path(os.environ.get("SYNALINKS_NB_HOME") or Path.home() / ".synalinks_nb")
            self._home = _writable_or_temp(wanted.expanduser())
        return self._home

    # -- default language model ---------------------------------------------------

    @property
    def default_language_model_id(self) -> str:
        """Model id used by ``LanguageModel()`` and modules created without a model.

        ``set_default_language_model`` and ``default_language_model()`` (Synalinks'
        functions, which take and return model objects) are in the mixin.
        """
        return str(self._get("default_language_model", "SYNALINKS_NB_DEFAULT_LM",
                             DEFAULT_LANGUAGE_MODEL))

    # -- trusted endpoints ---------------------------------------------------------

    @property
    def trusted_api_bases(self) -> list[str]:
        """Endpoints a loaded file may name as ``api_base`` (your keys may go there).

        ``SYNALINKS_NB_TRUSTED_API_BASES`` (comma-separated) or the config file's
        ``trusted_api_bases`` list; a URL trusts everything below it.
        """
        value = self._get("trusted_api_bases", "SYNALINKS_NB_TRUSTED_API_BASES", [])
        if isinstance(value, str):
            value = [part for part in value.replace(",", " ").split() if part]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                "Expected trusted_api_bases to be a list of URLs. "
                f"Received: {type(value).__name__}"
            )
        return list(value)

    def set_trusted_api_bases(self, urls: list[str]) -> None:
        """Trust these endpoints in loaded files, for this process.

        Example:
            >>> import synalinks_nb as sn
            >>> sn.config.set_trusted_api_bases(["http://localhost:11434"])
            >>> sn.config.trusted_api_bases
            ['http://localhost:11434']
            >>> sn.config.reset()
        """
        if isinstance(urls, str) or not isinstance(urls, list | tuple) or not all(
            isinstance(u, str) and u for u in urls
        ):
            raise ConfigError(f"Expected a list of URL strings. Received: urls={urls!r}")
        self._overrides["trusted_api_bases"] = list(urls)

    # -- approval -----------------------------------------------------------------

    @property
    def approval(self) -> str | None:
        """The approval mode forced by ``SYNALINKS_NB_APPROVAL``, or ``None``."""
        value = os.environ.get("SYNALINKS_NB_APPROVAL", "").strip().lower()
        if not value:
            return None
        if value not in APPROVAL_MODES:
            raise ConfigError(
                f"Expected SYNALINKS_NB_APPROVAL to be one of {', '.join(APPROVAL_MODES)}. "
                f"Received: {value!r}"
            )
        return value

    # -- seed ---------------------------------------------------------------------

    def set_seed(self, value: int) -> None:
        """Seed every random choice the package makes (shuffling, sampling, optimizers)."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"Expected the seed to be an int. Received: value={value!r}")
        self._seed = value
        self.rng = random.Random(value)

    def get_seed(self) -> int | None:
        """The last seed given to :meth:`set_seed`, or ``None``."""
        return self._seed

    # -- streamed tokens ----------------------------------------------------------

    def set_token_sink(self, sink: Any) -> None:
        """Show streamed answers' tokens on ``sink`` (see
        :mod:`synalinks_nb.language_models.streaming`); ``None`` restores the default
        (the notebook's live output in a kernel, ``sys.stderr`` elsewhere).

        Args:
            sink: an object with ``open(label)`` returning a stream with ``write(text)``
                and ``close(error=None)``, or a function ``fn(label, text)``, or ``None``.

        Example:
            >>> import asyncio, synalinks_nb as sn
            >>> pieces = []
            >>> sn.config.set_token_sink(lambda label, text: pieces.append(text))
            >>> lm = sn.ScriptedLanguageModel(responses=["Bonjour tout le monde"])
            >>> _ = asyncio.run(lm([{"role": "user", "content": "Hi"}], streaming=True))
            >>> pieces
            ['Bonjour', ' tout', ' le', ' monde']
            >>> sn.config.set_token_sink(None)
        """
        if sink is not None and not (callable(getattr(sink, "open", None)) or callable(sink)):
            raise ConfigError("Expected a token sink (an object with open(label)), a function "
                              f"fn(label, text) or None. Received: {sink!r}")
        self._token_sink = sink

    def get_token_sink(self) -> Any:
        """The sink given to :meth:`set_token_sink`, or ``None``."""
        return self._token_sink

    # -- names --------------------------------------------------------------------

    def unique_name(self, base: str) -> str:
        """``base`` the first time, then ``base_1``, ``base_2``... until :func:`clear_session`."""
        with self._lock:
            count = self._name_counts.get(base, 0)
            self._name_counts[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    def get_uid(self, prefix: str = "") -> int:
        """A counter per ``prefix``: 1, 2, 3... (Keras' and Synalinks' ``get_uid``)."""
        with self._lock:
            count = self._uids.get(prefix, 0) + 1
            self._uids[prefix] = count
        return count

    def clear_session(self) -> None:
        """Reset the name counters (Keras' ``clear_session``); settings are kept."""
        with self._lock:
            self._name_counts.clear()
            self._uids.clear()


def _writable_or_temp(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write_probe"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
        return path
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "synalinks_nb"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


config = Config()
"""The process-wide settings object."""


def set_seed(value: int) -> None:
    """Seed every random choice the package makes. Shortcut for ``config.set_seed``."""
    config.set_seed(value)


def get_seed() -> int | None:
    """The current seed, or ``None``."""
    return config.get_seed()


def clear_session(free_memory: bool = True) -> None:
    """Reset the per-session name counters (``generator``, ``generator_1``...).

    With ``free_memory`` (the default, as in Keras and Synalinks), also run the garbage
    collector so the objects of the previous session go now.
    """
    config.clear_session()
    if free_memory:
        gc.collect()


def synalinks_home() -> Path:
    """The package's home folder."""
    return config.home
