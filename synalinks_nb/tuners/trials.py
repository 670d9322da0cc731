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

__all__ = ["Objective", "Trial", "read_trials", "write_trials"]

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

    def better(self, a: float, b: float) -> bool:
        """Whether score ``a`` beats score ``b``."""
        return a > b if self.direction == "max" else a < b


def objective_of(objective: Objective | str) -> Objective:
    """An :class:`Objective` from itself or a metric name."""
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        return Objective(objective)
    raise TuningError("Expected objective to be an Objective or a metric name (one objective: "
                      f"multi-objective search is not supported). Received: {objective!r}")


@dataclass
class Trial:
    """One trial: its hyperparameters, status (COMPLETED, PRUNED, FAILED), score, metrics."""

    trial_id: str
    hyperparameters: HyperParameters
    status: str = "RUNNING"
    score: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    error: str | None = None

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
    tmp.write_text(json.dumps({"objective": {"name": objective.name,
                                             "direction": objective.direction},
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
    if saved != {"name": objective.name, "direction": objective.direction}:
        raise TuningError(f"Expected {path} to hold a search of {objective}. Received one of "
                          f"{saved}; pass overwrite=True or another project_name")
    return trials
