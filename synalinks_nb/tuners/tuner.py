"""``Tuner``: KerasTuner's search loop for programs, driven by optuna.

Synalinks wraps ``keras_tuner``, which imports Keras, which needs TensorFlow, JAX or
PyTorch (measured: keras 3.15's numpy backend imports JAX), so Synalinks stubs the
Keras namespace out. This package keeps KerasTuner's API instead — ``build(hp)``
returns a compiled program, ``tuner.search(x, y, validation_data=..., epochs=...)``,
``get_best_hyperparameters()``, ``results_summary()`` — over optuna's samplers (extra
``tune``). Each trial builds a program from a :class:`HyperParameters` the sampler
fills, awaits ``program.fit(...)`` with the search's arguments, and scores the
``History`` (see :mod:`~synalinks_nb.tuners.trials`). A trial that raises is
recorded as FAILED and the search goes on, up to ``max_consecutive_failed_trials``
in a row; errors that retrying cannot fix (a refused API key) and a missing
objective stop it at once. Subclasses choose the sampler: :class:`RandomSearch`,
:class:`BayesianOptimization` (optuna's TPE, not KerasTuner's Gaussian process),
:class:`GridSearch`, :class:`Hyperband` (TPE with optuna's Hyperband pruner, which
stops a trial's ``fit`` after an epoch that ranks it low).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.errors import MissingDependencyError, TuningError, is_fatal
from synalinks_nb.tuners.hyperparameters import HyperParameters
from synalinks_nb.tuners.report import ReportMixin
from synalinks_nb.tuners.trials import (
    MultiObjective,
    Objective,
    Trial,
    TrialMetrics,
    objective_of,
    read_trials,
    write_trials,
)

__all__ = ["Tuner", "import_optuna"]


def import_optuna() -> Any:
    """Import ``optuna`` (quiet: its per-trial INFO lines would drown a notebook)."""
    try:
        import optuna
    except ImportError as exc:
        raise MissingDependencyError("optuna", "tune", "Hyperparameter tuning") from exc
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna


class _Pruning(Callback):
    """Reports the objective after each epoch; stops ``fit`` when the pruner says so."""

    def __init__(self, trial: Any, objective: Objective) -> None:
        super().__init__()
        self.trial, self.objective, self.pruned = trial, objective, False

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        value = self.objective.value_of(logs or {})
        if value is None:
            return
        self.trial.report(value, epoch)
        if self.trial.should_prune():
            self.pruned = True
            if self.program is not None:
                self.program.stop_training = True


def _distribution(optuna: Any, spec: dict[str, Any]) -> Any:
    kind, d = spec["type"], optuna.distributions
    if kind in ("boolean", "choice"):
        return d.CategoricalDistribution(spec["values"])
    log = spec["sampling"] != "linear"
    if kind == "float":
        return d.FloatDistribution(spec["min_value"], spec["max_value"], step=spec["step"],
                                   log=log)
    return d.IntDistribution(int(spec["min_value"]), int(spec["max_value"]),
                             step=int(spec["step"] or 1), log=log)


class Tuner(ReportMixin):
    """The search loop; subclasses choose the sampler (``_sampler``) and pruner.

    Args:
        hypermodel: ``build(hp) -> compiled program`` (sync or async), or an object with
            such a ``build`` method.
        objective: an :class:`Objective`, a ``History`` key (``"val_reward"``), or a list
            of them searched as one (:class:`~.trials.MultiObjective`: their sum, a ``"min"``
            objective negated).
        max_trials: how many trials to run (failed ones included).
        seed: the sampler's seed.
        executions_per_trial: fits per trial; the score is their mean.
        max_consecutive_failed_trials: failures in a row that stop the search.
        directory, project_name: where the trials file goes (none: nothing is written).
        overwrite: start over instead of resuming the trials file.
    """

    def __init__(self, hypermodel: Any, objective: Objective | str | list[Any] = "val_reward",
                 max_trials: int | None = 10, *, seed: int | None = None,
                 executions_per_trial: int = 1, max_consecutive_failed_trials: int = 3,
                 directory: str | Path | None = None, project_name: str | None = None,
                 overwrite: bool = False) -> None:
        build = hypermodel if inspect.isfunction(hypermodel) else getattr(
            hypermodel, "build", hypermodel)
        if not callable(build):
            raise TuningError("Expected hypermodel to be build(hp) or have a build method. "
                              f"Received: {hypermodel!r}")
        for arg, value in (("max_trials", max_trials), ("executions_per_trial",
                           executions_per_trial), ("max_consecutive_failed_trials",
                                                   max_consecutive_failed_trials)):
            if value is not None and (not isinstance(value, int) or value < 1):
                raise TuningError(f"Expected {arg} to be a positive int. Received: {value!r}")
        self.hypermodel, self._build = hypermodel, build
        self.objective = objective_of(objective)
        self.max_trials, self.seed = max_trials, seed
        self.executions_per_trial = executions_per_trial
        self.max_consecutive_failed_trials = max_consecutive_failed_trials
        self.project_dir = (Path(directory) / (project_name or "untitled_project")
                            if directory is not None else None)
        self.overwrite = overwrite
        self.trials: list[Trial] = []
        self._loaded = False
        self.programs: dict[str, Any] = {}
        self.oracle = self  # KerasTuner's `tuner.oracle.get_best_trials()` reads here

    # -- what subclasses choose -----------------------------------------------------------

    def _sampler(self, optuna: Any) -> Any:
        raise NotImplementedError

    def _pruner(self, optuna: Any) -> Any:
        return optuna.pruners.NopPruner()

    async def _prepare(self, study: Any) -> None:
        """Work before the first trial (GridSearch queues its grid)."""

    def _trial_budget(self) -> int:
        return self.max_trials or 10

    # -- searching ------------------------------------------------------------------------

    def search(self, *fit_args: Any, **fit_kwargs: Any) -> None:
        """Run the search (KerasTuner's blocking call); arguments go to ``program.fit``.

        Inside a running event loop (a notebook cell, an ``async def main``) the search runs
        in a worker thread with its own loop; prefer ``await tuner.asearch(...)`` there.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            asyncio.run(self.asearch(*fit_args, **fit_kwargs))
            return
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, self.asearch(*fit_args, **fit_kwargs)).result()

    async def asearch(self, *fit_args: Any, **fit_kwargs: Any) -> None:
        """Run the search; arguments go to ``program.fit``.

        A tuner keeps its trials: searching again runs only the trials ``max_trials`` still
        allows (and a tuner with a ``directory`` starts from the trials file).
        """
        optuna = import_optuna()
        # A fixed study name: Hyperband's brackets are a hash of it, and a search must repeat.
        study = optuna.create_study(
            study_name=self.project_dir.name if self.project_dir else "synalinks_nb_search",
            direction="maximize" if self.objective.direction == "max" else "minimize",
            sampler=self._sampler(optuna), pruner=self._pruner(optuna))
        self._resume(optuna, study)
        await self._prepare(study)
        failures = 0
        # Failed trials count, as in KerasTuner: a search always ends.
        while len(self.trials) < self._trial_budget():
            trial = await self._run_trial(optuna, study, fit_args, fit_kwargs)
            self.trials.append(trial)
            if self.project_dir is not None:
                write_trials(self.project_dir / "trials.json", self.objective, self.trials)
            failures = failures + 1 if trial.status == "FAILED" else 0
            if failures >= self.max_consecutive_failed_trials:
                raise TuningError(
                    f"Expected trials to run. Received {failures} failures in a row; the last: "
                    f"{trial.error}")

    def _resume(self, optuna: Any, study: Any) -> None:
        """Give the new study the trials run so far (read from the file on the first search)."""
        if not self._loaded:
            path = self.project_dir / "trials.json" if self.project_dir is not None else None
            if path is not None and not self.overwrite:
                self.trials = read_trials(path, self.objective)
            self._loaded = True
        states = {"COMPLETED": "COMPLETE", "PRUNED": "PRUNED"}
        for trial in self.trials:
            if trial.status not in states or trial.score is None:
                continue
            hp = trial.hyperparameters
            dists = {n: _distribution(optuna, s) for n, s in hp.space.items()
                     if s["type"] != "fixed"}
            study.add_trial(optuna.trial.create_trial(
                params={n: hp.values[n] for n in dists}, distributions=dists,
                value=trial.score if trial.status == "COMPLETED" else None,
                intermediate_values={0: trial.score} if trial.status == "PRUNED" else None,
                state=getattr(optuna.trial.TrialState, states[trial.status])))

    async def build_program(self, hp: HyperParameters) -> Any:
        """The hypermodel's program for ``hp`` (awaited if ``build`` is async)."""
        program = self._build(hp)
        if inspect.isawaitable(program):
            program = await program
        return program

    async def _run_trial(self, optuna: Any, study: Any, fit_args: tuple[Any, ...],
                         fit_kwargs: dict[str, Any]) -> Trial:
        handle = study.ask()
        trial = Trial(trial_id=f"{len(self.trials):02d}",
                      hyperparameters=HyperParameters(trial=handle))
        scores, pruned = [], False
        try:
            for _ in range(self.executions_per_trial):
                program = await self.build_program(trial.hyperparameters)
                pruning = _Pruning(handle, self.objective)
                callbacks = [*(fit_kwargs.get("callbacks") or []), pruning]
                history = await program.fit(*fit_args, **{**fit_kwargs, "callbacks": callbacks})
                trial.metrics = self._metrics(history)
                scores.append(trial.metrics[self.objective.name])
                pruned = pruning.pruned
                if pruned:
                    break
        except TuningError:
            raise
        except Exception as exc:  # the hypermodel or fit failed: this trial only
            if is_fatal(exc):
                raise
            trial.status, trial.error = "FAILED", f"{type(exc).__name__}: {exc}"
            study.tell(handle, state=optuna.trial.TrialState.FAIL)
            return trial
        trial.score = sum(scores) / len(scores)
        trial.status = "PRUNED" if pruned else "COMPLETED"
        if pruned:
            study.tell(handle, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(handle, trial.score)
        self.programs[trial.trial_id] = program
        return trial

    def _metrics(self, history: Any) -> TrialMetrics:
        logged: dict[str, list[Any]] = getattr(history, "history", {}) or {}
        values = self.objective.series(logged)
        if not values:
            wanted = (self.objective.missing(logged) if isinstance(self.objective, MultiObjective)
                      else [self.objective.name])
            raise TuningError(
                f"Expected fit to log the objective(s) {wanted}. Received the "
                f"metrics {sorted(logged)} (a val_ objective needs validation_data or "
                "validation_split)")
        metrics = TrialMetrics({k: float(v[-1]) for k, v in logged.items()
                                if v and isinstance(v[-1], int | float)
                                and not isinstance(v[-1], bool)})
        if isinstance(self.objective, MultiObjective):
            for part in self.objective.objectives:  # each one's best, for the trade-off
                metrics[part.name] = part.best(part.series(logged))
        metrics[self.objective.name] = self.objective.best(values)
        return metrics
