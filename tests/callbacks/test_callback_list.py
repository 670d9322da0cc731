"""``CallbackList`` called the Synalinks/Keras way: defaults added, ``on_*`` fanned out."""

from __future__ import annotations

from typing import Any

import synalinks_nb as sn
from synalinks_nb.callbacks import CallbackList


class Recorder(sn.callbacks.Callback):
    def __init__(self, calls: list[str], tag: str) -> None:
        super().__init__()
        self.calls, self.tag = calls, tag

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.calls.append(f"{self.tag}:{epoch}:{(logs or {}).get('reward')}")


class AsyncRecorder(Recorder):
    async def on_epoch_end(self, epoch: int,  # type: ignore[override]
                           logs: dict[str, Any] | None = None) -> None:
        self.calls.append(f"{self.tag}:{epoch}")


def test_add_history_and_add_progbar_add_each_only_when_missing() -> None:
    history = sn.callbacks.History()
    hooks = CallbackList([history], add_history=True, add_progbar=True)
    kinds = [type(cb).__name__ for cb in hooks.callbacks]
    assert kinds == ["History", "ProgbarLogger"] and hooks.callbacks[0] is history
    assert [type(cb).__name__ for cb in CallbackList(None).callbacks] == []


def test_program_and_params_reach_every_callback_including_synalinks_extra_keywords() -> None:
    calls: list[str] = []
    first, second = Recorder(calls, "a"), Recorder(calls, "b")
    program = object()
    hooks = CallbackList([first, second], program=program, epochs=3, steps=2)
    assert first.program is program and second.params == {"epochs": 3, "steps": 2}
    hooks.set_params({"epochs": 5})
    assert first.params == {"epochs": 5}


def test_on_methods_call_every_callback_in_order() -> None:
    calls: list[str] = []
    hooks = CallbackList([Recorder(calls, "a"), Recorder(calls, "b")])
    assert hooks.on_epoch_end(1, {"reward": 0.5}) is None
    assert calls == ["a:1:0.5", "b:1:0.5"]


async def test_an_async_callback_makes_the_call_awaitable_and_keeps_the_order() -> None:
    calls: list[str] = []
    hooks = CallbackList([Recorder(calls, "a"), AsyncRecorder(calls, "b"), Recorder(calls, "c")])
    pending = hooks.on_epoch_end(2, {"reward": 1.0})
    assert calls == ["a:2:1.0"]
    await pending
    assert calls == ["a:2:1.0", "b:2", "c:2:1.0"]
