"""Hyperparameter search for programs: KerasTuner's API (``synalinks.tuners``) over optuna.

Needs the ``tune`` extra (``pip install 'synalinks_nb[tune]'``); optuna is imported
when a search starts. See :mod:`~synalinks_nb.tuners.tuner` for the design.

Example:
    >>> import synalinks_nb as sn
    >>> sn.tuners.HyperParameters().Choice("effort", ["low", "high"])
    'low'
"""

from __future__ import annotations

from synalinks_nb.tuners.hyperparameters import HyperParameters
from synalinks_nb.tuners.search import BayesianOptimization, GridSearch, Hyperband, RandomSearch
from synalinks_nb.tuners.trials import MultiObjective, Objective, Trial
from synalinks_nb.tuners.tuner import Tuner

__all__ = [
    "BayesianOptimization",
    "GridSearch",
    "HyperParameters",
    "Hyperband",
    "MultiObjective",
    "Objective",
    "RandomSearch",
    "Trial",
    "Tuner",
    "disable_keras_backend",
]


def disable_keras_backend() -> None:
    """Kept for Synalinks scripts, which call it before importing ``keras_tuner``.

    Synalinks stubs out Keras so that KerasTuner loads without TensorFlow; these tuners
    do not use Keras, so there is nothing to disable.
    """
