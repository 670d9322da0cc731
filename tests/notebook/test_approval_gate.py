"""ApprovalGate: probe retries, answers from any thread, early clicks, accept-all, stop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from synalinks_nb.events import Decision
from synalinks_nb.notebook.approval_gate import ApprovalGate


def make_gate(**kwargs: Any) -> tuple[ApprovalGate, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []
    return ApprovalGate(sent.append, **kwargs), sent


async def test_probe_retries_until_a_late_view_answers() -> None:
    gate, sent = make_gate(probe_timeout=2.0, probe_interval=0.05)
    loop = asyncio.get_running_loop()
    # The first pings are lost (view not rendered yet); the view answers the third.
    loop.call_later(0.12, lambda: gate.on_pong(sent[-1]["id"]))
    assert await gate.probe() is True
    assert 2 <= len(sent) <= 4 and all(m["type"] == "ping" for m in sent)
    assert gate.connected


async def test_probe_gives_up_after_the_timeout() -> None:
    gate, sent = make_gate(probe_timeout=0.2, probe_interval=0.05)
    start = asyncio.get_running_loop().time()
    assert await gate.probe() is False
    assert 0.19 <= asyncio.get_running_loop().time() - start < 0.5
    assert len(sent) >= 3


async def test_a_pong_for_an_unknown_ping_is_ignored() -> None:
    gate, _ = make_gate(probe_timeout=0.1, probe_interval=0.05)
    asyncio.get_running_loop().call_later(0.02, gate.on_pong, "ping-999")
    assert await gate.probe() is False


async def test_answer_from_another_thread_wakes_the_loop() -> None:
    gate, _ = make_gate()
    waiting = asyncio.ensure_future(gate.request("p1"))
    await asyncio.sleep(0)
    thread = threading.Thread(target=gate.resolve, args=("p1", Decision(False, decided_by="human")))
    thread.start()
    thread.join()
    assert (await asyncio.wait_for(waiting, 1)).status == "rejected"
    assert gate.pending == []


async def test_a_click_before_the_request_is_kept() -> None:
    gate, _ = make_gate()
    assert gate.resolve("p1", Decision(True, decided_by="human")) is True
    reject = Decision(False, decided_by="human")
    assert gate.resolve("p1", reject) is False, "a second click does not override"
    assert (await asyncio.wait_for(gate.request("p1"), 1)).status == "accepted"


async def test_accept_remaining_answers_pending_and_later_requests() -> None:
    gate, _ = make_gate()
    first = asyncio.ensure_future(gate.request("p1"))
    await asyncio.sleep(0)
    gate.accept_remaining()
    assert (await asyncio.wait_for(first, 1)).status == "accepted"
    later = await asyncio.wait_for(gate.request("p2"), 1)
    assert later == Decision(True, decided_by="human", reason="accept all remaining")
    gate.reset()
    assert not gate.accept_all


async def test_reject_pending_on_stop() -> None:
    gate, _ = make_gate()
    waiting = asyncio.ensure_future(gate.request("p1"))
    await asyncio.sleep(0)
    gate.reject_pending("stopped")
    stopped = Decision(False, decided_by="human", reason="stopped")
    assert await asyncio.wait_for(waiting, 1) == stopped


def test_invalid_probe_settings_fail_loudly() -> None:
    with pytest.raises(ValueError, match="probe_interval"):
        ApprovalGate(lambda m: None, probe_interval=0)
