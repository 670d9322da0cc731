"""Synalinks' ``synalinks.config`` functions, as methods of the one settings object.

Synalinks keeps its settings in module globals of ``synalinks/src/backend/config.py``;
here they live on :data:`synalinks_nb.config.config` (so ``reset()`` forgets them and tests
get a clean copy), and this mixin gives that object Synalinks' names and signatures:
``sn.config.set_default_language_model("openai/gpt-4o-mini")``, ``sn.config.enable_logging()``.
The package's top level re-exports them as functions, as Synalinks does.

``enable_logging`` goes through Python :mod:`logging`: it sets the level of the
``synalinks_nb`` logger (the parent of every logger in the package) and gives it one
stream handler (and ``synalinks.log`` with ``log_to_file=True``), like Synalinks'.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

from synalinks_nb.errors import ConfigError, MissingDependencyError
from synalinks_nb.traces.recorder import TraceStore

__all__ = ["LOGGER_NAME", "SynalinksConfigMixin"]

LOGGER_NAME = "synalinks_nb"
_LEVELS = ("debug", "info", "warning", "error", "critical")
_FLOATX = ("float16", "float32", "float64")


class SynalinksConfigMixin:
    """Synalinks' config functions; mixed into :class:`~synalinks_nb.config.Config`."""

    _overrides: dict[str, Any]
    traces: TraceStore

    # -- logging ----------------------------------------------------------------------

    def enable_logging(self, log_level: str = "debug", log_to_file: bool = False) -> None:
        """Show the package's log records at ``log_level`` and above (Synalinks' function).

        Args:
            log_level: ``"debug"``, ``"info"``, ``"warning"``, ``"error"`` or ``"critical"``.
            log_to_file: also write them to ``synalinks.log`` in the working directory.

        Example:
            >>> import logging, synalinks_nb as sn
            >>> sn.config.enable_logging("info")
            >>> logging.getLogger("synalinks_nb").level == logging.INFO
            True
            >>> sn.config.reset()  # forgets the handler again
            >>> sn.config.enable_logging("loud")
            Traceback (most recent call last):
            ...
            synalinks_nb.errors.ConfigError: Expected log_level among debug, info, warning, \
error, critical. Received: log_level='loud'
        """
        if not isinstance(log_level, str) or log_level.lower() not in _LEVELS:
            raise ConfigError(f"Expected log_level among {', '.join(_LEVELS)}. "
                              f"Received: log_level={log_level!r}")
        level = getattr(logging, log_level.upper())
        self._forget_logging()
        logger = logging.getLogger(LOGGER_NAME)
        logger.setLevel(level)
        handlers: list[logging.Handler] = [logging.StreamHandler()]
        if log_to_file:
            handlers.append(logging.FileHandler("synalinks.log", mode="w", encoding="utf-8"))
        for handler in handlers:
            handler.setLevel(level)
            handler.setFormatter(logging.Formatter("%(asctime)s - %(levelname)s - %(message)s"))
            # Marked so that a second call replaces our handlers and leaves the user's alone.
            handler._synalinks_nb = True  # type: ignore[attr-defined]
            logger.addHandler(handler)

    def _forget_logging(self) -> None:
        """Remove the handlers ``enable_logging`` added and give the level back (``reset()``)."""
        logger = logging.getLogger(LOGGER_NAME)
        ours = [h for h in logger.handlers if getattr(h, "_synalinks_nb", False)]
        for handler in ours:
            logger.removeHandler(handler)
            handler.close()
        if ours:
            logger.setLevel(logging.NOTSET)

    # -- default models ---------------------------------------------------------------

    def default_language_model(self) -> Any:
        """The default ``LanguageModel`` (built from the default id on first use).

        Example:
            >>> import synalinks_nb as sn
            >>> sn.config.set_default_language_model("openai/gpt-4o-mini")
            >>> sn.config.default_language_model().model
            'openai/gpt-4o-mini'
            >>> sn.config.reset()
        """
        instance = self._overrides.get("default_language_model_instance")
        if instance is None:
            # Imported here: the language-model layer sits above config.
            from synalinks_nb.language_models.language_model import LanguageModel

            instance = LanguageModel(self.default_language_model_id)
            self._overrides["default_language_model_instance"] = instance
        return instance

    def set_default_language_model(self, identifier: Any) -> None:
        """Set the default model: an id, a ``LanguageModel``, or ``None`` to clear it.

        Example:
            >>> import synalinks_nb as sn
            >>> lm = sn.ScriptedLanguageModel(responses=["hi"])
            >>> sn.config.set_default_language_model(lm)
            >>> sn.config.default_language_model() is lm
            True
            >>> sn.config.set_default_language_model(None)
            >>> sn.config.default_language_model_id
            'local/smollm2'
        """
        self._overrides.pop("default_language_model_instance", None)
        if identifier is None:
            self._overrides.pop("default_language_model", None)
            return
        if isinstance(identifier, str) and identifier:
            self._overrides["default_language_model"] = identifier
            return
        model = getattr(identifier, "model", None)
        if not isinstance(model, str):
            raise ConfigError("Expected a model id string, a LanguageModel or None. "
                              f"Received: {identifier!r}")
        self._overrides["default_language_model"] = model
        self._overrides["default_language_model_instance"] = identifier

    @property
    def default_language_model_id(self) -> str:  # pragma: no cover - defined by Config
        raise NotImplementedError

    def default_embedding_model(self) -> Any:
        """The default ``EmbeddingModel``, or ``None`` when none was set."""
        return self._overrides.get("default_embedding_model")

    def set_default_embedding_model(self, identifier: Any) -> None:
        """Set the default embedding model: an id, an ``EmbeddingModel``, or ``None``."""
        if isinstance(identifier, str):
            from synalinks_nb.language_models.embedding_model import EmbeddingModel

            identifier = EmbeddingModel(identifier)
        self._overrides["default_embedding_model"] = identifier

    # -- endpoints and keys -------------------------------------------------------------

    def api_base(self) -> str | None:
        """The address of a Synalinks API server, or ``None``.

        Kept for code written against Synalinks (its studio server); nothing in this
        package sends requests there, and language models take their own ``api_base``.
        """
        value = self._overrides.get("api_base")
        return value if isinstance(value, str) else None

    def set_api_base(self, api_base: str | None) -> None:
        """Remember the address of a Synalinks API server (see :meth:`api_base`)."""
        self._overrides["api_base"] = api_base

    def api_key(self) -> str | None:
        """The Synalinks API key set with :meth:`set_api_key` (kept in memory only, and
        sent nowhere: provider keys come from each provider's environment variable)."""
        value = self._overrides.get("api_key")
        return value if isinstance(value, str) else None

    def set_api_key(self, key: str | None) -> None:
        """Keep ``key`` for this process only; it is never written to a file."""
        self._overrides["api_key"] = key

    # -- backend, for code written against Synalinks ------------------------------------

    def backend(self) -> str:
        """Always ``"pydantic"``: the only backend, as in Synalinks."""
        return "pydantic"

    def set_backend(self, backend: str) -> None:
        """Accept ``"pydantic"``, the only backend."""
        if backend != "pydantic":
            raise ConfigError(f"Expected backend 'pydantic'. Received: backend={backend!r}")

    def floatx(self) -> str:
        """The float type name (Synalinks keeps it for Keras compatibility)."""
        return str(self._overrides.get("floatx", "float32"))

    def set_floatx(self, value: str) -> None:
        """Set the float type name: ``float16``, ``float32`` or ``float64``."""
        if value not in _FLOATX:
            raise ConfigError(f"Expected floatx among {', '.join(_FLOATX)}. "
                              f"Received: value={value!r}")
        self._overrides["floatx"] = value

    def epsilon(self) -> float:
        """The fuzz factor used in numeric code (Keras' ``epsilon``)."""
        return float(self._overrides.get("epsilon", 1e-7))

    def set_epsilon(self, value: float) -> None:
        """Set the fuzz factor."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"Expected epsilon to be a number. Received: value={value!r}")
        self._overrides["epsilon"] = float(value)

    def synalinks_home(self) -> str:
        """The package's home folder, as a string (Synalinks' ``config.synalinks_home()``)."""
        return str(self.home)

    @property
    def home(self) -> Path:  # pragma: no cover - defined by Config
        raise NotImplementedError

    # -- progress output ------------------------------------------------------------------

    def is_interactive_logging_enabled(self) -> bool:
        """Whether progress bars are drawn (``disable_interactive_logging`` turns them off)."""
        return bool(self._overrides.get("interactive_logging", True))

    def enable_interactive_logging(self) -> None:
        """Draw progress bars (the default)."""
        self._overrides["interactive_logging"] = True

    def disable_interactive_logging(self) -> None:
        """Draw no progress bars, whatever ``verbose`` says."""
        self._overrides["interactive_logging"] = False

    # -- observability (MLflow) ------------------------------------------------------------

    def enable_observability(self, tracking_uri: str | None = None,
                             experiment_name: str | None = None) -> None:
        """Send every module and language-model call to MLflow as a span (Synalinks').

        Each top-level call becomes one MLflow trace (see :class:`synalinks_nb.hooks.Monitor`);
        ``callbacks.Monitor`` logs training runs. Takes effect for calls made from now on,
        whenever the modules were made. ``reset()`` turns it off.

        Args:
            tracking_uri: where MLflow records (``"sqlite:///mlflow.db"``,
                ``"http://localhost:5000"``); ``None``: ``MLFLOW_TRACKING_URI`` or MLflow's
                default.
            experiment_name: the experiment holding the traces (``"synalinks_traces"``).

        Raises:
            MissingDependencyError: ``mlflow`` is not installed (the message gives
                ``pip install "synalinks_nb[observability]"``).

        Example:
            >>> import synalinks_nb as sn
            >>> sn.enable_observability(tracking_uri="sqlite:///mlflow.db",
            ...                         experiment_name="qa")  # doctest: +SKIP
            >>> sn.config.mlflow_experiment_name()  # doctest: +SKIP
            'qa'
        """
        if importlib.util.find_spec("mlflow") is None:
            raise MissingDependencyError("mlflow", "observability", "Observability")
        for key, value in (("mlflow_tracking_uri", tracking_uri),
                           ("mlflow_experiment_name", experiment_name)):
            if value is not None and (not isinstance(value, str) or not value):
                raise ConfigError(f"Expected {key.removeprefix('mlflow_')} to be a non-empty "
                                  f"string or None. Received: {value!r}")
            if value:
                self._overrides[key] = value
        self._overrides["observability"] = True

    def is_observability_enabled(self) -> bool:
        """Whether :meth:`enable_observability` is on."""
        return bool(self._overrides.get("observability", False))

    def mlflow_tracking_uri(self) -> str | None:
        """The tracking URI given to :meth:`enable_observability`, or ``None``."""
        value = self._overrides.get("mlflow_tracking_uri")
        return value if isinstance(value, str) else None

    def mlflow_experiment_name(self) -> str:
        """The experiment of the traces (``"synalinks_traces"`` unless set)."""
        return str(self._overrides.get("mlflow_experiment_name", "synalinks_traces"))

    # -- recording model calls to files ---------------------------------------------------

    def record_traces(self, base_dir: str | os.PathLike[str] | None = None) -> None:
        """Write every language-model call as a JSON line under ``base_dir`` (Synalinks').

        One folder per program and one per module, default ``synalinks_home()``; the line
        format is :mod:`synalinks_nb.traces.files`'. Recording also turns the in-memory
        trace store on for every call. ``reset()`` stops it.
        """
        folder = Path(base_dir).expanduser() if base_dir else self.home
        self._overrides["trace_recording_dir"] = str(folder)
        self.traces.record_to(folder)

    def is_trace_recording_enabled(self) -> bool:
        """Whether :meth:`record_traces` is on."""
        return "trace_recording_dir" in self._overrides

    def trace_recording_dir(self) -> str:
        """Where calls are recorded: ``record_traces``' folder, else ``synalinks_home()``."""
        return str(self._overrides.get("trace_recording_dir") or self.synalinks_home())

    # -- loading ---------------------------------------------------------------------------

    def enable_unsafe_deserialization(self) -> None:
        """Accepted for Synalinks code; changes nothing here (and says so in the log).

        Synalinks' switch lets a file carry Python lambdas. Files never carry code here:
        a saved ``Lambda`` names its function, found at load time among the registered
        functions and ``custom_objects`` (``register_synalinks_serializable``), so there is
        nothing unsafe to enable.
        """
        logging.getLogger(LOGGER_NAME).info(
            "enable_unsafe_deserialization() has no effect: saved programs never hold code; "
            "register functions with register_synalinks_serializable or pass custom_objects")
