"""Optimizers: propose new values for trainable variables (see :mod:`.optimizer`).

Example:
    >>> from synalinks_nb import optimizers
    >>> optimizers.get("random_few_shot")
    <RandomFewShot name='random_few_shot'>
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.optimizers.bootstrap_random_search import BootstrapRandomSearch
from synalinks_nb.optimizers.evolutionary_optimizer import EvolutionaryOptimizer
from synalinks_nb.optimizers.gepa import GEPA
from synalinks_nb.optimizers.greedy_optimizer import GreedyOptimizer
from synalinks_nb.optimizers.labeled_few_shot import LabeledFewShot
from synalinks_nb.optimizers.omega import OMEGA
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, Optimizer, ScoredPrediction
from synalinks_nb.optimizers.random_few_shot import RandomFewShot
from synalinks_nb.rewards._family import Family

__all__ = [
    "GEPA",
    "OMEGA",
    "BatchContext",
    "BootstrapRandomSearch",
    "Candidate",
    "EvolutionaryOptimizer",
    "GreedyOptimizer",
    "LabeledFewShot",
    "Optimizer",
    "RandomFewShot",
    "ScoredPrediction",
    "deserialize",
    "get",
    "serialize",
]

_FAMILY = Family("optimizer", Optimizer)
_FAMILY.alias("random_few_shot", RandomFewShot)
_FAMILY.alias("omega", OMEGA)
_FAMILY.alias("bootstrap_random_search", BootstrapRandomSearch)
_FAMILY.alias("gepa", GEPA)
_FAMILY.alias("labeled_few_shot", LabeledFewShot)


def get(identifier: Any) -> Optimizer:
    """An optimizer from an instance, a string id or a config dict."""
    optimizer: Optimizer = _FAMILY.get(identifier)
    return optimizer


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """``{"class_name", "config"}`` for ``optimizer``."""
    return _FAMILY.serialize(optimizer)


def deserialize(config: dict[str, Any],
                custom_objects: dict[str, Any] | None = None) -> Optimizer:
    """The optimizer described by :func:`serialize`'s output."""
    optimizer: Optimizer = _FAMILY.deserialize(config, custom_objects)
    return optimizer
