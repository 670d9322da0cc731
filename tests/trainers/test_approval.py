"""Approval: reject keeps initial values, accept applies, callables see proposals, edits."""

from __future__ import annotations

from typing import Any

import pytest
from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.trainers import ApprovalPolicy, Decision, Proposal


async def _compiled() -> Any:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=8))
    return program


async def test_reject_leaves_every_variable_at_its_initial_value() -> None:
    program = await _compiled()
    initial = [v.get_json() for v in program.trainable_variables]
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0, approval="reject")
    assert [v.get_json() for v in program.trainable_variables] == initial
    assert [len(v.versions) for v in program.trainable_variables] == [1]
    assert history.proposals, "proposals were made and recorded"
    assert all(not p["accepted"] for p in history.proposals)
    assert {p["decided_by"] for p in history.proposals} == {"policy"}
    assert history.approval["mode"] == "reject"


async def test_accept_applies_with_provenance() -> None:
    program = await _compiled()
    xs, ys = dataset(16)
    await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, approval="accept")
    var = program.trainable_variables[0]
    latest = var.versions[-1]
    assert latest.source == "optimizer"
    assert latest.decided_by == "policy"
    assert latest.epoch == 0 and latest.batch is not None
    assert latest.reward_after is not None and latest.reward_after > latest.reward_before
    assert var.get_json()["examples"]


async def test_env_overrides_the_mode_in_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "reject")
    program = await _compiled()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, approval="accept")
    assert len(program.trainable_variables[0].versions) == 1
    assert history.approval["reason"] == "SYNALINKS_NB_APPROVAL='reject'"


async def test_callable_sees_scored_proposals_and_may_be_async() -> None:
    seen: list[Proposal] = []

    async def judge(proposal: Proposal) -> bool:
        seen.append(proposal)
        return len(seen) == 1

    program = await _compiled()
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, approval=judge)
    first = seen[0]
    assert first.variable_path == "gen/instructions"
    assert first.before["examples"] == [] and first.after["examples"]
    assert first.reward_before is not None and first.reward_after is not None
    assert history.proposals[0]["accepted"] is True
    var = program.trainable_variables[0]
    assert var.versions[-1].value == first.after


async def test_invalid_edit_is_rejected_and_recorded() -> None:
    program = await _compiled()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                                approval=lambda p: {"instructions": 42})
    assert len(program.trainable_variables[0].versions) == 1
    rejected = history.rejected
    assert rejected and "invalid edit" in rejected[0]["reason"]


async def test_valid_edit_is_applied_as_an_edit() -> None:
    program = await _compiled()
    xs, ys = dataset(8)
    await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                      approval=lambda p: {**p.after, "instructions": "Edited."})
    latest = program.trainable_variables[0].versions[-1]
    assert (latest.source, latest.value["instructions"]) == ("edit", "Edited.")


async def test_bad_callable_answer_raises_approval_error() -> None:
    program = await _compiled()
    xs, ys = dataset(8)
    with pytest.raises(sn.errors.ApprovalError, match="Received: str"):
        await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, approval=lambda p: "yes")


class _Transport(sn.callbacks.Callback):
    def __init__(self, answer: bool | None, delay: float = 0.0) -> None:
        super().__init__()
        self.answer = answer
        self.asked: list[Proposal] = []

    async def probe(self) -> bool:
        return self.answer is not None

    async def request_decision(self, proposal: Proposal) -> Decision:
        self.asked.append(proposal)
        if self.answer is None:
            raise AssertionError("not reachable")
        return Decision(self.answer, decided_by="human", reason="clicked")


async def test_auto_uses_a_transport_that_answers() -> None:
    program = await _compiled()
    transport = _Transport(answer=True)
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                                callbacks=[transport])
    assert history.approval["mode"] == "human"
    assert transport.asked
    assert program.trainable_variables[0].versions[-1].decided_by == "human"


async def test_human_without_transport_falls_back_and_says_so(
        caplog: pytest.LogCaptureFixture) -> None:
    program = await _compiled()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, approval="human")
    assert history.approval["mode"] == "accept"
    assert "no approval transport" in history.approval["reason"]
    assert "falling back" in caplog.text


async def test_timeout_decides_and_is_recorded() -> None:
    import asyncio

    class Slow(_Transport):
        async def request_decision(self, proposal: Proposal) -> Decision:
            await asyncio.sleep(5)
            raise AssertionError("should time out")

    program = await _compiled()
    xs, ys = dataset(8)
    policy = ApprovalPolicy("human", timeout=0.05, on_timeout="reject")
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                                callbacks=[Slow(answer=True)], approval=policy)
    assert history.proposals[0]["decided_by"] == "timeout"
    assert not history.proposals[0]["accepted"]


class _Editor(sn.callbacks.Callback):
    """A transport that edits every proposal, the way the dashboard does (Decision.edit)."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Any] = []

    async def probe(self) -> bool:
        return True

    async def request_decision(self, proposal: Proposal) -> Decision:
        value = {**proposal.after, "instructions": "Edited by hand."}
        return Decision.edit(proposal, value, decided_by="human")

    def on_event(self, event: Any) -> None:
        self.events.append(event)


async def test_one_record_flows_through_events_history_and_an_edit_is_validated_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    program = await _compiled()
    var = program.trainable_variables[0]
    editor = _Editor()
    checked: list[Any] = []
    original = type(var).validate

    def counting(self: Any, value: Any) -> Any:
        checked.append(value)
        return original(self, value)

    monkeypatch.setattr(type(var), "validate", counting)
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                                callbacks=[editor], acceptance="batch")
    kinds = [(type(e).__name__, e.proposal.id, e.proposal.status)
             for e in editor.events if hasattr(e, "proposal")]
    pid = kinds[0][1]
    assert kinds == [("ProposalMade", pid, "pending"), ("ProposalScored", pid, "pending"),
                     ("DecisionTaken", pid, "edited")]
    [row] = history.proposals
    assert (row["proposal_id"], row["status"], row["decided_by"]) == (pid, "edited", "human")
    assert row["after"]["instructions"] == "Edited by hand." == var.get_json()["instructions"]
    assert row["module"] == "gen" and row["epoch"] == 0  # the record counts from 0
    # The edit went through validation once before approval (Decision.edit), then once more
    # only inside Variable.assign, which checks every value it stores.
    edits = [v for v in checked if isinstance(v, dict)
             and v.get("instructions") == "Edited by hand."]
    assert len(edits) == 2
