"""Failed model calls, max_errors, event order, async callbacks, predict/evaluate."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.trainers import PredictionFailure


def _every_tenth(item: str) -> bool:
    return int(item.split("-")[1]) % 10 == 3


async def _compiled(fail: Any = None, latency: float = 0.0) -> Any:
    lm = sn.ScriptedLanguageModel(handler=category_handler(fail), latency=latency)
    program = await make_program(lm)
    program.compile(reward="exact_match", metrics=["accuracy"],
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=8))
    return program


async def test_ten_percent_failures_complete_and_are_reported() -> None:
    raised: list[str] = []

    def fail(item: str) -> bool:
        if _every_tenth(item):
            raised.append(item)
            return True
        return False

    program = await _compiled(fail=fail)
    xs, ys = dataset(40)
    history = await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0)
    # 30 samples train, the last 10 confirm proposals: items 3, 13 and 23 fail in every
    # forward pass, and again whenever a candidate is scored on their batch or the held-out
    # slice (item 33). Every failure is counted, once, wherever it happened.
    assert history.params["held_out"] == 10
    assert all(errors >= 3 for errors in history.history["errors"])
    assert sum(b["errors"] for b in history.batches) == sum(history.history["errors"])
    assert sum(history.history["errors"]) == len(raised)
    assert "item-33" in raised  # a failure while confirming a candidate is counted too
    assert history.history["reward"][-1] > 0.5


async def test_max_errors_stops_cleanly_and_keeps_accepted_variables() -> None:
    program = await _compiled(fail=_every_tenth)
    xs, ys = dataset(40)
    var = program.trainable_variables[0]
    with pytest.raises(sn.errors.TooManyErrorsError, match="max_errors=2") as info:
        await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0, max_errors=2, shuffle=False)
    assert len(info.value.errors) == 3
    assert "ProviderError" in info.value.errors[0]
    assert var.get_json() == var.versions[-1].value  # no candidate left swapped in


async def test_predict_aligns_outputs_and_marks_failures() -> None:
    program = await _compiled(fail=_every_tenth, latency=0.001)
    xs, _ = dataset(20)
    outputs = await program.predict(xs, batch_size=8, verbose=0)
    assert len(outputs) == 20
    failed = [i for i, o in enumerate(outputs) if isinstance(o, PredictionFailure)]
    assert failed == [3, 13]
    assert outputs[3].index == 3 and "scripted outage" in outputs[3].message
    assert all(o["label"] == "UNKNOWN" for i, o in enumerate(outputs) if i not in failed)


async def test_rewards_follow_samples_finishing_out_of_order() -> None:
    async def slow_first(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        import json

        query = json.loads(messages[-1]["content"])
        index = int(query["item"].split("-")[1])
        await asyncio.sleep(0.02 * (8 - index % 8))  # first sample finishes last
        return {"label": query["category"].upper() if index % 2 == 0 else "WRONG"}

    program = await make_program(sn.ScriptedLanguageModel(handler=slow_first))
    seen: list[Any] = []

    class Spy(optimizers.Optimizer):
        async def propose(self, variable: Any, context: Any) -> None:
            seen.extend(context.predictions)

    program.compile(reward="exact_match", optimizer=Spy())
    xs, ys = dataset(8)
    await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, shuffle=False)
    assert [p.sample_id for p in seen] == list(range(8))
    for p in seen:
        assert p.reward == (1.0 if p.outputs["label"] == p.y_true["label"] else 0.0)
        assert p.inputs["item"] == f"item-{p.sample_id}"


async def test_events_arrive_in_documented_order_and_async_callbacks_are_awaited() -> None:
    order: list[str] = []

    class Recorder(sn.callbacks.Callback):
        async def on_event(self, event: Any) -> None:
            await asyncio.sleep(0)
            order.append(event.kind if event.kind not in ("batch_begin", "batch_end")
                         else f"{event.kind}:{event.mode}")

        async def on_variable_changed(self, event: Any) -> None:
            await asyncio.sleep(0.001)
            order.append("awaited")

    program = await _compiled()
    xs, ys = dataset(10)
    await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, validation_split=0.2,
                      callbacks=[Recorder()], approval="accept")
    assert order == [
        "train_begin", "approval_resolved", "epoch_begin",
        "batch_begin:train", "proposal_made", "proposal_scored", "decision_taken",
        "variable_changed", "awaited", "batch_end:train",
        "test_begin", "batch_begin:test", "batch_end:test", "test_end",
        "epoch_end", "train_end",
    ]


async def test_a_failing_fit_says_why_instead_of_train_end_and_raises_the_original() -> None:
    seen: list[Any] = []

    class Failing(sn.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            if epoch == 1:
                raise RuntimeError("disk full")

    class Recorder(sn.callbacks.Callback):
        def on_event(self, event: Any) -> None:
            seen.append(event)

        def on_train_failed(self, event: Any) -> None:
            raise ValueError("a clumsy callback must not hide the real error")

    program = await _compiled()
    xs, ys = dataset(8)
    with pytest.raises(RuntimeError, match="disk full"):
        await program.fit(xs, ys, epochs=3, batch_size=8, verbose=0,
                          callbacks=[Failing(), Recorder()], approval="accept")
    kinds = [e.kind for e in seen]
    assert kinds[-1] == "train_failed" and "train_end" not in kinds
    assert kinds.count("epoch_end") == 1  # epoch 0 finished, epoch 1 never started
    failed = seen[-1]
    assert (failed.error_type, failed.error, failed.interrupted) == (
        "RuntimeError", "disk full", False)


async def test_a_cancelled_fit_is_reported_as_interrupted() -> None:
    seen: list[Any] = []

    class Recorder(sn.callbacks.Callback):
        def on_train_failed(self, event: Any) -> None:
            seen.append(event)

    program = await _compiled(latency=0.05)
    xs, ys = dataset(64)
    fit = asyncio.ensure_future(program.fit(xs, ys, epochs=5, batch_size=8, verbose=0,
                                            callbacks=[Recorder()], approval="accept"))
    await asyncio.sleep(0.2)
    fit.cancel()
    with pytest.raises(asyncio.CancelledError):
        await fit
    assert [(e.error_type, e.interrupted) for e in seen] == [("CancelledError", True)]


async def test_events_carry_ids_paths_values_rewards() -> None:
    events: list[Any] = []

    class Keep(sn.callbacks.Callback):
        def on_event(self, event: Any) -> None:
            events.append(event)

    program = await _compiled()
    xs, ys = dataset(8)
    await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, callbacks=[Keep()],
                      approval="accept")
    changed = next(e for e in events if e.kind == "variable_changed")
    decision = next(e for e in events if e.kind == "decision_taken")
    assert changed.proposal_id == decision.proposal_id
    assert changed.variable_path == "gen/instructions"
    assert changed.before["examples"] == [] and changed.after["examples"]
    assert changed.reward_after > changed.reward_before
    assert (changed.epoch, changed.batch) == (0, 0)
    assert len({e.run_id for e in events}) == 1
    assert [e.seq for e in events] == sorted(e.seq for e in events)


async def test_evaluate_returns_reward_and_metrics() -> None:
    program = await _compiled()
    xs, ys = dataset(8)
    logs = await program.evaluate(xs, ys, batch_size=4)
    assert logs == {"reward": 0.0, "accuracy": 0.0, "errors": 0}
    batch_logs = await program.test_on_batch(xs[:2], ys[:2], return_dict=True)
    assert batch_logs["reward"] == 0.0
    # Synalinks' and Keras' default: the reward, then the metrics, as a list.
    assert await program.test_on_batch(xs[:2], ys[:2]) == [0.0, 0.0]
    assert await program.evaluate(xs, ys, return_dict=False, verbose=0) == [0.0, 0.0]
    out = await program.predict_on_batch([{"category": "fruit", "item": "x"}])
    assert out[0]["label"] == "UNKNOWN"
    train_logs = await program.train_on_batch(xs, ys, approval="accept", return_dict=True)
    assert train_logs["reward"] == 0.0
    assert len(program.trainable_variables[0].versions) == 2


async def test_fit_without_validation_data_and_bad_arguments() -> None:
    program = await _compiled()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0)
    assert "val_reward" not in history.history
    with pytest.raises(ValueError, match='Expected "epochs" to be a positive int'):
        await program.fit(xs, ys, epochs=0)
    uncompiled = await make_program(sn.ScriptedLanguageModel())
    with pytest.raises(sn.errors.TrainingError, match="compile"):
        await uncompiled.fit(xs, ys)


async def test_shuffle_is_reproducible_under_set_seed() -> None:
    async def orders() -> list[list[str]]:
        sn.set_seed(7)
        program = await _compiled()
        got: list[list[str]] = []

        class Spy(optimizers.Optimizer):
            async def propose(self, variable: Any, context: Any) -> None:
                got.append([p.inputs["item"] for p in context.predictions])

        program.optimizer = Spy()
        xs, ys = dataset(16)
        await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0)
        return got

    first, second = await orders(), await orders()
    assert first == second
    assert first[0] != first[2]  # reshuffled each epoch


async def test_several_rewards_are_combined_by_their_weights() -> None:
    # exact_match scores 1 on every sample; "starts_with_f" only on the fruit ones (1 in 4).
    def starts_with_f(y_true, y_pred):  # type: ignore[no-untyped-def]
        return float(y_pred["label"].startswith("F"))

    def right(messages, schema):  # type: ignore[no-untyped-def]
        return {"label": json.loads(messages[-1]["content"])["category"].upper()}

    program = await make_program(sn.ScriptedLanguageModel(handler=right))
    program.compile(reward=["exact_match", starts_with_f], reward_weights=[1.0, 3.0])
    xs, ys = dataset(8)
    logs = await program.evaluate(xs, ys, batch_size=3, verbose=0)
    assert logs["reward"] == pytest.approx((1.0 * 1.0 + 3.0 * 0.25) / 4.0)
    with pytest.raises(ValueError, match="one reward weight per reward"):
        program.compile(reward=["exact_match", starts_with_f], reward_weights=[1.0])
