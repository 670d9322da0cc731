"""The four tuners of KerasTuner (and Synalinks' ``synalinks.tuners``), over optuna samplers."""

from __future__ import annotations

import itertools
import math
from typing import Any

from synalinks_nb.errors import TuningError
from synalinks_nb.tuners.hyperparameters import HyperParameters
from synalinks_nb.tuners.trials import Objective
from synalinks_nb.tuners.tuner import Tuner

__all__ = ["BayesianOptimization", "GridSearch", "Hyperband", "RandomSearch"]


class RandomSearch(Tuner):
    """Each trial draws every hyperparameter at random (optuna's ``RandomSampler``).

    Takes :class:`~synalinks_nb.tuners.Tuner`'s arguments.

    Example:
        >>> import synalinks_nb as sn
        >>> from synalinks_nb.tuners import Objective, RandomSearch
        >>> def build_program(hp):
        ...     hp.Float("temperature", 0.0, 1.0)
        ...     return None  # a compiled program in real use
        >>> tuner = RandomSearch(build_program, objective=Objective("val_reward", "max"),
        ...                      max_trials=3, seed=1)
        >>> tuner.objective.direction, tuner.max_trials
        ('max', 3)
    """

    def _sampler(self, optuna: Any) -> Any:
        return optuna.samplers.RandomSampler(seed=self.seed)


class BayesianOptimization(Tuner):
    """Model-based search: optuna's TPE (KerasTuner fits a Gaussian process instead).

    Takes :class:`~synalinks_nb.tuners.Tuner`'s arguments and ``num_initial_points``
    (random trials before the model is used; default 2).
    """

    def __init__(self, hypermodel: Any, objective: Objective | str | list[Any] = "val_reward",
                 max_trials: int | None = 10, num_initial_points: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(hypermodel, objective, max_trials, **kwargs)
        self.num_initial_points = num_initial_points

    def _sampler(self, optuna: Any) -> Any:
        return optuna.samplers.TPESampler(seed=self.seed,
                                          n_startup_trials=self.num_initial_points or 2)


class GridSearch(Tuner):
    """Every combination of the hyperparameters' values, once each.

    The grid is found by building the hypermodel once with the defaults; ``Float``
    needs a ``step``. ``max_trials=None`` (default) runs the whole grid.
    """

    def __init__(self, hypermodel: Any, objective: Objective | str | list[Any] = "val_reward",
                 max_trials: int | None = None, **kwargs: Any) -> None:
        super().__init__(hypermodel, objective, max_trials, **kwargs)
        self.grid: dict[str, list[Any]] = {}

    async def _prepare(self, study: Any) -> None:
        hp = HyperParameters()
        await self.build_program(hp)
        self.grid = {name: _values(name, spec) for name, spec in hp.space.items()
                     if spec["type"] != "fixed"}
        done = [t.hyperparameters.values for t in self.trials]
        for point in itertools.product(*self.grid.values()):
            params = dict(zip(self.grid, point, strict=True))
            if not any(all(v.get(k) == x for k, x in params.items()) for v in done):
                study.enqueue_trial(params)

    def _trial_budget(self) -> int:
        size = math.prod(len(values) for values in self.grid.values())
        return size if self.max_trials is None else min(size, self.max_trials)

    def _sampler(self, optuna: Any) -> Any:
        # Every grid point is queued with its values (optuna's GridSampler stops the study
        # from a callback, which the ask-and-tell loop here cannot take).
        return optuna.samplers.RandomSampler(seed=self.seed)


class Hyperband(Tuner):
    """TPE sampling with optuna's Hyperband pruner: a trial trains up to ``max_epochs``
    and stops after an epoch whose objective ranks low among its bracket.

    ``fit`` receives ``epochs=max_epochs``; ``factor`` is the halving rate.
    """

    def __init__(self, hypermodel: Any, objective: Objective | str | list[Any] = "val_reward",
                 max_epochs: int = 10, factor: int = 3, max_trials: int | None = 10,
                 **kwargs: Any) -> None:
        super().__init__(hypermodel, objective, max_trials, **kwargs)
        if not isinstance(max_epochs, int) or max_epochs < 1 or factor < 2:
            raise TuningError("Expected max_epochs >= 1 and factor >= 2. Received: "
                              f"max_epochs={max_epochs!r}, factor={factor!r}")
        self.max_epochs, self.factor = max_epochs, factor

    def _sampler(self, optuna: Any) -> Any:
        return optuna.samplers.TPESampler(seed=self.seed)

    def _pruner(self, optuna: Any) -> Any:
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=self.max_epochs,
                                              reduction_factor=self.factor)

    async def asearch(self, *fit_args: Any, **fit_kwargs: Any) -> None:
        """Run the search; ``epochs`` is ``max_epochs``."""
        await super().asearch(*fit_args, **{**fit_kwargs, "epochs": self.max_epochs})


def _values(name: str, spec: dict[str, Any]) -> list[Any]:
    if spec["type"] in ("boolean", "choice"):
        return list(spec["values"])
    low, high, step = spec["min_value"], spec["max_value"], spec["step"]
    if spec["type"] == "int":
        return list(range(int(low), int(high) + 1, int(step or 1)))
    if step is None:
        raise TuningError(f"Expected a step for the Float {name!r} in a GridSearch. "
                          "Received: step=None")
    count = round((high - low) / step)
    return [round(low + i * step, 12) for i in range(count + 1) if low + i * step <= high + 1e-9]

