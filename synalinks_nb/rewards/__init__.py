"""Rewards: how good a prediction is, per sample, in [0, 1].

``get("exact_match")``, ``serialize(reward)`` and ``deserialize(config)`` resolve
rewards for ``compile(reward=...)`` and saving; a plain function is wrapped in
:class:`RewardFunctionWrapper`.

Example:
    >>> from synalinks_nb import rewards
    >>> rewards.get("exact_match")
    <ExactMatch name='exact_match'>
    >>> rewards.deserialize(rewards.serialize(rewards.ExactMatch(in_mask=["answer"]))).in_mask
    ['answer']
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.rewards._family import Family
from synalinks_nb.rewards.cosine_similarity import CosineSimilarity, cosine, cosine_similarity
from synalinks_nb.rewards.exact_match import ExactMatch, exact_match
from synalinks_nb.rewards.feedback import Feedback
from synalinks_nb.rewards.judges import JudgeInput, LMAsJudge, ProgramAsJudge
from synalinks_nb.rewards.reward import REDUCTIONS, Reward, reduce_rewards
from synalinks_nb.rewards.reward_wrappers import (
    BatchReward,
    BatchRewardFunctionWrapper,
    RewardFunctionWrapper,
)

__all__ = [
    "REDUCTIONS",
    "BatchReward",
    "BatchRewardFunctionWrapper",
    "CosineSimilarity",
    "ExactMatch",
    "Feedback",
    "JudgeInput",
    "LMAsJudge",
    "ProgramAsJudge",
    "Reward",
    "RewardFunctionWrapper",
    "cosine",
    "deserialize",
    "exact_match",
    "get",
    "reduce_rewards",
    "serialize",
]
# Synalinks' keyword-parity additions (tests/compat/test_signatures.py); the function
# cosine_similarity takes the package attribute its submodule had.
__all__ += ["cosine_similarity"]

_FAMILY = Family("reward", Reward, wrap=RewardFunctionWrapper)
_FAMILY.alias("exact_match", ExactMatch)
_FAMILY.alias("cosine_similarity", CosineSimilarity)
_FAMILY.alias("lm_as_judge", LMAsJudge)


def get(identifier: Any) -> Reward:
    """A reward from an instance, a string id, a config dict or a function."""
    reward: Reward = _FAMILY.get(identifier)
    return reward


def serialize(reward: Reward) -> dict[str, Any]:
    """``{"class_name", "config"}`` for ``reward``."""
    return _FAMILY.serialize(reward)


def deserialize(name: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Reward:
    """The reward described by :func:`serialize`'s output, ``name`` (Synalinks' and Keras'
    name for this argument, though it holds the whole ``{"class_name", "config"}``)."""
    reward: Reward = _FAMILY.deserialize(name, custom_objects)
    return reward
