"""Rewards with textual feedback: the forms a reward may return, and where the text goes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb import rewards
from synalinks_nb.trainers.steps import CompiledReward, PredictionFailure


def _starts_with_p(y_true: Any, y_pred: Any) -> tuple[float, str]:
    ok = y_pred["answer"].startswith("P")
    return (1.0 if ok else 0.0), ("good" if ok else f"{y_pred['answer']!r} must start with P")


@pytest.mark.parametrize("returned", [
    (0.25, "too long"),
    {"score": 0.25, "feedback": "too long"},
    rewards.Feedback(0.25, "too long"),
])
async def test_a_reward_function_may_return_its_feedback(returned: Any) -> None:
    reward = rewards.get(lambda y_true, y_pred: returned)
    assert await reward({"answer": "x"}, {"answer": "y"}) == 0.25  # still a float
    assert await reward.evaluate({"answer": "x"}, {"answer": "y"}) == rewards.Feedback(
        0.25, "too long")


@pytest.mark.parametrize(("returned", "message"), [
    ({"value": 1.0}, r"keys 'score' and optionally 'feedback'. Received keys: \['value'\]"),
    ({"score": 1.0, "feedback": 3}, "feedback to be a str or None. Received: int"),
    ("1.0", "Expected a reward to return a number"),
])
async def test_a_malformed_return_says_what_was_expected(returned: Any, message: str) -> None:
    reward = rewards.get(lambda y_true, y_pred: returned)
    with pytest.raises(TypeError, match=message):
        await reward({"answer": "x"}, {"answer": "y"})


async def test_exact_match_says_what_it_expected_and_what_it_got() -> None:
    reward = rewards.ExactMatch(in_mask=["answer"])
    miss = await reward.evaluate({"answer": "Paris"}, {"answer": "Lyon", "thinking": "..."})
    assert miss == rewards.Feedback(0.0, 'expected {"answer": "Paris"}, got {"answer": "Lyon"}')
    assert (await reward.evaluate({"answer": "Paris"}, None)).feedback.endswith("got no answer")


async def test_a_reward_overriding_only_batch_keeps_working() -> None:
    class Halves(rewards.Reward):
        async def batch(self, y_trues: Sequence[Any], y_preds: Sequence[Any]) -> list[float]:
            return [0.5] * len(y_preds)

    feedback = await Halves().batch_with_feedback([None, None], [{"a": 1}, {"a": 2}])
    assert feedback == [rewards.Feedback(0.5), rewards.Feedback(0.5)]


async def test_compiled_rewards_join_their_feedback_and_explain_failures() -> None:
    compiled = CompiledReward([rewards.ExactMatch(), rewards.get(_starts_with_p)])
    scores, texts = await compiled.scored(
        [{"answer": "Paris"}] * 3,
        [{"answer": "Paris"}, {"answer": "Lyon"}, PredictionFailure(ValueError("boom"), 2)])
    assert scores == [1.0, 0.0, 0.0]
    assert texts[0] == "exact_match: correct; _starts_with_p: good"
    assert texts[1] == ('exact_match: expected {"answer": "Paris"}, got {"answer": "Lyon"}; '
                        "_starts_with_p: 'Lyon' must start with P")
    assert texts[2] == "the program failed: ValueError: boom"


def test_feedback_is_public() -> None:
    assert sn.rewards.Feedback is rewards.feedback.Feedback
