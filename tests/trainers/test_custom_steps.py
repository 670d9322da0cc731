"""Customising what fit / evaluate / predict do per batch: train_step, test_step, predict_step,
and the trainer state callbacks may set (stop_training, resume_epoch)."""

from __future__ import annotations

from typing import Any

import pytest
from category_task import Label, Query, category_handler, dataset

import synalinks_nb as sn
from synalinks_nb import callbacks, optimizers
from synalinks_nb.errors import TrainingError
from synalinks_nb.trainers import Batch


class EveryOther(sn.Program):
    """Lets the optimizer act on even batches only, and logs the right answers per batch."""

    async def train_step(self, data: Batch) -> dict[str, Any]:
        x, y = data
        y_pred = await self.predict_step(data)
        rewards = await self.compute_reward(x, y, y_pred)
        if data.index % 2 == 0:
            await self.apply_optimizer(data, rewards)
        logs = await self.compute_metrics(x, y, y_pred)
        return {"reward": sum(rewards) / len(rewards),
                "right": sum(r == 1.0 for r in rewards), **logs}


class Lowercase(sn.Program):
    """Answers in lower case: its predict_step post-processes the outputs."""

    async def predict_step(self, data: Batch) -> list[Any]:
        outputs = await super().predict_step(data)
        return [Label(label=o.get_json()["label"].lower()) for o in outputs]


class CountingTests(sn.Program):
    """Counts the evaluation batches its test_step saw."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.batches_seen = 0

    async def test_step(self, data: Batch) -> dict[str, Any]:
        self.batches_seen += 1
        return {**await super().test_step(data), "batches_seen": self.batches_seen}


class BatchLogs(callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.train: list[dict[str, Any]] = []
        self.test: list[dict[str, Any]] = []

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self.train.append(dict(logs))

    def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
        self.test.append(dict(logs))


async def _program(cls: type[sn.Program] = sn.Program) -> Any:
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    inputs = sn.Input(data_model=Query)
    outputs = await sn.Generator(data_model=Label, language_model=lm, name="gen")(inputs)
    program = cls(inputs=inputs, outputs=outputs, name="classifier")
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot(
        nb_min_examples=1, nb_max_examples=2, only_improvements=False))
    return program


async def _proposal_batches(cls: type[sn.Program]) -> tuple[set[int], list[dict[str, Any]]]:
    program = await _program(cls)
    xs, ys = dataset(16)
    logs = BatchLogs()
    history = await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0, shuffle=False,
                                approval="accept", acceptance="batch", callbacks=[logs])
    return {p["batch"] for p in history.proposals}, logs.train


async def test_fit_runs_an_overridden_train_step() -> None:
    default_batches, _ = await _proposal_batches(sn.Program)
    assert default_batches == {0, 1, 2, 3}  # by default the optimizer acts on every batch
    batches, logs = await _proposal_batches(EveryOther)
    assert batches == {0, 2}
    assert [set(entry) for entry in logs] == [{"reward", "right", "errors"}] * 4
    assert sum(entry["right"] for entry in logs) > 0  # the key carries a real count


async def test_train_on_batch_runs_the_train_step_too() -> None:
    program = await _program(EveryOther)
    xs, ys = dataset(4)
    logs = await program.train_on_batch(xs, ys, approval="accept", return_dict=True)
    assert set(logs) == {"reward", "right", "errors"}


async def test_evaluate_and_validation_run_an_overridden_test_step() -> None:
    program = await _program(CountingTests)
    xs, ys = dataset(12)
    logs = BatchLogs()
    result = await program.evaluate(xs, ys, batch_size=4, callbacks=[logs])
    assert program.batches_seen == 3
    assert result["batches_seen"] == 3
    assert [entry["batches_seen"] for entry in logs.test] == [1, 2, 3]
    rows = await program.evaluate(xs, ys, batch_size=4, return_results=True)
    assert len(rows) == 12  # super().test_step recorded the outputs and rewards
    await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0, validation_data=(xs, ys),
                      approval="accept")
    assert program.batches_seen > 6  # the validation went through it as well


async def test_return_results_needs_a_test_step_that_records_outputs() -> None:
    class Silent(sn.Program):
        async def test_step(self, data: Batch) -> dict[str, Any]:
            return {"reward": 1.0}

    program = await _program(Silent)
    xs, ys = dataset(4)
    assert (await program.evaluate(xs, ys))["reward"] == 1.0
    with pytest.raises(TrainingError, match=r"data\.outputs, data\.rewards"):
        await program.evaluate(xs, ys, return_results=True)


async def test_predict_evaluate_and_predict_on_batch_run_an_overridden_predict_step() -> None:
    program = await _program(Lowercase)
    xs, ys = dataset(8)
    outputs = await program.predict(xs, batch_size=3)
    assert [o.label for o in outputs] == ["unknown"] * 8
    assert [o.label for o in await program.predict_on_batch(xs[:2])] == ["unknown"] * 2
    lower = [Label(label=y.label.lower()) for y in ys]
    plain = await _program()
    assert (await plain.evaluate(xs, lower))["reward"] == 0.0
    assert (await program.evaluate(xs, [Label(label="unknown")] * 8))["reward"] == 1.0
    rows = await program.evaluate(xs, [Label(label="unknown")] * 8, return_results=True)
    assert {(row.predicted["label"], row.reward) for row in rows} == {("unknown", 1.0)}


async def test_apply_optimizer_outside_training_says_where_it_belongs() -> None:
    program = await _program()
    xs, ys = dataset(2)
    data = Batch(x=xs, y=list(ys), sample_ids=[0, 1], mode="test")
    with pytest.raises(TrainingError, match="called from train_step"):
        await program.apply_optimizer(data, [1.0, 0.0])


async def test_a_mixed_program_keeps_its_compile_state_when_it_builds() -> None:
    lm = sn.ScriptedLanguageModel(handler=category_handler())

    class Mixed(sn.Program):
        async def build(self, inputs: Any) -> None:
            outputs = await sn.Generator(data_model=Label, language_model=lm)(inputs)
            super().__init__(inputs=inputs, outputs=outputs, name=self.name)

    program = Mixed(name="mixed")
    program.compile(reward="exact_match", optimizer="random_few_shot")
    xs, ys = dataset(4)
    history = await program.fit(xs, ys, epochs=1, batch_size=2, verbose=0, approval="accept")
    assert program.compiled and program.history is history


async def test_a_callback_resumes_fit_at_an_epoch_through_resume_epoch() -> None:
    class SkipFirst(callbacks.Callback):
        def on_train_begin(self, logs: Any = None) -> None:
            self.program.resume_epoch = 1

    program = await _program()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=3, batch_size=4, verbose=0, callbacks=[SkipFirst()])
    assert history.epoch == [1, 2]
    assert program.resume_epoch == 1
    history = await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0)
    assert history.epoch == [0, 1]  # fit starts from initial_epoch again


async def test_the_optimizer_has_seen_the_epoch_end_before_any_callback() -> None:
    seen: list[tuple[int, int]] = []

    class Watch(callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            seen.append((epoch, self.program.optimizer.get_state()["epochs"]))

    program = await _program()
    xs, ys = dataset(8)
    await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0, callbacks=[Watch()])
    assert seen == [(0, 1), (1, 2)]


@pytest.mark.parametrize("override", [False, True])
async def test_a_callback_ends_evaluate_and_predict_early(override: bool) -> None:
    class StopAfterFirst(callbacks.Callback):
        def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
            self.program.stop_evaluating = True

        def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
            self.program.stop_predicting = True

    program = await _program(Lowercase if override else sn.Program)  # batch by batch, or not
    xs, ys = dataset(12)
    logs = BatchLogs()
    await program.evaluate(xs, ys, batch_size=4, callbacks=[StopAfterFirst(), logs])
    assert len(logs.test) == 1
    assert len(await program.predict(xs, batch_size=4, callbacks=[StopAfterFirst()])) == 4
    assert len(await program.predict(xs, batch_size=4)) == 12  # the flag is reset per call


async def test_the_optimizer_learns_each_decision_from_the_event_stream_first() -> None:
    seen: list[tuple[str, int]] = []

    class Watch(callbacks.Callback):
        def on_decision(self, event: Any) -> None:
            seen.append((event.proposal.id, self.program.optimizer.iterations))

    program = await _program()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0,
                                acceptance="batch", callbacks=[Watch()])
    decided = [p["proposal_id"] for p in history.proposals if p["status"] != "pending"]
    # One call of optimizer.on_decision per decision, each before the callbacks hear of it.
    assert [pid for pid, _ in seen] == decided and decided
    assert [n for _, n in seen] == list(range(1, len(seen) + 1))
    assert program.optimizer.iterations == len(seen)


async def test_train_on_batch_tells_the_optimizer_its_decisions() -> None:
    program = await _program()
    xs, ys = dataset(4)
    before = program.optimizer.iterations
    await program.train_on_batch(xs, ys, approval="accept")
    assert program.optimizer.iterations > before
