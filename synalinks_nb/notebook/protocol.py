"""The wire protocol between the Python widgets and their views (``js/protocol.ts``).

Two kinds of data cross the widget comm:

* **Synced traits** hold a bounded *snapshot*: what a saved notebook or a view
  opened late shows. Their shapes are the models :class:`Status`,
  :class:`PhaseUsage`, :class:`Proposal` (with its :class:`Flips`), :class:`Version` and
  :class:`VariableEntry` (dumped with :func:`to_json`), defined in
  :mod:`~.protocol_shapes` and re-exported here.
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

from pydantic import ConfigDict, Field, NonNegativeInt, TypeAdapter, ValidationError

from synalinks_nb import events
from synalinks_nb.errors import InvalidEditError, SynalinksNbError
from synalinks_nb.notebook.protocol_shapes import (
    _CONFIG,
    MAX_POINTS,
    MAX_TRACES,
    DecidedBy,
    Decider,
    FlippedSample,
    Flips,
    PhaseUsage,
    Proposal,
    ProposalStatus,
    RunState,
    SeriesName,
    Status,
    VariableEntry,
    Version,
    _Model,
    _none_is_absent,
    empty_series,
    to_json,
)

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

class ProtocolError(SynalinksNbError, ValueError):
    """A widget message does not have the shape the protocol promises."""



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
