"""The one exception tree of synalinks_nb.

Every error the package raises on purpose derives from :class:`SynalinksNbError`,
so ``except sn.errors.SynalinksNbError`` catches exactly "what this library
refused", and nothing else. Where a built-in exception type is the natural one
(``ValueError``, ``TypeError``, ``KeyError``, ``TimeoutError``), the error also
derives from it, so Keras-style ``except ValueError`` code keeps working.

Messages say what was expected and what was received::

    Expected "epochs" to be a positive int. Received: epochs=0

The tree::

    SynalinksNbError
    ├── ConfigError
    ├── MissingDependencyError (ImportError)       an optional extra is not installed
    ├── DataModelError
    │   ├── SchemaValidationError (ValueError)     JSON does not match its schema
    │   ├── SymbolicValueError (TypeError)         asked a symbolic model for values
    │   └── InvalidOperationError (TypeError)      operator/op applied to the wrong inputs
    │       └── MissingOperandError (ValueError)   ``x + None``: Synalinks raises ValueError
    ├── VariableError
    │   └── InvalidVariableValueError (SchemaValidationError)
    ├── ModuleError
    │   ├── InputSchemaError (ValueError)          wrong input for a module
    │   ├── GraphError (ValueError)                a functional graph that cannot be built
    │   └── ToolError                              a tool (an MCP server's) reported an error
    ├── LanguageModelError
    │   ├── ProviderError                          the provider answered with an error
    │   │   ├── RateLimitError                     429 after the last retry
    │   │   ├── ProviderUnavailableError           5xx / connection refused after the last retry
    │   │   └── AuthenticationError                401 / 403: retrying will not help
    │   ├── LanguageModelTimeoutError (TimeoutError)
    │   ├── StructuredOutputError (ValueError)     unparseable or schema-invalid after repair
    │   └── CacheMissError (KeyError)              replay-only cache has no answer
    ├── TrainingError
    │   ├── TooManyErrorsError                     fit stopped after ``max_errors`` failures
    │   ├── RewardError                            a reward function raised
    │   ├── InvalidEditError (ValueError)          a human edit does not fit the schema
    │   ├── ApprovalError                          the approval policy misbehaved
    │   └── TuningError (ValueError)               a bad search space, objective or search
    ├── KnowledgeBaseError (ValueError)            bad table, record or query for a knowledge base
    │   └── ReadOnlyQueryError                     a write in read-only SQL or Cypher
    ├── DatasetError (ValueError)                  a dataset file that cannot be fetched or read
    │   └── DatasetNotFoundError (FileNotFoundError)  no local copy: the message says how to get one
    └── SavingError
        ├── UnknownObjectError (ValueError)        the file names a class we will not create
        ├── FormatVersionError (ValueError)        the file's format version is not supported
        ├── CorruptedFileError (ValueError)        not JSON, truncated, or structurally wrong
        ├── UntrustedEndpointError (ValueError)    a file's api_base would receive your credentials
        ├── MissingObjectError (ValueError)        the file needs code or a secret it cannot hold
        └── MigrationError (ValueError)            a Synalinks file holds what we cannot map

``FileExistsError`` from ``save(..., overwrite=False)`` is a :class:`SavingError` too
(:class:`SaveTargetExistsError`).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApprovalError",
    "AuthenticationError",
    "CacheMissError",
    "ConfigError",
    "CorruptedFileError",
    "DataModelError",
    "DatasetError",
    "DatasetNotFoundError",
    "FormatVersionError",
    "GraphError",
    "InputSchemaError",
    "InvalidEditError",
    "InvalidOperationError",
    "InvalidVariableValueError",
    "KnowledgeBaseError",
    "LanguageModelError",
    "LanguageModelTimeoutError",
    "MigrationError",
    "MissingDependencyError",
    "MissingObjectError",
    "MissingOperandError",
    "ModuleError",
    "ProviderError",
    "ProviderUnavailableError",
    "RateLimitError",
    "ReadOnlyQueryError",
    "RewardError",
    "SaveTargetExistsError",
    "SavingError",
    "SchemaValidationError",
    "StructuredOutputError",
    "SymbolicValueError",
    "SynalinksNbError",
    "TooManyErrorsError",
    "ToolError",
    "TrainingError",
    "TuningError",
    "UnknownObjectError",
    "UntrustedEndpointError",
    "VariableError",
    "is_fatal",
]


class SynalinksNbError(Exception):
    """Base class of every error synalinks_nb raises on purpose."""


class ConfigError(SynalinksNbError, ValueError):
    """The configuration (file, environment or setter) holds an unusable value."""


class MissingDependencyError(SynalinksNbError, ImportError):
    """An optional dependency is missing; the message gives the install command."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the Python package '{package}', which is not installed. "
            f"Install it with: pip install 'synalinks_nb[{extra}]'"
        )


# -- data models ---------------------------------------------------------------


class DataModelError(SynalinksNbError):
    """Base class of data-model errors."""


class SchemaValidationError(DataModelError, ValueError):
    """JSON does not match its JSON schema.

    Attributes:
        path: JSON path of the offending field (``"$"`` for the root).
        errors: every validation message found, most relevant first.
    """

    def __init__(self, message: str, *, path: str = "$", errors: list[str] | None = None) -> None:
        self.path = path
        self.errors = errors or [message]
        super().__init__(message)


class SymbolicValueError(DataModelError, TypeError):
    """Values were asked of a :class:`SymbolicDataModel`, which has a schema only."""


class InvalidOperationError(DataModelError, TypeError):
    """An operator or op was applied to inputs it does not accept."""


class MissingOperandError(InvalidOperationError, ValueError):
    """``None`` where an operator needs a data model (``x + None``).

    A ``ValueError`` as in Synalinks, and still the ``TypeError`` of its parent.
    """


# -- variables -----------------------------------------------------------------


class VariableError(SynalinksNbError):
    """Base class of variable errors."""


class InvalidVariableValueError(VariableError, SchemaValidationError):
    """A value assigned to a variable does not match the variable's schema.

    The variable's value and versions are left untouched.
    """

    def __init__(
        self, message: str, *, path: str = "$", errors: list[str] | None = None
    ) -> None:
        SchemaValidationError.__init__(self, message, path=path, errors=errors)


# -- modules and programs --------------------------------------------------------


class ModuleError(SynalinksNbError):
    """Base class of module and program errors."""


class InputSchemaError(ModuleError, ValueError):
    """A module received an input that does not match what it was built for."""


class GraphError(ModuleError, ValueError):
    """A functional program's graph cannot be built (disconnected input, cycle...)."""


class ToolError(ModuleError):
    """A tool reported an error (an MCP server's ``isError`` result)."""


# -- language models ---------------------------------------------------------------


class LanguageModelError(SynalinksNbError):
    """Base class of language-model errors.

    Attributes:
        model: the model id the failing request was sent to, when known.
    """

    def __init__(self, message: str, *, model: str | None = None) -> None:
        self.model = model
        super().__init__(message)


class ProviderError(LanguageModelError):
    """The provider answered with an error status.

    Attributes:
        status_code: the HTTP status, when there was one.
    """

    def __init__(
        self, message: str, *, model: str | None = None, status_code: int | None = None
    ) -> None:
        self.status_code = status_code
        super().__init__(message, model=model)


class RateLimitError(ProviderError):
    """The provider kept answering 429 until the retry budget ran out."""


class ProviderUnavailableError(ProviderError):
    """The provider kept failing (5xx, connection refused) until the retry budget ran out."""


class AuthenticationError(ProviderError):
    """The provider refused the credentials (401/403). Retrying will not help."""


class LanguageModelTimeoutError(LanguageModelError, TimeoutError):
    """A request took longer than the configured timeout."""


class StructuredOutputError(LanguageModelError, ValueError):
    """The model's answer could not be parsed or validated, even after the repair attempt.

    Attributes:
        raw: the last raw answer text.
    """

    def __init__(self, message: str, *, model: str | None = None, raw: str = "") -> None:
        self.raw = raw
        super().__init__(message, model=model)


class CacheMissError(LanguageModelError, KeyError):
    """A replay-only cache has no recorded answer for a request."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable.
        return str(self.args[0]) if self.args else ""


# -- training ------------------------------------------------------------------------


class TrainingError(SynalinksNbError):
    """Base class of training errors."""


class TooManyErrorsError(TrainingError):
    """``fit`` stopped because more samples failed than ``max_errors`` allows.

    The program keeps the variables it had after the last accepted change.
    """

    def __init__(self, message: str, *, errors: list[Any] | None = None) -> None:
        self.errors = errors or []
        super().__init__(message)


class RewardError(TrainingError):
    """A reward raised while scoring a prediction; the original error is ``__cause__``.

    Attributes:
        reward: the name of the reward that raised.
    """

    def __init__(self, message: str, *, reward: str = "") -> None:
        self.reward = reward
        super().__init__(message)


class InvalidEditError(TrainingError, ValueError):
    """A human edit of a proposal (or a variable) does not match the variable's schema."""


class ApprovalError(TrainingError):
    """An approval policy returned something other than bool, dict or an awaitable of those."""


class TuningError(TrainingError, ValueError):
    """A hyperparameter search was given a bad space or objective, or its trials kept failing."""


# -- knowledge bases and datasets ------------------------------------------------------


class KnowledgeBaseError(SynalinksNbError, ValueError):
    """A knowledge base was given a table, record or query it cannot use."""


class ReadOnlyQueryError(KnowledgeBaseError):
    """A read-only ``sql()`` or ``cypher()`` received a query that could write."""


class DatasetError(SynalinksNbError, ValueError):
    """A dataset file could not be fetched, verified or read."""


class DatasetNotFoundError(DatasetError, FileNotFoundError):
    """A dataset file or local copy is missing; nothing is downloaded to replace it."""


# -- saving -----------------------------------------------------------------------------


class SavingError(SynalinksNbError):
    """Base class of saving and loading errors."""


class SaveTargetExistsError(SavingError, FileExistsError):
    """``save(..., overwrite=False)`` found an existing file."""


class UnknownObjectError(SavingError, ValueError):
    """A file names a class that is neither built in nor registered."""


class FormatVersionError(SavingError, ValueError):
    """A file's format version is newer than this package or not recognised."""


class CorruptedFileError(SavingError, ValueError):
    """A file is not valid JSON, is truncated, or does not have the expected structure."""


class MigrationError(SavingError, ValueError):
    """A file saved by Synalinks holds something this package cannot load as it was.

    The message names the key; loading it anyway could give a program that
    answers differently from the saved one.
    """


class UntrustedEndpointError(SavingError, ValueError):
    """A loaded file names an ``api_base`` the user did not choose.

    Keys come from the environment (``OPENAI_API_KEY``...), never from files, so
    a file that could pick the endpoint could send your key anywhere. Trust the
    endpoint explicitly (``trusted_api_bases=``, ``SYNALINKS_NB_TRUSTED_API_BASES``,
    ``safe_mode=False``) or pass your own model (``language_model=``).

    Attributes:
        api_base: the endpoint the file names (credentials in it redacted).
    """

    def __init__(self, message: str, *, api_base: str = "") -> None:
        self.api_base = api_base
        super().__init__(message)


class MissingObjectError(SavingError, ValueError):
    """A loaded object needs something files never hold: code or a secret.

    A ``ScriptedLanguageModel``'s ``handler``, a password in an ``api_base``...
    The message names the missing piece and how to give it back
    (``Program.load(path, language_model=...)`` or ``custom_objects``).
    """


#: HTTP statuses of requests that will fail the same way however often they are sent.
_FATAL_STATUSES = frozenset({400, 401, 403, 404, 422})


def is_fatal(error: BaseException) -> bool:
    """Whether retrying (the next sample, the next epoch) cannot help: a refused key, a
    model that does not exist, a request the provider calls malformed. ``fit`` stops at
    the first such error instead of failing every sample the same way.

    Example:
        >>> is_fatal(AuthenticationError("bad key", status_code=401))
        True
        >>> is_fatal(RateLimitError("slow down", status_code=429))
        False
    """
    if isinstance(error, AuthenticationError):
        return True
    if isinstance(error, RateLimitError | ProviderUnavailableError):
        return False
    return isinstance(error, ProviderError) and error.status_code in _FATAL_STATUSES
