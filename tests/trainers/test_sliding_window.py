"""evaluate / predict keep ``batch_size`` samples in flight (a sliding window).

One slow answer holds one slot, not its whole batch; batches stay the unit of
reporting (events in order, rewards and metrics per batch); leaving early cancels
what is still running.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from category_task import Label, dataset, make_program

import synalinks_nb as sn
from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.trainers.steps import PredictionFailure


class _Gate:
    """A scripted model handler: sample ``item-0`` waits until ``release_on`` starts.

    It also tracks how many requests are in flight, and their start order.
    """

    def __init__(self, release_on: str = "item-3", fail: str | None = None) -> None:
        self.release_on = release_on
        self.fail = fail
        self.released = asyncio.Event()
        self.in_flight = 0
        self.most_in_flight = 0
        self.started: list[str] = []

    async def __call__(self, messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        query = json.loads(messages[-1]["content"])
        item = query["item"]
        self.started.append(item)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if item == self.release_on:
                self.released.set()
            if item == "item-0":
                await self.released.wait()
            else:
                await asyncio.sleep(0)
            if item == self.fail:
                raise sn.errors.ProviderError("scripted outage", model="scripted",
                                              status_code=400)
            return {"label": query["category"].upper()}
        finally:
            self.in_flight -= 1


async def _program(gate: _Gate) -> Any:
    program = await make_program(sn.ScriptedLanguageModel(handler=gate))
    program.compile(reward="exact_match", metrics=["accuracy"])
    return program


class _Events(Callback):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, int | None]] = []

    def on_event(self, event: Any) -> None:
        if event.kind in ("batch_begin", "batch_end"):
            self.seen.append((event.kind, event.batch))


async def test_a_slow_sample_does_not_hold_back_the_next_batch() -> None:
    # item-0 (batch 0) answers only once item-3 (batch 1) has started: batch after batch,
    # this would never finish.
    gate = _Gate(release_on="item-3")
    program = await _program(gate)
    xs, ys = dataset(9)
    logs = await asyncio.wait_for(program.evaluate(xs, ys, batch_size=3, verbose=0), 5)
    assert logs["reward"] == 1.0 and logs["errors"] == 0
    assert gate.most_in_flight <= 3
    assert gate.started.index("item-3") < len(gate.started) - 1
    assert gate.started[:3] == ["item-0", "item-1", "item-2"]  # samples start in order


async def test_predict_keeps_at_most_batch_size_in_flight_and_outputs_aligned() -> None:
    gate = _Gate(release_on="item-5", fail="item-4")
    program = await _program(gate)
    xs, _ = dataset(11)
    events = _Events()
    outputs = await asyncio.wait_for(
        program.predict(xs, batch_size=4, verbose=0, callbacks=[events]), 5)
    assert gate.most_in_flight == 4
    assert [o.get_json()["label"] if o else None for o in outputs] == [
        None if x.item == "item-4" else x.category.upper() for x in xs]
    failure = outputs[4]
    assert isinstance(failure, PredictionFailure) and failure.index == 4
    assert "scripted outage" in failure.message
    assert events.seen == [("batch_begin", 0), ("batch_end", 0), ("batch_begin", 1),
                           ("batch_end", 1), ("batch_begin", 2), ("batch_end", 2)]


async def test_evaluate_reports_each_batch_in_order_with_its_own_rewards() -> None:
    gate = _Gate(release_on="item-3", fail="item-4")
    program = await _program(gate)
    xs, ys = dataset(6)
    batch_logs: list[dict[str, Any]] = []

    class Keep(Callback):
        def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
            batch_logs.append(dict(logs or {}))

    logs = await asyncio.wait_for(
        program.evaluate(xs, ys, batch_size=3, verbose=0, callbacks=[Keep()]), 5)
    # batch 0 is all right even though batch 1 started before item-0 answered
    assert [(b["reward"], b["errors"]) for b in batch_logs] == [(1.0, 0), (2 / 3, 1)]
    assert logs["reward"] == pytest.approx(5 / 6) and logs["errors"] == 1
    assert logs["accuracy"] == pytest.approx(5 / 6)


async def test_a_callback_error_stops_evaluate_and_cancels_running_samples() -> None:
    started: list[str] = []
    never = asyncio.Event()

    async def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        item = json.loads(messages[-1]["content"])["item"]
        started.append(item)
        if item in ("item-0", "item-1"):
            return {"label": "X"}
        await never.wait()  # the rest hang until cancelled
        return {"label": "X"}

    cancelled: list[str] = []

    async def tracked(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        try:
            return await handler(messages, schema)
        except asyncio.CancelledError:
            cancelled.append(json.loads(messages[-1]["content"])["item"])
            raise

    program = await make_program(sn.ScriptedLanguageModel(handler=tracked))
    program.compile(reward="exact_match")

    class Boom(Callback):
        def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
            raise RuntimeError("callback failed")

    xs, ys = dataset(12)
    with pytest.raises(RuntimeError, match="callback failed"):
        await asyncio.wait_for(
            program.evaluate(xs, ys, batch_size=2, verbose=0, callbacks=[Boom()]), 5)
    # batch 0 ended (and the callback raised); the samples of batch 1 that were running
    # are cancelled, and nothing else starts.
    assert sorted(cancelled) == ["item-2", "item-3"]
    await asyncio.sleep(0.01)
    assert sorted(started) == ["item-0", "item-1", "item-2", "item-3"]


async def test_cancelling_predict_cancels_every_running_sample() -> None:
    running: set[str] = set()

    async def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        item = json.loads(messages[-1]["content"])["item"]
        running.add(item)
        try:
            await asyncio.sleep(30)
        finally:
            running.discard(item)
        return {"label": "X"}

    program = await make_program(sn.ScriptedLanguageModel(handler=handler))
    xs, _ = dataset(10)
    task = asyncio.ensure_future(program.predict(xs, batch_size=4, verbose=0))
    for _ in range(1000):
        if len(running) == 4:
            break
        await asyncio.sleep(0.001)
    assert running == {"item-0", "item-1", "item-2", "item-3"}
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert running == set()


async def test_empty_inputs_give_no_batches() -> None:
    program = await make_program(sn.ScriptedLanguageModel(responses=[{"label": "X"}]))
    program.compile(reward="exact_match")
    events = _Events()
    assert await program.predict([], verbose=0, callbacks=[events]) == []
    logs = await program.evaluate([], [], verbose=0, callbacks=[events])
    assert logs["errors"] == 0 and events.seen == []


async def test_labels_are_scored_against_their_own_sample() -> None:
    # Answers finish in reverse order within the window; each is still compared
    # with its own label.
    async def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        query = json.loads(messages[-1]["content"])
        await asyncio.sleep(0.001 * (9 - int(query["item"].split("-")[1])))
        return {"label": query["category"].upper()}

    program = await make_program(sn.ScriptedLanguageModel(handler=handler))
    program.compile(reward="exact_match")
    xs, ys = dataset(10)
    ys[7] = Label(label="WRONG")
    logs = await program.evaluate(xs, ys, batch_size=4, verbose=0)
    assert logs["reward"] == pytest.approx(0.9)



async def test_a_sample_dying_of_a_base_exception_ends_predict_with_it() -> None:
    class Abort(BaseException):
        pass

    async def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        if json.loads(messages[-1]["content"])["item"] == "item-5":
            raise Abort("stop everything")
        await asyncio.sleep(0)
        return {"label": "X"}

    program = await make_program(sn.ScriptedLanguageModel(handler=handler))
    xs, _ = dataset(12)
    with pytest.raises(Abort, match="stop everything"):
        await asyncio.wait_for(program.predict(xs, batch_size=4, verbose=0), 5)
