"""Keras' progress bars: ``utils.Progbar`` and the ``ProgbarLogger`` that fit adds."""

from __future__ import annotations

from typing import Any

import pytest
from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import callbacks, optimizers


async def compiled() -> Any:
    sn.clear_session()
    sn.set_seed(5)
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=2))
    return program


def test_progbar_verbose_2_prints_one_line_with_the_latest_values(
        capsys: pytest.CaptureFixture[str]) -> None:
    bar = sn.utils.Progbar(target=4, verbose=2, unit_name="sample")
    bar.update(1, [("reward", 0.25)])
    bar.add(2, [("reward", 0.5), ("errors", 1)])
    assert capsys.readouterr().out == ""  # nothing before the end
    bar.add(1)
    assert capsys.readouterr().out.strip().split(" - ")[::2] == ["4/4", "reward: 0.5000"]
    bar.update(9)  # a finished bar stays finished
    assert capsys.readouterr().out == ""


def test_progbar_draws_a_live_bar_to_the_target(capsys: pytest.CaptureFixture[str]) -> None:
    bar = sn.utils.Progbar(target=3, description="epoch 1/1")
    for step in (1, 2, 3):
        bar.update(step, [("reward", 1.0)])
    err = capsys.readouterr().err
    assert "epoch 1/1" in err and "3/3" in err and "reward=1.0000" in err


def test_progbar_is_silent_with_verbose_0_or_interactive_logging_off(
        capsys: pytest.CaptureFixture[str]) -> None:
    sn.utils.Progbar(target=2, verbose=0).update(2)
    sn.utils.disable_interactive_logging()
    sn.utils.Progbar(target=2, verbose=2).update(2)
    assert capsys.readouterr() == ("", "")


def test_progbar_rejects_a_bad_target_or_verbose() -> None:
    with pytest.raises(ValueError, match="Expected target"):
        sn.utils.Progbar(target=-1)
    with pytest.raises(ValueError, match="Expected verbose to be 0, 1 or 2"):
        sn.utils.Progbar(target=1, verbose=3)


async def test_fit_verbose_2_prints_a_line_per_epoch_with_its_reward(
        capsys: pytest.CaptureFixture[str]) -> None:
    program = await compiled()
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=2, batch_size=4, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("2/2 - ") for line in lines)
    assert f"reward: {history.history['reward'][-1]:.4f}" in lines[-1]


async def test_fit_adds_one_bar_logger_which_is_the_old_progress_bar() -> None:
    assert callbacks.ProgressBar is callbacks.ProgbarLogger
    program = await compiled()
    xs, ys = dataset(4)
    mine = callbacks.ProgbarLogger()
    mine.verbose = 0
    await program.fit(xs, ys, epochs=1, batch_size=2, callbacks=[mine])
    assert mine.target == 2 and mine.epochs == 1  # fit's parameters reached it


async def test_evaluate_verbose_1_draws_its_own_bar(capsys: pytest.CaptureFixture[str]) -> None:
    program = await compiled()
    xs, ys = dataset(6)
    await program.evaluate(xs, ys, batch_size=3, verbose=1)
    err = capsys.readouterr().err
    assert "evaluate" in err and "2/2" in err
