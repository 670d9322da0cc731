"""The wire protocol between the Python widgets and their views (``js/protocol.ts``).

Two kinds of data cross the widget comm:

* **Synced traits** hold a bounded *snapshot*: what a saved notebook or a view
  opened late shows. Their shapes are the models :class:`Status`,
  :class:`PhaseUsage`, :class:`Proposal` (with its :class:`Flips`), :class:`Version` and
  :class:`VariableEntry` (dumped with :func:`to_json`).
* **Custom messages** carry actions and coalesced updates. Python sends
  :class:`Ping`, :class:`Delta`, :class:`EditError`, :class:`EditVariableError` and
  :class:`RevertError` (build them, then ``widget.send(msg.to_message())``).
  The view sends :class:`Hello`, :class:`Pong`, :class:`Decision`,
  :class:`AcceptAll`, :class:`Stop`, :class:`Revert` and :class:`EditVariable`;
  :func:`parse_frontend_message` validates them, so a handler only ever sees a
  typed message.

The TypeScript types are generated from these models (through the JSON Schema of
:mod:`~.contract`, by ``scripts/gen_ts_contract.py``), so a field is written once, here.
Models forbid unknown fields.

For an ``edit_variable`` that fails (VariableHistory, outside fit), Python
answers with an :class:`EditVariableError` naming the variable.

Errors: a malformed message raises :class:`ProtocolError` (a ``ValueError``);
an ``edit`` decision without a value raises
:class:`~synalinks_nb.errors.InvalidEditError`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, TypeAdapter, ValidationError

from synalinks_nb import events
from synalinks_nb.errors import InvalidEditError, SynalinksNbError

__all__ = [
    "MAX_POINTS",
    "MAX_TRACES",
    "AcceptAll",
    "BackendMessage",
    "DecidedBy",
    "Decider",
    "Decision",
    "Delta",
    "EditError",
    "EditVariable",
    "EditVariableError",
    "FlippedSample",
    "Flips",
    "FrontendMessage",
    "Hello",
    "PhaseUsage",
    "Ping",
    "Point",
    "Pong",
    "Proposal",
    "ProposalStatus",
    "ProtocolError",
    "Revert",
    "RevertError",
    "RunState",
    "SeriesName",
    "Status",
    "Stop",
    "VariableEntry",
    "Version",
    "empty_series",
    "parse_backend_message",
    "parse_frontend_message",
    "to_json",
]

MAX_POINTS = 2000
"""Points kept per reward series, in the ``series`` trait and in a view."""

MAX_TRACES = 200
"""Traces kept for the proposals' flipped samples, in the ``traces`` trait and in a view."""

SeriesName: TypeAlias = Literal["train_reward", "val_reward"]
RunState: TypeAlias = Literal["idle", "running", "waiting", "done", "stopped", "error"]
ProposalStatus: TypeAlias = events.ProposalStatus  # the record's, one definition
Decider: TypeAlias = events.Decider
DecidedBy: TypeAlias = Decider | None


class ProtocolError(SynalinksNbError, ValueError):
    """A widget message does not have the shape the protocol promises."""


def _none_is_absent(schema: dict[str, Any]) -> None:
    """In the JSON Schema, fields that default to ``None`` may be absent (the message drops
    them, or the view does not send them)."""
    props = schema.get("properties", {})
    schema["required"] = [k for k in schema.get("required", [])
                           if "default" not in props.get(k, {}) or props[k]["default"] is not None]


# Every field of a dumped model is present, so the schema (serialization mode) says they
# are required; attribute docstrings become descriptions (comments in the TypeScript).
_CONFIG = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                     json_schema_serialization_defaults_required=True)


class _Model(BaseModel):
    model_config = _CONFIG


# -- snapshot shapes ---------------------------------------------------------------


class Status(_Model):
    """Progress of a fit: the dashboard's ``status`` trait.

    Example:
        >>> to_json(Status(state="running", epoch=1, epochs=3, batch=2, batches=10))["state"]
        'running'
    """

    state: RunState = "idle"
    epoch: int = 0
    epochs: int = 0
    batch: int = 0
    batches: int = 0
    message: str = ""


class PhaseUsage(_Model):
    """Language-model usage of one phase (``inference``, ``reward``, ``optimizer``)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    cache_hits: int = 0


class FlippedSample(_Model):
    """A sample a proposal fixed (wrong, then right) or broke, both outputs side by side.

    ``trace_before`` / ``trace_after`` are ids of traces in the dashboard's ``traces``
    trait (``None`` when traces were off, or the trace is no longer kept).
    """

    index: int
    inputs: Any = None
    expected: Any = None
    output_before: Any = None
    output_after: Any = None
    reward_before: float
    reward_after: float
    trace_before: int | None = None
    trace_after: int | None = None


class Flips(_Model):
    """The samples a proposal fixed and broke on its batch or on validation: the first
    ones of each (see :data:`~synalinks_nb.events.MAX_FLIPS`) and their counts."""

    fixed: list[FlippedSample] = Field(default_factory=list)
    broken: list[FlippedSample] = Field(default_factory=list)
    fixed_count: NonNegativeInt = 0
    broken_count: NonNegativeInt = 0


class Proposal(_Model):
    """An optimizer proposal for one variable, and what became of it."""

    id: str
    variable_path: str
    module: str = ""
    before: Any = None
    after: Any = None
    reward_before: float | None = None
    reward_after: float | None = None
    val_reward_before: float | None = None
    """On the confirmation (validation) data; ``None`` until confirmed, or never."""
    val_reward_after: float | None = None
    rationale: str = ""
    """Why the optimizer proposed it ("why this change"), when it says."""
    status: ProposalStatus = "pending"
    decided_by: DecidedBy = None
    reason: str = ""
    epoch: int = 0
    batch: int = 0
    batch_flips: Flips | None = None
    """The samples of its batch it fixed and broke; ``None`` until scored."""
    val_flips: Flips | None = None
    """The same on the confirmation (validation) data; ``None`` until confirmed, or never."""

    @classmethod
    def from_record(cls, record: events.Proposal, module: str = "") -> Proposal:
        """The wire shape of the trainer's record: epoch and batch 1-based, the module
        (a graph node id) when the view knows it better, flipped samples' traces by id."""
        data = record.to_dict()
        return cls.model_validate({
            **{k: data[k] for k in cls.model_fields if k in data},
            "module": module or record.module,
            "epoch": events.one_based(record.epoch or 0),
            "batch": events.one_based(record.batch or 0),
            "reason": record.reason or (record.note if record.status == "pending" else ""),
        })


class Version(_Model):
    """One recorded value of a variable, with its provenance."""

    variable_path: str
    index: NonNegativeInt
    source: str = ""
    decided_by: DecidedBy = None
    epoch: int | None = None
    """1-based, like :class:`Proposal` and :class:`Status`; ``None`` outside fit."""
    batch: int | None = None
    reward_before: float | None = None
    reward_after: float | None = None
    timestamp: float | str | None = None
    """Seconds since the Unix epoch, or an ISO 8601 string."""
    value: Any = None


class VariableEntry(_Model):
    """One variable in VariableHistory's ``variables`` trait."""

    path: str
    description: str = ""
    value: Any = None
    schema_: Any = Field(default=None, alias="schema")
    versions: list[Version] = Field(default_factory=list)

    model_config = ConfigDict(**_CONFIG, populate_by_name=True)


def empty_series() -> dict[str, list[list[float]]]:
    """The initial value of the dashboard's ``series`` trait."""
    return {"train_reward": [], "val_reward": []}


# -- Python -> JS ---------------------------------------------------------------------


class _Outgoing(_Model):
    def to_message(self) -> dict[str, Any]:
        """The JSON dict to pass to ``widget.send``."""
        return to_json(self)


class Ping(_Outgoing):
    """Probe: a rendered view answers with :class:`Pong` carrying the same id."""

    type: Literal["ping"] = "ping"
    id: str


class Point(_Model):
    """One reward point; ``x`` is the global batch: the batch for ``train_reward``, the
    epoch's last batch for ``val_reward`` (one per epoch), so both share one axis."""

    series: SeriesName
    x: float
    y: float


class Delta(_Outgoing):
    """Coalesced updates since the last delta; absent parts are unchanged.

    Example:
        >>> Delta(points=[Point(series="train_reward", x=1, y=0.5)]).to_message()
        {'type': 'delta', 'points': [{'series': 'train_reward', 'x': 1.0, 'y': 0.5}]}
    """

    model_config = ConfigDict(**_CONFIG, json_schema_extra=_none_is_absent)

    type: Literal["delta"] = "delta"
    points: list[Point] = Field(default_factory=list)
    status: Status | None = None
    usage: dict[str, PhaseUsage] | None = None
    proposals: list[Proposal] | None = None
    """Proposals added or changed since the last delta, each once (its latest state)."""
    versions: list[Version] | None = None
    """Versions recorded since the last delta, oldest first."""
    traces: list[Any] | None = None
    """Traces the proposal's flipped samples link to (``CallTrace.to_dict()``), new ones."""

    def to_message(self) -> dict[str, Any]:
        """The JSON dict, without the parts that did not change."""
        return {k: v for k, v in to_json(self).items() if v is not None}


class EditError(_Outgoing):
    """An edited value was refused; the view shows ``message`` next to the editor."""

    type: Literal["edit_error"] = "edit_error"
    proposal_id: str
    message: str


class RevertError(_Outgoing):
    """A revert was refused; the view shows ``message`` above the history."""

    type: Literal["revert_error"] = "revert_error"
    variable_path: str
    message: str


class EditVariableError(_Outgoing):
    """An ``edit_variable`` was refused; the view shows ``message`` by that variable."""

    type: Literal["edit_variable_error"] = "edit_variable_error"
    variable_path: str
    message: str


BackendMessage: TypeAlias = Annotated[
    Ping | Delta | EditError | EditVariableError | RevertError, Field(discriminator="type")
]

# -- JS -> Python ----------------------------------------------------------------------


class Hello(_Model):
    """Sent once by every view when it renders."""

    type: Literal["hello"] = "hello"


class Pong(_Model):
    """Answer to :class:`Ping`."""

    type: Literal["pong"] = "pong"
    id: str


class Decision(_Model):
    """The user's decision on a pending proposal; ``value`` only for ``edit``."""

    model_config = ConfigDict(**_CONFIG, json_schema_extra=_none_is_absent)

    type: Literal["decision"] = "decision"
    proposal_id: str
    action: Literal["accept", "reject", "edit"]
    value: Any = None

    def to_decision(self, proposal: events.Proposal) -> events.Decision:
        """The person's :class:`~synalinks_nb.events.Decision` (an edit validated here).

        Raises:
            InvalidVariableValueError: the edited value does not fit the variable.
        """
        if self.action == "edit":
            return events.Decision.edit(proposal, self.value, decided_by="human")
        accepted = self.action == "accept"
        return events.Decision(accepted, decided_by="human",
                               reason="accepted" if accepted else "rejected")


class AcceptAll(_Model):
    """Accept this and every remaining proposal of the fit."""

    type: Literal["accept_all"] = "accept_all"


class Stop(_Model):
    """Stop training after the current step."""

    type: Literal["stop"] = "stop"


class Revert(_Model):
    """Move a variable back to version ``index``."""

    type: Literal["revert"] = "revert"
    variable_path: str
    index: NonNegativeInt


class EditVariable(_Model):
    """Assign a new value to a variable outside fit (VariableHistory)."""

    type: Literal["edit_variable"] = "edit_variable"
    variable_path: str
    value: Any


FrontendMessage: TypeAlias = Annotated[
    Hello | Pong | Decision | AcceptAll | Stop | Revert | EditVariable,
    Field(discriminator="type"),
]

_FRONTEND: TypeAdapter[FrontendMessage] = TypeAdapter(FrontendMessage)
_BACKEND: TypeAdapter[BackendMessage] = TypeAdapter(BackendMessage)


def _explain(error: ValidationError, content: object) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "message"
    return f"Expected a valid widget message ({where}: {first['msg']}). Received: {content!r:.300}"


def parse_frontend_message(content: object) -> FrontendMessage:
    """Validate a custom message sent by a view.

    Args:
        content: the decoded JSON content of the comm message.

    Returns:
        The typed message.

    Raises:
        ProtocolError: unknown ``type``, missing or mistyped fields.
        InvalidEditError: an ``edit`` decision without a ``value``.

    Example:
        >>> parse_frontend_message({"type": "decision", "proposal_id": "p1", "action": "accept"})
        Decision(type='decision', proposal_id='p1', action='accept', value=None)
    """
    try:
        message = _FRONTEND.validate_python(content)
    except ValidationError as error:
        raise ProtocolError(_explain(error, content)) from None
    missing_value = not isinstance(content, dict) or "value" not in content
    if isinstance(message, Decision) and message.action == "edit" and missing_value:
        raise InvalidEditError(
            f'Expected an "edit" decision to carry the edited "value". Received: {content!r:.300}'
        )
    return message


def parse_backend_message(content: object) -> BackendMessage:
    """Validate a message Python is about to send (used by tests and debug checks)."""
    try:
        return _BACKEND.validate_python(content, strict=True)
    except ValidationError as error:
        raise ProtocolError(_explain(error, content)) from None


def to_json(model: BaseModel) -> dict[str, Any]:
    """A model as the JSON-ready dict the other side expects (aliases applied)."""
    return model.model_dump(mode="json", by_alias=True)
