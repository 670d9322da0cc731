"""Built-in callbacks: BackupAndRestore resume, EarlyStopping, BudgetStopping, CSV, checkpoints,
History frames and figure."""

from __future__ import annotations

import csv
import json
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
    yield
    sn.config.reset()


async def _fresh() -> Any:
    sn.clear_session()
    sn.set_seed(99)
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=3))
    return program


class _Interrupt(callbacks.Callback):
    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        if epoch == 2:
            raise KeyboardInterrupt


async def test_backup_and_restore_resumes_to_the_same_variables(tmp_path: Path) -> None:
    xs, ys = dataset(32)
    fit_args: dict[str, Any] = {"epochs": 4, "batch_size": 4, "verbose": 0}
    reference = await _fresh()
    await reference.fit(xs, ys, **fit_args)
    expected = [v.get_json() for v in reference.trainable_variables]

    backup = tmp_path / "backup.json"
    interrupted = await _fresh()
    with pytest.raises(KeyboardInterrupt):
        await interrupted.fit(xs, ys, callbacks=[callbacks.BackupAndRestore(backup),
                                                 _Interrupt()], **fit_args)
    assert json.loads(backup.read_text())["epoch"] == 2

    restarted = await _fresh()  # a new process would rebuild and reseed the same way
    cb = callbacks.BackupAndRestore(backup)
    history = await restarted.fit(xs, ys, callbacks=[cb], **fit_args)
    assert cb.restored_epoch == 2
    assert history.epoch == [2, 3]
    assert [v.get_json() for v in restarted.trainable_variables] == expected
    assert expected[0]["examples"]  # the comparison is not trivially empty
    assert not backup.exists()


async def test_early_stopping_stops_and_falls_back_to_training_reward() -> None:
    program = await _fresh()
    xs, ys = dataset(16)
    stopper = callbacks.EarlyStopping(patience=1)
    history = await program.fit(xs, ys, epochs=10, batch_size=8, verbose=0,
                                callbacks=[stopper])
    assert stopper.stopped_epoch is not None
    assert len(history.epoch) < 10


async def test_budget_stopping_counts_calls() -> None:
    program = await _fresh()
    xs, ys = dataset(32)
    budget = callbacks.BudgetStopping(max_calls=10)
    history = await program.fit(xs, ys, epochs=3, batch_size=4, verbose=0, callbacks=[budget])
    assert budget.stop_reason is not None and "max_calls=10" in budget.stop_reason
    assert len(history.batches) < 24


async def test_csv_logger_and_checkpoint_write_files(tmp_path: Path) -> None:
    program = await _fresh()
    xs, ys = dataset(16)
    log = tmp_path / "log.csv"
    ckpt = callbacks.ProgramCheckpoint(tmp_path / "ckpt-{epoch}.json", monitor="reward",
                                       save_best_only=True)
    await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0,
                      callbacks=[callbacks.CSVLogger(log), ckpt])
    with log.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["epoch"] for r in rows] == ["0", "1"] and "reward" in rows[0]
    saved = json.loads(Path(ckpt.saved[0]).read_text())  # noqa: ASYNC240 - tiny test file
    assert saved["format"] == "synalinks_nb.program"
    assert [v["path"] for v in saved["variables"]] == ["gen/instructions"]
    restored = sn.Program.load(ckpt.saved[0], language_model=sn.ScriptedLanguageModel())
    assert restored.get_variable("gen/instructions").get_json() == (
        program.get_variable("gen/instructions").get_json())


async def test_history_frames_and_plot() -> None:
    program = await _fresh()
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0,
                                validation_split=0.25, approval="accept")
    epochs = history.to_dataframe()
    assert list(epochs["epoch"]) == [0, 1] and "val_reward" in epochs
    assert len(history.to_dataframe("batch")) == 4
    proposals = history.proposals_dataframe()
    assert {"accepted", "decided_by", "reward_before", "reward_after"} <= set(proposals)
    fig = history.plot()
    assert type(fig).__name__ == "Figure" and fig.data


async def test_history_html_reads_on_github_without_scripts() -> None:
    program = await _fresh()
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0,
                                validation_split=0.25, approval="reject")
    page = history._repr_html_()
    assert "<script" not in page and "<svg" in page
    assert "2 epoch(s)" in page and "approval: reject" in page
    assert page.count("<polyline") >= 1  # the per-batch reward curve
    epoch_table = page.split("<caption>Per epoch</caption>")[1].split("</table>")[0]
    assert epoch_table.count("<tr>") == 3  # header + one row per epoch
    assert f"{history.history['reward'][1]:.3f}" in epoch_table
    decisions = page.split("<caption>Decisions</caption>")[1]
    assert decisions.count("rejected") == len(history.proposals) > 0
    assert repr(history) == f"<History epochs=2 batches=4 proposals={len(history.proposals)}>"


async def test_progress_bar_is_the_default_when_verbose(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    program = await _fresh()
    xs, ys = dataset(8)
    await program.fit(xs, ys, epochs=1, batch_size=4)
    assert "epoch 1/1" in capsys.readouterr().err


async def test_csv_logger_takes_synalinks_filepath_argument(tmp_path: Path) -> None:
    program = await _fresh()
    xs, ys = dataset(8)
    log = tmp_path / "log.csv"
    await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0,
                      callbacks=[callbacks.CSVLogger(filepath=log, separator=";")])
    rows = log.read_text().splitlines()
    assert rows[0].startswith("epoch;") and len(rows) == 3


async def test_checkpoint_every_n_batches_names_files_by_epoch_and_batch(tmp_path: Path) -> None:
    program = await _fresh()
    xs, ys = dataset(20)  # 16 train in 4 batches, the last 4 held out to confirm proposals
    ckpt = callbacks.ProgramCheckpoint(tmp_path / "e{epoch}-b{batch}.variables.json",
                                       save_variables_only=True, save_freq=2)
    await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0, callbacks=[ckpt])
    assert [Path(p).name for p in ckpt.saved] == ["e1-b2.variables.json",
                                                  "e1-b4.variables.json"]


async def test_checkpoint_initial_value_threshold_must_be_beaten(tmp_path: Path) -> None:
    xs, ys = dataset(8)
    unbeatable = callbacks.ProgramCheckpoint(tmp_path / "a.json", monitor="reward",
                                             save_best_only=True, initial_value_threshold=2.0)
    beatable = callbacks.ProgramCheckpoint(tmp_path / "b.json", monitor="reward",
                                           save_best_only=True, initial_value_threshold=-1.0)
    await (await _fresh()).fit(xs, ys, epochs=1, batch_size=4, verbose=0,
                               callbacks=[unbeatable, beatable])
    assert unbeatable.saved == [] and not (tmp_path / "a.json").exists()
    assert beatable.saved == [str(tmp_path / "b.json")]


def test_checkpoint_rejects_bad_save_freq_and_mode() -> None:
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.ProgramCheckpoint("x.json", save_freq=0)
    with pytest.raises(ValueError, match="mode"):
        callbacks.ProgramCheckpoint("x.json", mode="best")
    assert callbacks.ProgramCheckpoint("x.json", mode="auto").mode == "max"


async def test_each_typed_hook_receives_its_own_event_class() -> None:
    from synalinks_nb import events as ev
    from synalinks_nb.callbacks.callback import CallbackList

    received: list[tuple[str, type]] = []

    class Recorder(sn.callbacks.Callback):
        def on_proposal_made(self, event: ev.ProposalMade) -> None:
            received.append(("made", type(event)))

        def on_proposal_scored(self, event: ev.ProposalScored) -> None:
            received.append(("scored", type(event)))

        def on_decision(self, event: ev.DecisionTaken) -> None:
            received.append(("decision", type(event)))

        def on_variable_changed(self, event: ev.VariableChanged) -> None:
            received.append(("changed", type(event)))

        def on_train_failed(self, event: ev.TrainFailed) -> None:
            received.append(("failed", type(event)))

    hooks = CallbackList([Recorder()])
    for event in (ev.ProposalMade(), ev.ProposalScored(), ev.DecisionTaken(),
                  ev.VariableChanged(), ev.TrainFailed(), ev.EpochEnd(epoch=0)):
        await hooks.emit(event)
    assert received == [("made", ev.ProposalMade), ("scored", ev.ProposalScored),
                        ("decision", ev.DecisionTaken), ("changed", ev.VariableChanged),
                        ("failed", ev.TrainFailed)]


def test_history_rows_keep_skipped_epochs_and_read_a_hand_set_history() -> None:
    history = sn.callbacks.History()
    history.on_epoch_end(0, {"reward": 0.5})
    history.on_epoch_end(1, {"reward": 0.7, "val_reward": 0.6})
    frame = history.to_dataframe()
    assert frame["val_reward"].isna().tolist() == [True, False]
    # A history whose lists were set by hand no longer matches the epochs it saw: read it
    # position by position rather than pairing values with the wrong epochs.
    history.history = {"reward": [0.1, 0.2, 0.3]}
    assert history.epoch_logs() == [{"reward": 0.1}, {"reward": 0.2}, {"reward": 0.3}]
