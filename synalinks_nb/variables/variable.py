"""``Variable``: a trainable JSON value with a schema and a full version history.

A variable owns its current value and every value it ever had. Each
assignment is validated against the schema first; an invalid value raises
:class:`~synalinks_nb.errors.InvalidVariableValueError` and changes nothing.
A valid one becomes a new :class:`Version` recording where it came from
(``init``, ``optimizer``, ``human``, ``edit``, ``revert``, ``load``), when
(epoch, batch), why (rewards before and after) and who decided (``human``,
``policy``, ``timeout``). ``revert(i)`` re-applies version ``i``'s exact value
as a new ``revert`` version, so history is never rewritten.

Candidate values are tried without touching the shared value: inside
``with candidate_values({variable: value})`` reads of the variable (``value``,
``get_json``) see ``value``, in that block and in every task it starts, while
every other task (a ``predict`` running beside ``fit``, a background run) keeps
seeing the accepted version. The overlay is a context variable, so asyncio's
per-task context copies scope it for free.

Optimizer bookkeeping (prediction pools, populations) is *not* stored here; it
lives in the optimizer's state. Listeners (the notebook widgets) subscribe to
changes with :meth:`Variable.subscribe`.
"""

from __future__ import annotations

import contextvars
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Literal

from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.errors import InvalidVariableValueError, SchemaValidationError, VariableError
from synalinks_nb.variables.reads import SynalinksReads
from synalinks_nb.variables.scopes import current_path, get_stateless_scope

__all__ = ["DECIDERS", "SOURCES", "Variable", "Version", "candidate_values"]

_log = logging.getLogger(__name__)

Source = Literal["init", "optimizer", "human", "edit", "revert", "load"]
Decider = Literal["human", "policy", "timeout"]
SOURCES: tuple[str, ...] = ("init", "optimizer", "human", "edit", "revert", "load")
DECIDERS: tuple[str, ...] = ("human", "policy", "timeout")


# id(variable) -> the candidate value seen by reads in this context.
_overlay: contextvars.ContextVar[dict[int, Any] | None] = contextvars.ContextVar(
    "sn_variable_overlay", default=None)


@contextmanager
def candidate_values(values: Mapping[Variable, Any]) -> Iterator[None]:
    """Let reads of these variables see these values, in this context only.

    The values are validated first (an invalid one raises and overlays
    nothing); no version is recorded and no listener is told. Tasks started
    inside the block inherit the overlay; code running elsewhere does not see it.

    Example:
        >>> import synalinks_nb as sn
        >>> v = sn.Variable({"instructions": "Be brief."}, data_model=sn.Instructions)
        >>> with candidate_values({v: {"instructions": "Be exact.", "examples": []}}):
        ...     v.value["instructions"]
        'Be exact.'
        >>> v.value["instructions"], len(v.versions)
        ('Be brief.', 1)
    """
    layer = dict(_overlay.get() or {})
    for variable, value in values.items():
        layer[id(variable)] = variable.validate(value)
    token = _overlay.set(layer)
    try:
        yield
    finally:
        _overlay.reset(token)


def _copy_json(value: Any) -> Any:
    """A deep copy that also proves the value is plain JSON."""
    return json.loads(json.dumps(value))


def _split_seeds(initializer: Any, schema: dict[str, Any]) -> tuple[Any, list[Any]]:
    """``(value, seed_candidates)``: a Trainable's seeds travel in its JSON (Synalinks' way)."""
    if not isinstance(initializer, dict) or "seed_candidates" not in initializer or (
            "seed_candidates" in schema.get("properties", {})):
        return initializer, []
    rest = dict(initializer)
    seeds = rest.pop("seed_candidates")
    return rest, seeds if isinstance(seeds, list) else [seeds]


@dataclass(frozen=True)
class Version:
    """One value a variable held, and how it got there."""

    index: int
    value: Any
    source: str
    timestamp: float
    epoch: int | None = None
    batch: int | None = None
    reward_before: float | None = None
    reward_after: float | None = None
    decided_by: str | None = None
    note: str | None = None
    val_reward_before: float | None = None
    val_reward_after: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The version as plain JSON."""
        return asdict(self)


Listener = Callable[["Variable", Version], None]


class Variable(SynalinksReads):
    """A JSON value with a schema, validated on every assignment and versioned.

    Args:
        initializer: the initial JSON value (a dict, or a DataModel instance).
        data_model: a DataModel class giving the schema (or pass ``schema``).
        schema: the JSON schema, when there is no DataModel class.
        name: the variable's name inside its module.
        module: the owning module's name; the variable's ``path`` is ``module/name``.
        description: what the variable is for (shown in widgets).
        trainable: whether optimizers may change it.

    Example:
        >>> import synalinks_nb as sn
        >>> v = sn.Variable(initializer={"instructions": "Be brief."},
        ...                 data_model=sn.Instructions, name="instructions", module="gen")
        >>> v.path
        'gen/instructions'
        >>> _ = v.assign({"instructions": "Be very brief.", "examples": []}, source="human")
        >>> [x.source for x in v.versions]
        ['init', 'human']
        >>> _ = v.revert(0)
        >>> v.get_json()["instructions"], v.versions[-1].source
        ('Be brief.', 'revert')
    """

    def __init__(
        self,
        initializer: Any = None,
        data_model: Any = None,
        schema: dict[str, Any] | None = None,
        name: str = "variable",
        module: str | None = None,
        description: str = "",
        trainable: bool = True,
    ) -> None:
        if schema is None:
            if data_model is None:
                raise VariableError(
                    "Expected a data_model class or a schema for the variable. Received neither."
                )
            schema = data_model.get_schema()
        if initializer is None and data_model is not None and isinstance(data_model, type):
            initializer = data_model().get_json()
        from_model = hasattr(initializer, "get_json")
        if from_model:
            value = initializer.get_json()
            # An Initializer given no value yet (``Empty()``) makes one from the data model.
            initializer = initializer(data_model) if value is None and callable(
                initializer) else value
        initializer, seeds = _split_seeds(initializer, schema)
        if not from_model and isinstance(initializer, dict) and hasattr(
                data_model, "model_validate"):
            # Fill the data model's defaults ({"instructions": ...} gains "examples": []).
            try:
                initializer = data_model.model_validate(initializer).get_json()
            except ValueError as exc:
                raise InvalidVariableValueError(
                    f"Expected an initial value valid for {data_model.__name__}. Received: {exc}"
                ) from exc
        self.name = name
        if module is None:  # a variable made inside ``sn.name_scope(...)`` lives under it
            module = current_path() or None
        self.module = module
        self.description = description
        self.trainable = trainable
        self._schema: dict[str, Any] = schema
        self._listeners: list[Listener] = []
        self._versions: list[Version] = []
        self._value: Any = None
        self.assign(initializer, source="init")
        self.seed_candidates: list[dict[str, Any]] = self._check_seeds(seeds)

    def _check_seeds(self, seeds: list[Any]) -> list[dict[str, Any]]:
        """Seed candidates (partial values) that make a valid value over the initial one."""
        for seed in seeds:
            if not isinstance(seed, dict):
                raise InvalidVariableValueError(
                    f"Expected seed candidates of variable {self.path!r} to be partial values "
                    f"(dicts). Received: {seed!r:.80}")
            self.validate({**self._value, **seed})
        return [_copy_json(seed) for seed in seeds]

    # -- identity ---------------------------------------------------------------------

    @property
    def path(self) -> str:
        """``module/name``, unique within a program."""
        return f"{self.module}/{self.name}" if self.module else self.name

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON schema every value must match."""
        return self._schema

    # -- value ----------------------------------------------------------------------------

    def get_json(self) -> Any:
        """The current value (a copy: mutate it freely, then ``assign`` it)."""
        return _copy_json(self.value)

    @property
    def value(self) -> Any:
        """The current value (read-only view; use :meth:`get_json` for a mutable copy).

        Inside :func:`candidate_values` this is the candidate, for that context only.
        """
        layer = _overlay.get()
        if layer is not None and id(self) in layer:
            return layer[id(self)]
        return self._value

    @property
    def accepted_value(self) -> Any:
        """The value of the last version, whatever candidate this context overlays."""
        return self._value

    @property
    def version_index(self) -> int:
        """The index of the accepted (last) version; a candidate overlay does not change it."""
        return len(self._versions) - 1

    @property
    def is_candidate(self) -> bool:
        """Whether reads here see a candidate value (inside :func:`candidate_values`)."""
        layer = _overlay.get()
        return layer is not None and id(self) in layer

    @property
    def versions(self) -> tuple[Version, ...]:
        """Every value this variable held, oldest first."""
        return tuple(self._versions)

    def validate(self, value: Any) -> Any:
        """Return a JSON copy of ``value`` if it matches the schema; raise otherwise."""
        if hasattr(value, "get_json"):
            value = value.get_json()
        try:
            copied = _copy_json(value)
        except (TypeError, ValueError) as exc:
            raise InvalidVariableValueError(
                f"Expected a JSON value for variable {self.path!r}. Received: {exc}"
            ) from exc
        try:
            validate_json(copied, self._schema, what=f"variable {self.path!r}")
        except SchemaValidationError as exc:
            raise InvalidVariableValueError(str(exc), path=exc.path, errors=exc.errors) from exc
        return copied

    def assign(
        self,
        value: Any,
        *,
        source: str = "edit",
        epoch: int | None = None,
        batch: int | None = None,
        reward_before: float | None = None,
        reward_after: float | None = None,
        decided_by: str | None = None,
        note: str | None = None,
        val_reward_before: float | None = None,
        val_reward_after: float | None = None,
    ) -> Version:
        """Validate ``value`` and make it the current value, as a new version.

        Inside a :class:`~synalinks_nb.StatelessScope` the value is collected by the
        scope instead (the variable and its versions stay as they are).

        Raises:
            InvalidVariableValueError: the value does not match the schema;
                the variable is unchanged.
        """
        if source not in SOURCES:
            raise VariableError(f"Expected source to be one of {SOURCES}. Received: {source!r}")
        if decided_by is not None and decided_by not in DECIDERS:
            raise VariableError(
                f"Expected decided_by to be one of {DECIDERS} or None. Received: {decided_by!r}"
            )
        copied = self.validate(value)
        scope = get_stateless_scope() if source != "init" else None
        if scope is not None:  # collected by the scope; the variable stays as it is
            scope.add_update((self, copied))
            return Version(index=len(self._versions), value=copied, source=source,
                           timestamp=time.time(), note="inside a StatelessScope: not applied")
        version = Version(
            index=len(self._versions),
            value=copied,
            source=source,
            timestamp=time.time(),
            epoch=epoch,
            batch=batch,
            reward_before=reward_before,
            reward_after=reward_after,
            decided_by=decided_by,
            note=note,
            val_reward_before=val_reward_before,
            val_reward_after=val_reward_after,
        )
        self._value = copied
        self._versions.append(version)
        self._notify(version)
        return version

    def revert(self, index: int, *, decided_by: str | None = "human") -> Version:
        """Make version ``index``'s exact value current again, as a new ``revert`` version."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise VariableError(f"Expected an int version index. Received: {index!r}")
        if not -len(self._versions) <= index < len(self._versions):
            raise VariableError(
                f"Expected a version index in [0, {len(self._versions) - 1}] for variable "
                f"{self.path!r}. Received: {index}"
            )
        target = self._versions[index]
        return self.assign(
            target.value, source="revert", decided_by=decided_by, note=f"revert to {target.index}"
        )

    def set_history(self, value: Any, versions: list[Version]) -> None:
        """Replace the value and the whole version history at once (loading a saved program).

        ``value`` is validated first (an invalid one raises and changes nothing). Listeners
        are not told: no decision was taken, the variable is put back as it was saved.

        Example:
            >>> v = Variable({"n": 1}, schema={"type": "object",
            ...                                "properties": {"n": {"type": "integer"}}})
            >>> _ = v.assign({"n": 2})
            >>> fresh = Variable({"n": 1}, schema=v.schema)
            >>> fresh.set_history({"n": 2}, v.versions)
            >>> fresh.get_json(), [x.source for x in fresh.versions]
            ({'n': 2}, ['init', 'edit'])
        """
        self._value = self.validate(value)
        self._versions = list(versions)

    # -- listeners ----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(variable, version)`` after every change; returns an unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, version: Version) -> None:
        for listener in list(self._listeners):
            try:
                listener(self, version)
            except Exception:  # a broken display must not break training
                _log.exception("Variable listener failed for %s", self.path)

    # -- display and config --------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<Variable path={self.path!r} versions={len(self._versions)} "
            f"trainable={self.trainable}>"
        )

    def _repr_html_(self) -> str:
        from synalinks_nb.data_models.html import json_table_html

        title = f"Variable {self.path} — {len(self._versions)} version(s)"
        return json_table_html(title, self._value)
