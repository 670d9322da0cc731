"""One monitor base for the callbacks that watch a logged value: which key, which way is
better, by how much; EarlyStopping and ProgramCheckpoint on it, with Synalinks' keywords."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import callbacks, optimizers


@pytest.fixture(autouse=True)
def seeded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SYNALINKS_NB_APPROVAL", raising=False)
    sn.config.reset()
    sn.set_seed(7)
    yield
    sn.config.reset()


async def _program() -> Any:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot(
        nb_min_examples=1, nb_max_examples=2))
    return program


@pytest.mark.parametrize(("monitor", "mode"), [
    ("val_reward", "max"), ("reward", "max"), ("val_exact_match", "max"),
    ("errors", "min"), ("val_cost", "min"), ("total_tokens", "min"), ("avg_latency", "min"),
])
def test_auto_mode_grows_rewards_and_shrinks_what_a_run_spends(monitor: str, mode: str) -> None:
    assert callbacks.MonitorCallback(monitor=monitor).mode == mode


@pytest.mark.parametrize(("mode", "values", "improved"), [
    ("max", [0.5, 0.55, 0.61, 0.6], [True, False, True, False]),
    ("min", [3.0, 2.95, 2.5, 2.6], [True, False, True, False]),
])
def test_an_improvement_must_beat_the_best_by_more_than_min_delta(
        mode: str, values: list[float], improved: list[bool]) -> None:
    monitor = callbacks.MonitorCallback(monitor="x", mode=mode, min_delta=0.1)
    assert [monitor.improved(v) for v in values] == improved


def test_the_baseline_is_the_first_value_to_beat_and_reset_goes_back_to_it() -> None:
    monitor = callbacks.MonitorCallback(monitor="reward", baseline=0.8)
    assert not monitor.improved(0.7)
    assert monitor.improved(0.9) and monitor.best == 0.9
    monitor.reset_best()
    assert monitor.best == 0.8


def test_a_missing_val_key_falls_back_once_with_a_log_line(
        caplog: pytest.LogCaptureFixture) -> None:
    monitor = callbacks.MonitorCallback()
    with caplog.at_level(logging.INFO, logger="synalinks_nb.callbacks.monitor_callback"):
        assert monitor.get_monitor_value({"reward": 0.25}) == 0.25
        assert monitor.get_monitor_value({"reward": 0.5}) == 0.5
    assert [r.getMessage() for r in caplog.records] == [
        "MonitorCallback: 'val_reward' not in the logs (no validation data); watching 'reward'."]
    assert monitor.get_monitor_value({"val_reward": 1.0, "reward": 0.0}) == 1.0
    assert monitor.get_monitor_value({"cost": 1.0}) is None


def test_bad_arguments_say_what_was_expected() -> None:
    with pytest.raises(ValueError, match="mode to be one of 'auto', 'min', 'max'"):
        callbacks.MonitorCallback(mode="best")
    with pytest.raises(TypeError, match="min_delta to be a number"):
        callbacks.MonitorCallback(min_delta="0.1")
    with pytest.raises(TypeError, match="baseline to be a number"):
        callbacks.EarlyStopping(baseline="high")


def _epochs(cb: callbacks.EarlyStopping, values: list[float], key: str = "reward") -> int | None:
    cb.on_train_begin()
    for epoch, value in enumerate(values):
        cb.on_epoch_end(epoch, {key: value})
        if cb.stopped_epoch is not None:
            break
    return cb.stopped_epoch


def test_early_stopping_counts_gains_below_min_delta_as_no_improvement() -> None:
    values = [0.5, 0.52, 0.54, 0.56, 0.58]
    assert _epochs(callbacks.EarlyStopping(monitor="reward", patience=2), values) is None
    assert _epochs(callbacks.EarlyStopping(monitor="reward", patience=2, min_delta=0.05),
                   values) == 2


def test_early_stopping_min_mode_baseline_and_stop_at() -> None:
    assert _epochs(callbacks.EarlyStopping(monitor="errors", patience=1), [3, 2, 2], "errors") == 2
    assert _epochs(callbacks.EarlyStopping(monitor="reward", patience=2, baseline=0.9),
                   [0.5, 0.8, 0.85]) == 1
    assert _epochs(callbacks.EarlyStopping(monitor="reward", patience=5, stop_at=0.75),
                   [0.5, 0.8, 0.9]) == 1
    assert _epochs(callbacks.EarlyStopping(monitor="errors", patience=5, stop_at=0),
                   [3, 1, 0], "errors") == 2


async def test_early_stopping_takes_synalinks_keywords_in_fit(
        capsys: pytest.CaptureFixture[str]) -> None:
    program = await _program()
    xs, ys = dataset(16)
    stopper = callbacks.EarlyStopping(monitor="val_reward", min_delta=0, stop_at=None,
                                      patience=1, verbose=1, mode="auto", baseline=1.5,
                                      restore_best_variables=False, start_from_epoch=0)
    history = await program.fit(xs, ys, epochs=5, batch_size=8, verbose=0, callbacks=[stopper])
    assert history.epoch == [0] and stopper.stopped_epoch == 0  # 1.5 cannot be beaten
    assert "EarlyStopping: epoch 1: early stopping" in capsys.readouterr().out


async def test_checkpoint_save_best_only_watches_reward_without_validation_data(
        tmp_path: Path) -> None:
    program = await _program()
    xs, ys = dataset(16)
    ckpt = callbacks.ProgramCheckpoint(tmp_path / "best-{epoch}.json", save_best_only=True)
    await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0, callbacks=[ckpt])
    assert ckpt.saved and Path(ckpt.saved[0]).name == "best-1.json"


async def test_checkpoint_min_mode_saves_only_when_the_value_shrinks(tmp_path: Path) -> None:
    ckpt = callbacks.ProgramCheckpoint(tmp_path / "e{epoch}.json", monitor="errors",
                                       save_best_only=True, save_fn=lambda p, path: None)
    assert ckpt.mode == "min"
    for epoch, errors in enumerate([3, 4, 1, 1]):
        ckpt.on_epoch_end(epoch, {"errors": errors})
    assert [Path(p).name for p in ckpt.saved] == ["e1.json", "e3.json"]
