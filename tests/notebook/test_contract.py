"""The Python/TypeScript contract: TypeScript types generated from the protocol's JSON Schema
(``scripts/gen_ts_contract.py``), and message fixtures both test suites read
(``tests/fixtures/contract/*.json``; ``js/contract.test.ts`` is the other reader)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from synalinks_nb.errors import InvalidEditError
from synalinks_nb.notebook import protocol as p
from synalinks_nb.notebook.contract import contract_schema

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "contract"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_ts_contract",
                                                  ROOT / "scripts" / "gen_ts_contract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fixtures(name: str, kind: str) -> list[Any]:
    cases = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))[kind]
    return [pytest.param(case, id=case["name"]) for case in cases]


def test_the_checked_in_typescript_is_generated_from_the_current_models() -> None:
    generated = _generator().generate()
    on_disk = (ROOT / "js" / "generated" / "contract.ts").read_text(encoding="utf-8")
    assert generated == on_disk, "js/generated/contract.ts is stale: run " \
                                 "python scripts/gen_ts_contract.py"


def test_literal_sets_bounds_and_optionality_come_through_the_schema() -> None:
    ts = _generator().render(contract_schema())
    assert 'export type RunState = "idle" | "running" | "waiting" | "done" | "stopped" | ' \
           '"error";' in ts
    assert "export const MAX_POINTS = 2000;" in ts and "  state: RunState;" in ts
    # Absent when unchanged (delta) or not needed (accept): optional; always sent: required.
    assert "  proposals?: Proposal[] | null;" in ts and "  value?: JsonValue;" in ts
    assert "  reward_before: number | null;" in ts


def test_protocol_ts_declares_no_generated_shape_again() -> None:
    ts = (ROOT / "js" / "protocol.ts").read_text(encoding="utf-8")
    declared = set(re.findall(r"export (?:interface|type) (\w+)", ts))
    generated = set(re.findall(r"export (?:interface|type) (\w+)",
                               _generator().render(contract_schema())))
    # DeltaMessage / BackendMessage / FrontendMessage are re-typed on purpose (traces).
    assert declared & generated <= {"DeltaMessage", "BackendMessage", "FrontendMessage",
                                    "JsonValue"}


def test_the_generator_refuses_what_it_does_not_understand() -> None:
    schema = {"$defs": {"Odd": {"type": "object", "properties": {
        "x": {"type": "string", "pattern": "^a"}, "y": {"not": {"type": "string"}}}}}}
    with pytest.raises(ValueError, match="Expected a JSON Schema construct"):
        _generator().render(schema)


@pytest.mark.parametrize("case", _fixtures("backend", "valid"))
def test_valid_backend_messages_round_trip(case: dict[str, Any]) -> None:
    message = p.parse_backend_message(case["message"])
    expected = {k: v for k, v in case["message"].items() if k != "traces"}
    assert {k: v for k, v in message.to_message().items() if k != "traces"} == expected


@pytest.mark.parametrize("case", _fixtures("backend", "invalid"))
def test_invalid_backend_messages_are_refused(case: dict[str, Any]) -> None:
    with pytest.raises(p.ProtocolError, match="Expected a valid widget message"):
        p.parse_backend_message(case["message"])


@pytest.mark.parametrize("case", _fixtures("frontend", "valid"))
def test_valid_frontend_messages_parse(case: dict[str, Any]) -> None:
    parsed = p.parse_frontend_message(case["message"])
    assert {k: v for k, v in p.to_json(parsed).items() if k in case["message"]} \
        == case["message"]


@pytest.mark.parametrize("case", _fixtures("frontend", "invalid"))
def test_invalid_frontend_messages_are_refused(case: dict[str, Any]) -> None:
    with pytest.raises((p.ProtocolError, InvalidEditError), match="Expected"):
        p.parse_frontend_message(case["message"])
