"""Reading a search's results: best trials, hyperparameters and programs, a summary, a table.

A tuner shows its trials as an HTML table in a notebook (``_repr_html_``, one row per
trial, best first), as a pandas frame (``trials_dataframe()``), and as KerasTuner's
printed ``results_summary()``.
"""

from __future__ import annotations

import html
from typing import Any

from synalinks_nb.tuners.hyperparameters import HyperParameters
from synalinks_nb.tuners.trials import Objective, Trial

__all__ = ["ReportMixin"]


class ReportMixin:
    """The reading side of :class:`~synalinks_nb.tuners.Tuner`."""

    trials: list[Trial]
    programs: dict[str, Any]
    objective: Objective
    project_dir: Any

    def get_best_trials(self, num_trials: int = 1) -> list[Trial]:
        """The scored trials (completed or pruned), best first."""
        scored = [t for t in self.trials if t.score is not None]
        sign = -1.0 if self.objective.direction == "max" else 1.0
        return sorted(scored, key=lambda t: (sign * float(t.score or 0.0), t.trial_id)
                      )[:num_trials]

    def get_best_hyperparameters(self, num_trials: int = 1) -> list[HyperParameters]:
        """The best trials' hyperparameters (pass one to the hypermodel to rebuild)."""
        best = []
        for trial in self.get_best_trials(num_trials):
            hp = HyperParameters(values=trial.hyperparameters.values)
            hp.space = dict(trial.hyperparameters.space)
            best.append(hp)
        return best

    def get_best_programs(self, num_trials: int = 1) -> list[Any]:
        """The programs the best trials trained in this session (not from a trials file)."""
        return [self.programs[t.trial_id] for t in self.get_best_trials(num_trials)
                if t.trial_id in self.programs]

    def get_best_models(self, num_trials: int = 1) -> list[Any]:
        """KerasTuner's name of :meth:`get_best_programs`."""
        return self.get_best_programs(num_trials)

    def results_summary(self, num_trials: int = 10) -> None:
        """Print the best trials, KerasTuner's way."""
        lines = ["Results summary"]
        if self.project_dir is not None:
            lines.append(f"Results in {self.project_dir}")
        lines += [f"Showing {num_trials} best trials",
                  f'Objective(name="{self.objective.name}", '
                  f'direction="{self.objective.direction}")']
        for trial in self.get_best_trials(num_trials):
            lines += ["", f"Trial {trial.trial_id} summary", "Hyperparameters:"]
            lines += [f"{k}: {v}" for k, v in trial.hyperparameters.values.items()]
            lines.append(f"Score: {trial.score}")
        print("\n".join(lines))

    def _rows(self) -> list[dict[str, Any]]:
        ranked = self.get_best_trials(len(self.trials))
        order = ranked + [t for t in self.trials if t not in ranked]
        return [{"trial_id": t.trial_id, "status": t.status, "score": t.score,
                 **t.hyperparameters.values, "error": t.error} for t in order]

    def trials_dataframe(self) -> Any:
        """One row per trial, best first: id, status, score, hyperparameters, error."""
        import pandas as pd  # imported when asked for, as History does

        return pd.DataFrame(self._rows())

    def _repr_html_(self) -> str:
        rows = self._rows()
        if not rows:
            return f"<p>{html.escape(type(self).__name__)}: no trials yet</p>"
        columns = list(dict.fromkeys(k for row in rows for k in row))
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns)
            + "</tr>" for row in rows)
        return (f"<table><caption>{html.escape(type(self).__name__)}: {len(rows)} trials, "
                f"{html.escape(self.objective.name)} ({self.objective.direction})</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
