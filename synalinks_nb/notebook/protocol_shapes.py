"""The shapes of the widget protocol's snapshot: what the synced traits hold.

:mod:`~.protocol` re-exports everything here beside the messages; see it for the whole
protocol. The models are dumped with :func:`to_json`; every field they define is sent
(the JSON Schema in :mod:`~.contract` says so), and their attribute docstrings become the
comments of the generated TypeScript.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

from synalinks_nb import events

__all__ = [
    "MAX_POINTS",
    "MAX_TRACES",
    "DecidedBy",
    "Decider",
    "FlippedSample",
    "Flips",
    "PhaseUsage",
    "Proposal",
    "ProposalStatus",
    "RunState",
    "SeriesName",
    "Status",
    "VariableEntry",
    "Version",
    "empty_series",
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


def to_json(model: BaseModel) -> dict[str, Any]:
    """A model as the JSON-ready dict the other side expects (aliases applied)."""
    return model.model_dump(mode="json", by_alias=True)
