from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from synalinks_nb.errors import InvalidEditError
from synalinks_nb.notebook import protocol as p


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"type": "hello"}, p.Hello()),
        ({"type": "pong", "id": "7"}, p.Pong(id="7")),
        (
            {"type": "decision", "proposal_id": "p1", "action": "reject"},
            p.Decision(proposal_id="p1", action="reject"),
        ),
        ({"type": "accept_all"}, p.AcceptAll()),
        ({"type": "stop"}, p.Stop()),
        (
            {"type": "revert", "variable_path": "gen/state", "index": 0},
            p.Revert(variable_path="gen/state", index=0),
        ),
    ],
)
def test_every_view_message_parses(content: dict[str, Any], expected: BaseModel) -> None:
    assert p.parse_frontend_message(content) == expected


def test_edit_decisions_keep_any_json_value_even_null() -> None:
    msg = p.parse_frontend_message(
        {"type": "decision", "proposal_id": "p1", "action": "edit", "value": {"instructions": ""}}
    )
    assert isinstance(msg, p.Decision)
    assert msg.value == {"instructions": ""}
    msg = p.parse_frontend_message({"type": "edit_variable", "variable_path": "v", "value": None})
    assert isinstance(msg, p.EditVariable)
    assert msg.value is None


def test_an_edit_without_value_is_an_invalid_edit() -> None:
    with pytest.raises(InvalidEditError, match='carry the edited "value"'):
        p.parse_frontend_message({"type": "decision", "proposal_id": "p1", "action": "edit"})


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ({"type": "launch_missiles"}, "type"),
        ("accept", "Expected a valid widget message"),
        ({"type": "decision", "proposal_id": "p1", "action": "maybe"}, "action"),
        ({"type": "decision", "action": "accept"}, "proposal_id"),
        ({"type": "revert", "variable_path": "v", "index": -1}, "index"),
        ({"type": "revert", "variable_path": "v", "index": "two"}, "index"),
        ({"type": "pong"}, "id"),
        ({"type": "stop", "force": True}, "force"),
    ],
)
def test_malformed_view_messages_raise_protocol_error(content: object, match: str) -> None:
    with pytest.raises(p.ProtocolError, match=match) as info:
        p.parse_frontend_message(content)
    assert isinstance(info.value, ValueError)
    assert "Received:" in str(info.value)


def test_delta_messages_leave_out_unchanged_parts() -> None:
    msg = p.Delta(
        points=[p.Point(series="val_reward", x=1, y=0.25)],
        status=p.Status(state="waiting", epoch=1, epochs=2, batch=3, batches=4),
    ).to_message()
    assert set(msg) == {"type", "points", "status"}
    assert msg["status"]["state"] == "waiting"
    assert p.parse_backend_message(msg) == p.Delta(
        points=[p.Point(series="val_reward", x=1, y=0.25)],
        status=p.Status(state="waiting", epoch=1, epochs=2, batch=3, batches=4),
    )


def test_backend_messages_round_trip() -> None:
    proposal = p.Proposal(
        id="p1",
        variable_path="gen/state",
        before={"instructions": "a"},
        after={"instructions": "b"},
        reward_before=0.5,
        reward_after=0.75,
        epoch=1,
        batch=2,
    )
    version = p.Version(
        variable_path="gen/state",
        index=1,
        source="optimizer",
        decided_by="human",
        timestamp=1700000000.5,
        value={"instructions": "b"},
    )
    for msg in [
        p.Ping(id="x"),
        p.Delta(
            proposals=[proposal],
            versions=[version],
            usage={"inference": p.PhaseUsage(calls=3, prompt_tokens=10)},
        ),
        p.EditError(proposal_id="p1", message="instructions: expected a string"),
        p.RevertError(variable_path="gen/state", message="no version 9"),
        p.EditVariableError(variable_path="gen/state", message="expected a string"),
    ]:
        wire = msg.to_message()
        assert p.parse_backend_message(wire) == msg
    with pytest.raises(p.ProtocolError, match="type"):  # the dead message is gone
        p.parse_backend_message({"type": "highlight", "node_id": None})


def test_snapshot_shapes_validate_trait_values() -> None:
    with pytest.raises(ValueError, match="state"):
        p.Status(state="sleeping")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="decided_by"):
        p.Proposal(id="p", variable_path="v", decided_by="robot")  # type: ignore[arg-type]
    entry = p.VariableEntry(path="v", schema={"type": "string"}, value="x")
    assert p.to_json(entry)["schema"] == {"type": "string"}
    assert p.empty_series() == {"train_reward": [], "val_reward": []}
