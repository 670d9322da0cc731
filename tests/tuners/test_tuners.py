"""Hyperparameter search with real optuna samplers over programs that really train.

The hypermodel chooses between a model that doubles numbers (right) and one that answers
"0" (wrong), plus a few other knobs; every trial builds, fits and validates a program on
scripted models, so the search's choices are visible in the scores.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import MissingDependencyError, TuningError
from synalinks_nb.tuners import HyperParameters, Objective

pytest.importorskip("optuna", reason="the tune extra (optuna) is not installed")


class Number(sn.DataModel):
    number: str


class Double(sn.DataModel):
    double: str


def doubler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    return {"double": str(2 * int(json.loads(messages[-1]["content"])["number"]))}


MODELS = {"doubler": doubler, "zero": lambda messages, schema: {"double": "0"}}
X = [Number(number=str(i)) for i in range(8)]
Y = [Double(double=str(2 * i)) for i in range(8)]
FIT = {"x": X[:6], "y": Y[:6], "validation_data": (X[6:], Y[6:]), "epochs": 1,
       "batch_size": 3, "verbose": 0}


class Hypermodel:
    """Counts its builds; ``build`` is async, as in Synalinks' example."""

    def __init__(self) -> None:
        self.built: list[dict[str, Any]] = []

    async def build(self, hp: HyperParameters) -> sn.Program:
        model = hp.Choice("model", ["zero", "doubler"])
        hp.Float("temperature", 0.0, 1.0, step=0.5)
        hp.Boolean("use_cot", default=False)
        self.built.append(dict(hp.values))
        sn.clear_session()
        inputs = sn.Input(data_model=Number)
        outputs = await sn.Generator(
            data_model=Double,
            language_model=sn.ScriptedLanguageModel(handler=MODELS[model]))(inputs)
        program = sn.Program(inputs=inputs, outputs=outputs, name="doubling")
        program.compile(reward=sn.rewards.ExactMatch(in_mask=["double"]),
                        optimizer=sn.optimizers.RandomFewShot())
        return program


async def test_random_search_finds_the_right_model_and_resumes_from_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    hypermodel = Hypermodel()
    tuner = sn.tuners.RandomSearch(hypermodel, objective=Objective("val_reward", "max"),
                                   max_trials=5, seed=0, directory=tmp_path,
                                   project_name="doubling")
    await tuner.asearch(**FIT)
    assert len(tuner.trials) == 5 and {t.status for t in tuner.trials} == {"COMPLETED"}
    best = tuner.get_best_hyperparameters()[0]
    assert best.get("model") == "doubler" and tuner.oracle.get_best_trials()[0].score == 1.0
    assert {t.score for t in tuner.trials if t.hyperparameters["model"] == "zero"} <= {0.0}
    program = tuner.get_best_programs()[0]
    assert (await program.evaluate(x=X, y=Y, verbose=0))["reward"] == 1.0
    tuner.results_summary(num_trials=1)
    assert "Score: 1.0" in capsys.readouterr().out
    assert "<table>" in tuner._repr_html_() and len(tuner.trials_dataframe()) == 5

    # The file keeps the trials: a new search of 6 runs one more trial.
    again = sn.tuners.RandomSearch(Hypermodel(), objective="val_reward", max_trials=6, seed=0,
                                   directory=tmp_path, project_name="doubling")
    await again.asearch(**FIT)
    assert len(again.trials) == 6 and len(again.hypermodel.built) == 1
    saved = json.loads((tmp_path / "doubling" / "trials.json").read_text())
    assert len(saved["trials"]) == 6


async def test_grid_search_tries_every_combination_once() -> None:
    hypermodel = Hypermodel()
    tuner = sn.tuners.GridSearch(hypermodel, objective="val_reward")
    await tuner.asearch(**FIT)
    tried = {(v["model"], v["temperature"], v["use_cot"]) for v in hypermodel.built[1:]}
    assert len(hypermodel.built) == 1 + 12  # one build finds the grid, then 2 x 3 x 2 trials
    assert tried == {(m, t, c) for m in ("zero", "doubler") for t in (0.0, 0.5, 1.0)
                     for c in (True, False)}

    def unstepped(hp: HyperParameters) -> None:
        hp.Float("temperature", 0.0, 1.0)

    with pytest.raises(TuningError, match="step"):
        await sn.tuners.GridSearch(unstepped).asearch(**FIT)


async def test_bayesian_optimization_and_hyperband_run_their_trials() -> None:
    tuner = sn.tuners.BayesianOptimization(Hypermodel(), objective="val_reward", max_trials=4,
                                           seed=1, num_initial_points=2)
    await tuner.asearch(**FIT)
    assert len(tuner.trials) == 4
    assert tuner.get_best_hyperparameters()[0]["model"] == "doubler"
    band = sn.tuners.Hyperband(Hypermodel(), objective="val_reward", max_epochs=3, factor=3,
                               max_trials=8, seed=2, project_name="band")
    await band.asearch(**{**FIT, "epochs": 1})  # Hyperband trains up to max_epochs
    pruned = [t for t in band.trials if t.status == "PRUNED"]
    assert pruned and all(t.hyperparameters["model"] == "zero" for t in pruned)
    assert band.get_best_trials()[0].score == 1.0


async def test_failures_and_wrong_objectives_are_reported() -> None:
    calls = []

    def broken(hp: HyperParameters) -> None:
        calls.append(hp.Int("k", 1, 3))
        raise RuntimeError("cannot build")

    tuner = sn.tuners.RandomSearch(broken, max_trials=10, max_consecutive_failed_trials=2)
    with pytest.raises(TuningError, match=r"2 failures in a row.*cannot build"):
        await tuner.asearch(**FIT)
    assert [t.status for t in tuner.trials] == ["FAILED", "FAILED"]
    no_val = {k: v for k, v in FIT.items() if k != "validation_data"}
    with pytest.raises(TuningError, match="validation_data"):
        await sn.tuners.RandomSearch(Hypermodel(), max_trials=1).asearch(**no_val)
    with pytest.raises(TuningError, match="direction"):
        Objective("val_banana")
    with pytest.raises(TuningError, match="max_trials"):
        sn.tuners.RandomSearch(Hypermodel(), max_trials=0)


def test_search_is_a_blocking_call_inside_and_outside_an_event_loop() -> None:
    outside = sn.tuners.RandomSearch(Hypermodel(), max_trials=2, seed=0)
    outside.search(**FIT)  # no loop running: asyncio.run
    inside = sn.tuners.RandomSearch(Hypermodel(), max_trials=2, seed=0)

    async def cell() -> None:  # a running loop (a notebook cell): a worker thread
        inside.search(**FIT)

    asyncio.run(cell())
    assert [t.score for t in inside.trials] == [t.score for t in outside.trials]
    outside.search(**FIT)  # max_trials reached: a tuner keeps its trials
    assert len(outside.trials) == 2


def test_hyperparameters_refuse_bad_ranges() -> None:
    hp = HyperParameters()
    with pytest.raises(TuningError, match="min_value < max_value"):
        hp.Float("t", 1.0, 0.0)
    with pytest.raises(TuningError, match="log sampling"):
        hp.Float("lr", 0.0, 1.0, sampling="log")
    with pytest.raises(TuningError, match="conditional"):
        hp.Boolean("b", parent_name="a")
    hp.Int("k", 1, 3)
    with pytest.raises(TuningError, match="keep its range"):
        hp.Int("k", 1, 5)


def test_a_missing_tune_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(MissingDependencyError, match=r"synalinks_nb\[tune\]"):
        sn.tuners.RandomSearch(Hypermodel(), max_trials=1).search(**FIT)


async def test_a_list_of_objectives_is_searched_as_their_sum(tmp_path: Path) -> None:
    objectives = [Objective("val_reward", "max"), Objective("val_errors", "min")]
    tuner = sn.tuners.GridSearch(Hypermodel(), objective=objectives, directory=tmp_path,
                                 project_name="both")
    await tuner.asearch(**FIT)
    assert isinstance(tuner.objective, sn.tuners.MultiObjective)
    best = tuner.oracle.get_best_trials(num_trials=1)[0]
    assert best.hyperparameters["model"] == "doubler"
    for trial in tuner.trials:  # each objective's own value stays readable, KerasTuner's way
        reward, errors = (trial.metrics.get_best_value("val_reward"),
                          trial.metrics.get_best_value("val_errors"))
        assert trial.score == reward - errors
        assert reward == (1.0 if trial.hyperparameters["model"] == "doubler" else 0.0)
    # A search of other objectives does not resume from this one's file.
    with pytest.raises(TuningError, match=r"Expected .* to hold a search of"):
        await sn.tuners.GridSearch(Hypermodel(), objective=objectives[:1], directory=tmp_path,
                                   project_name="both").asearch(**FIT)
    with pytest.raises(TuningError, match="val_banana"):
        await sn.tuners.RandomSearch(
            Hypermodel(), objective=[Objective("val_reward", "max"),
                                     Objective("val_banana", "max")],
            max_trials=1).asearch(**FIT)
