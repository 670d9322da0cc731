"""What a search keeps: the objective, one record per trial, and the trials file.

``Objective("val_reward", direction="max")`` names a key of the ``History`` that
``fit`` returns; a trial's score is that metric's best epoch (highest for
``"max"``, lowest for ``"min"``), as Synalinks' tuners reduce a history. Each
trial is a :class:`Trial`; with a ``directory``, the list is written to
``<directory>/<project_name>/trials.json`` after every trial (atomically) and read
back by a search that does not ``overwrite``, which then runs only the trials
still missing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synalinks_nb.errors import TuningError
from synalinks_nb.tuners.hyperparameters import HyperParameters

__all__ = ["MultiObjective", "Objective", "Trial", "TrialMetrics", "objective_of", "read_trials",
           "write_trials"]

_UP = re.compile(r"reward|accuracy|score|precision|recall|f1|match|similarity")
_DOWN = re.compile(r"cost|loss|latency|error|tokens|time")


@dataclass(frozen=True)
class Objective:
    """The metric a search optimizes and its direction (``"max"`` or ``"min"``).

    Example:
        >>> from synalinks_nb.tuners import Objective
        >>> Objective("val_reward").direction, Objective("val_cost").direction
        ('max', 'min')
    """

    name: str
    direction: str | None = None

    def __post_init__(self) -> None:
        direction = self.direction
        if direction is None:
            metric = self.name.removeprefix("val_")
            direction = "max" if _UP.search(metric) else "min" if _DOWN.search(metric) else None
        if direction not in ("max", "min"):
            raise TuningError(
                f"Expected direction 'max' or 'min' for objective {self.name!r} (it is "
                f"inferred only for rewards, scores, costs, latencies...). Received: "
                f"direction={self.direction!r}")
        object.__setattr__(self, "direction", direction)

    def best(self, values: list[float]) -> float:
        """The best of a metric's per-epoch values."""
        return max(values) if self.direction == "max" else min(values)

    def series(self, logged: dict[str, list[Any]]) -> list[float]:
        """The objective's per-epoch values in a ``History.history``."""
        return [float(v) for v in logged.get(self.name) or [] if v is not None]

    def value_of(self, logs: dict[str, Any]) -> float | None:
        """The objective's value in one epoch's logs, ``None`` when it is not there."""
        value = logs.get(self.name)
        return None if value is None else float(value)


@dataclass(frozen=True)
class MultiObjective(Objective):
    """Several objectives searched as one: KerasTuner's aggregation, a plain sum in which
    a ``"min"`` objective counts negated, maximised (KerasTuner minimises the opposite
    sum; the ranking is the same). Each objective's own best stays in the trial's
    metrics, to read the trade-off afterwards. Made by passing a list of objectives.

    Example:
        >>> both = objective_of([Objective("val_reward", "max"), Objective("val_cost", "min")])
        >>> both.name, both.direction
        ('multi_objective', 'max')
        >>> both.series({"val_reward": [0.5, 0.75], "val_cost": [0.25, 0.5]})
        [0.25, 0.25]
    """

    name: str = "multi_objective"
    direction: str | None = "max"
    objectives: tuple[Objective, ...] = ()

    def _signed(self, objective: Objective, value: float) -> float:
        return value if objective.direction == "max" else -value

    def series(self, logged: dict[str, list[Any]]) -> list[float]:
        columns = [o.series(logged) for o in self.objectives]
        if not columns or any(not c for c in columns):
            return []
        return [sum(self._signed(o, c[i]) for o, c in zip(self.objectives, columns, strict=True))
                for i in range(min(len(c) for c in columns))]

    def value_of(self, logs: dict[str, Any]) -> float | None:
        values = [o.value_of(logs) for o in self.objectives]
        if any(v is None for v in values):
            return None
        return sum(self._signed(o, float(v)) for o, v in zip(self.objectives, values,
                                                             strict=True) if v is not None)

    def missing(self, logged: dict[str, list[Any]]) -> list[str]:
        """The objectives' names that ``logged`` lacks."""
        return [o.name for o in self.objectives if not o.series(logged)]

    def better(self, a: float, b: float) -> bool:
        """Whether score ``a`` beats score ``b``."""
        return a > b if self.direction == "max" else a < b


def objective_of(objective: Any) -> Objective:
    """An :class:`Objective` from itself, a metric name, or a list of them (a
    :class:`MultiObjective` when there are several)."""
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        return Objective(objective)
    if isinstance(objective, list | tuple) and objective:
        parts = tuple(objective_of(o) for o in objective)
        if any(isinstance(p, MultiObjective) for p in parts):
            raise TuningError(f"Expected plain objectives in the list. Received: {objective!r}")
        return parts[0] if len(parts) == 1 else MultiObjective(objectives=parts)
    raise TuningError("Expected objective to be an Objective, a metric name or a list of "
                      f"them. Received: {objective!r}")


class TrialMetrics(dict[str, float]):
    """A trial's metrics: ``{name: value}`` (the objective's best epoch, the other metrics'
    last), read as KerasTuner's ``trial.metrics`` too (``get_best_value``, ``get_last_value``).
    """

    def get_best_value(self, name: str) -> float | None:
        """The metric's kept value (``None`` when the trial did not log it)."""
        return self.get(name)

    def get_last_value(self, name: str) -> float | None:
        """As :meth:`get_best_value`: one value per metric is kept."""
        return self.get(name)


@dataclass
class Trial:
    """One trial: its hyperparameters, status (COMPLETED, PRUNED, FAILED), score, metrics."""

    trial_id: str
    hyperparameters: HyperParameters
    status: str = "RUNNING"
    score: float | None = None
    metrics: dict[str, float] = field(default_factory=TrialMetrics)
    error: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.metrics, TrialMetrics):
            self.metrics = TrialMetrics(self.metrics)

    def to_json(self) -> dict[str, Any]:
        """The trial as JSON (values and space of its hyperparameters)."""
        return {"trial_id": self.trial_id, "status": self.status, "score": self.score,
                "metrics": self.metrics, "error": self.error,
                "values": self.hyperparameters.values, "space": self.hyperparameters.space}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Trial:
        """A trial read back from :meth:`to_json`."""
        hp = HyperParameters(values=value["values"])
        hp.space = dict(value.get("space") or {})
        return cls(trial_id=str(value["trial_id"]), hyperparameters=hp,
                   status=str(value["status"]), score=value.get("score"),
                   metrics=dict(value.get("metrics") or {}), error=value.get("error"))


def write_trials(path: Path, objective: Objective, trials: list[Trial]) -> None:
    """Write the trials file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"objective": _identity(objective),
                               "trials": [t.to_json() for t in trials]}, indent=1),
                   encoding="utf-8")
    os.replace(tmp, path)


def read_trials(path: Path, objective: Objective) -> list[Trial]:
    """The trials of an earlier search of the same objective (none if there is no file)."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        saved = data["objective"]
        trials = [Trial.from_json(t) for t in data["trials"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise TuningError(f"Expected a trials file written by a tuner. Received {path}: "
                          f"{exc}; pass overwrite=True to start over") from exc
    if saved != _identity(objective):
        raise TuningError(f"Expected {path} to hold a search of {objective}. Received one of "
                          f"{saved}; pass overwrite=True or another project_name")
    return trials


def _identity(objective: Objective) -> dict[str, Any]:
    """What the trials file records of the objective (a search resumes only the same one)."""
    identity: dict[str, Any] = {"name": objective.name, "direction": objective.direction}
    if isinstance(objective, MultiObjective):
        identity["objectives"] = [_identity(o) for o in objective.objectives]
    return identity
