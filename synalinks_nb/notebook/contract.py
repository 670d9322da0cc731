"""The widget protocol as one JSON Schema document: what ``js/generated/contract.ts`` is
generated from (``python scripts/gen_ts_contract.py``).

The document holds every model of :mod:`~.protocol` (the snapshot shapes and the
messages both ways) under ``$defs``, in the shape that crosses the comm: a field Python
always sends is required, one it may leave out (a delta's unchanged parts, an edit's
``value``) is not. Beside them, ``$defs`` names the literal sets (``RunState``,
``ProposalStatus``...) and the two message unions, and ``x-constants`` holds the bounds
both sides apply (``MAX_POINTS``, ``MAX_TRACES``).

Example:
    >>> schema = contract_schema()
    >>> schema["$defs"]["RunState"]["enum"][:2], schema["x-constants"]["MAX_POINTS"]
    (['idle', 'running'], 2000)
    >>> schema["$defs"]["Delta"]["required"]
    ['type', 'points']
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from synalinks_nb.notebook import protocol as p

__all__ = ["LITERALS", "MODELS", "contract_schema"]

MODELS: tuple[type[BaseModel], ...] = (
    p.Status, p.PhaseUsage, p.FlippedSample, p.Flips, p.Proposal, p.Version,
    p.VariableEntry, p.Point,
    p.Ping, p.Delta, p.EditError, p.EditVariableError, p.RevertError,
    p.Hello, p.Pong, p.Decision, p.AcceptAll, p.Stop, p.Revert, p.EditVariable,
)
"""Every model of the protocol, in the order the TypeScript declares them."""

LITERALS: dict[str, Any] = {
    "SeriesName": p.SeriesName,
    "RunState": p.RunState,
    "ProposalStatus": p.ProposalStatus,
    "DecidedBy": p.Decider,
}
"""The named literal sets (the TypeScript gets a type and a list of values for each)."""


def _union(name: str, models: tuple[type[BaseModel], ...]) -> dict[str, Any]:
    refs = [{"$ref": f"#/$defs/{m.__name__}"} for m in models]
    return {"title": name, "oneOf": refs, "discriminator": {"propertyName": "type"}}


def contract_schema() -> dict[str, Any]:
    """The JSON Schema document of the protocol (see the module docstring)."""
    _, document = models_json_schema([(m, "serialization") for m in MODELS],
                                     ref_template="#/$defs/{model}")
    defs: dict[str, Any] = document["$defs"]
    for name, literal in LITERALS.items():
        defs[name] = {"title": name, **TypeAdapter(literal).json_schema()}
    defs["BackendMessage"] = _union("BackendMessage", (p.Ping, p.Delta, p.EditError,
                                                        p.EditVariableError, p.RevertError))
    defs["FrontendMessage"] = _union("FrontendMessage", (p.Hello, p.Pong, p.Decision,
                                                          p.AcceptAll, p.Stop, p.Revert,
                                                          p.EditVariable))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "synalinks_nb widget protocol",
            "$defs": dict(sorted(defs.items())),
            "x-constants": {"MAX_POINTS": p.MAX_POINTS, "MAX_TRACES": p.MAX_TRACES}}
