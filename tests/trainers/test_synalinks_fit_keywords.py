"""Synalinks' keywords of fit / evaluate / predict and the single-batch methods, as its users
call them; and the epoch-end validation that is not re-run for an unchanged program."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from category_task import Label, Query, category_handler, dataset, make_program

import synalinks_nb as sn


class Validations(sn.callbacks.Callback):
    """Counts the validation runs and the samples each one ran."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[int] = []

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.runs.append(0)

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.runs[-1] += 1


async def _program(optimizer: Any = None) -> tuple[sn.Program, sn.ScriptedLanguageModel]:
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await make_program(lm)
    program.compile(reward="exact_match", metrics=[sn.metrics.MeanMetricWrapper(
        fn=sn.rewards.exact_match, name="accuracy")],
        optimizer=optimizer or sn.optimizers.RandomFewShot())
    return program, lm


def _colors(n: int) -> tuple[list[Query], list[Label]]:
    return [Query(category="color", item=f"v-{i}") for i in range(n)], [Label(label="COLOR")] * n


def _no_colors(n: int) -> tuple[list[Query], list[Label]]:
    xs, ys = dataset(n)
    kept = [i for i in range(n) if xs[i].category != "color"]
    return [xs[i] for i in kept], [ys[i] for i in kept]


async def test_an_unchanged_program_is_validated_once_and_revalidate_runs_it_again() -> None:
    # No training sample can teach the validation class: every proposal is discarded, so
    # the program never changes and the later epochs repeat the first validation's logs.
    program, _ = await _program(sn.optimizers.LabeledFewShot(k=2))
    xs, ys = _no_colors(12)
    counter = Validations()
    history = await program.fit(xs, ys, epochs=3, validation_data=_colors(4),
                                approval="accept", callbacks=[counter], verbose=0)
    assert all(not p["accepted"] for p in history.proposals)
    assert len(counter.runs) == 1
    assert history.history["val_reward"] == [0.0, 0.0, 0.0]
    again = Validations()
    program2, _ = await _program(sn.optimizers.LabeledFewShot(k=2))
    await program2.fit(xs, ys, epochs=3, validation_data=_colors(4), approval="accept",
                       callbacks=[again], revalidate=True, verbose=0)
    assert len(again.runs) == 3


async def test_a_changed_program_is_validated_again() -> None:
    program, _ = await _program(sn.optimizers.LabeledFewShot(k=4))
    xs, ys = dataset(16)
    counter = Validations()
    # acceptance="batch": the first epoch's draw is accepted unconfirmed, so the first
    # validation measures a changed program; then it is settled, and nothing changes.
    history = await program.fit(xs, ys, epochs=3, validation_data=_colors(4),
                                acceptance="batch", approval="accept", callbacks=[counter],
                                verbose=0)
    assert [p["status"] for p in history.proposals] == ["accepted"]
    assert len(counter.runs) == 1  # epoch 1 validates the changed program, 2 and 3 reuse it
    assert history.history["val_reward"] == [1.0, 1.0, 1.0]


async def test_validation_freq_validates_only_the_epochs_asked() -> None:
    program, _ = await _program()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=4, validation_data=dataset(4),
                                validation_freq=2, approval="reject", revalidate=True,
                                verbose=0)
    assert len(history.history["reward"]) == 4
    assert len(history.history["val_reward"]) == 2
    frame = history.to_dataframe()
    assert frame["val_reward"].isna().tolist() == [True, False, True, False]
    listed = await (await _program())[0].fit(xs, ys, epochs=3, validation_data=dataset(4),
                                             validation_freq=[1, 3], verbose=0)
    assert len(listed.history["val_reward"]) == 2
    with pytest.raises(ValueError, match="validation_freq"):
        await program.fit(xs, ys, validation_freq=0, verbose=0)


async def test_validation_steps_and_batch_size_bound_the_validation_run() -> None:
    program, _ = await _program()
    xs, ys = dataset(8)
    counter = Validations()
    await program.fit(xs, ys, epochs=1, validation_data=dataset(10), validation_steps=2,
                      validation_batch_size=3, acceptance="batch", callbacks=[counter],
                      verbose=0)
    assert counter.runs == [2]  # two batches of 3 of the 10 validation samples


async def test_steps_per_epoch_bounds_the_batches_and_warns_when_data_runs_out(
        caplog: pytest.LogCaptureFixture) -> None:
    program, _ = await _program()
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=4, steps_per_epoch=2,
                                acceptance="batch", approval="reject", verbose=0)
    assert [b["batch"] for b in history.batches] == [0, 1, 0, 1]
    with caplog.at_level(logging.WARNING):
        history = await program.fit(xs, ys, epochs=1, batch_size=8, steps_per_epoch=5,
                                    acceptance="batch", approval="reject", verbose=0)
    assert len(history.batches) == 2
    assert "steps_per_epoch=5" in caplog.text


async def test_minibatch_size_confirms_on_a_draw_of_the_validation_data() -> None:
    program, _ = await _program()
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=1, batch_size=8, validation_data=dataset(12),
                                minibatch_size=3, approval="accept", verbose=0)
    confirmed = [p for p in history.proposals if p.get("val_scores") is not None]
    assert confirmed
    assert all(len(p["val_scores"]) == 3 for p in confirmed)


async def test_train_on_batch_takes_synalinks_step_first_and_its_validation_data() -> None:
    program, _ = await _program()
    xs, ys = dataset(8)
    xv, yv = _colors(4)
    reward = await program.train_on_batch(0, xs, ys, val_x=xv, val_y=yv, approval="accept")
    assert reward == [0.0, 0.0]  # [reward, accuracy] of the batch, Synalinks' list form
    # Candidates that won on the batch were confirmed on val_x, where none helps (no
    # training sample is a color): the program is unchanged.
    assert len(program.trainable_variables[0].versions) == 1
    logs = await program.train_on_batch(xs, ys, approval="accept", return_dict=True)
    assert set(logs) == {"reward", "accuracy", "errors"}
    assert len(program.trainable_variables[0].versions) == 2  # unconfirmed: kept


async def test_test_on_batch_scores_given_predictions_without_running_the_program() -> None:
    program, lm = await _program()
    xs, ys = dataset(4)
    predictions = [Label(label=y.label) for y in ys]
    assert await program.test_on_batch(xs, ys, y_pred=predictions) == [1.0, 1.0]
    assert lm.calls == []
    with pytest.raises(ValueError, match="one y_pred per sample"):
        await program.test_on_batch(xs, ys, y_pred=predictions[:1])


async def test_predict_and_evaluate_take_steps_and_predict_on_batch_training() -> None:
    program, lm = await _program()
    xs, ys = dataset(10)
    assert len(await program.predict(xs, batch_size=3, steps=2, verbose=0)) == 6
    assert len(await program.predict(xs, batch_size=None, verbose=0)) == 10
    lm.calls.clear()
    logs = await program.evaluate(xs, ys, batch_size=4, steps=1, verbose=0)
    assert logs["errors"] == 0 and len(lm.calls) == 4
    outputs = await program.predict_on_batch(xs[:2], training=True)
    assert [o["label"] for o in outputs] == ["UNKNOWN", "UNKNOWN"]


async def test_compile_config_round_trips_and_keras_compile_keywords_are_kept() -> None:
    program, _ = await _program(sn.optimizers.LabeledFewShot(k=3))
    assert (program.run_eagerly, program.steps_per_execution) == (False, 1)
    config = program.get_compile_config()
    assert config is not None
    assert config["optimizer"]["class_name"] == "LabeledFewShot"
    other = await make_program(sn.ScriptedLanguageModel(handler=category_handler()), "other")
    assert other.get_compile_config() is None
    other.compile_from_config(config)
    assert other.optimizer.k == 3
    assert [m.name for m in other.metrics] == ["accuracy"]
    other.compile(run_eagerly=True, steps_per_execution=2)
    assert (other.run_eagerly, other.steps_per_execution) == (True, 2)
    with pytest.raises(ValueError, match="steps_per_execution"):
        other.compile(steps_per_execution=0)
