"""pass@k, pass^k and gap-k over batches of k samples, and BatchMetric's routing by the trainer."""

from __future__ import annotations

import json
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.metrics.agents_metrics import pass_at_k, pass_hat_k


class Question(sn.DataModel):
    question: str


class Answer(sn.DataModel):
    answer: str


RIGHT, WRONG = {"answer": "4"}, {"answer": "5"}


@pytest.mark.parametrize(("n", "c", "k", "at", "hat"), [
    (5, 0, 3, 0.0, 0.0),
    (5, 5, 3, 1.0, 1.0),
    (5, 2, 1, 2 / 5, 2 / 5),            # k=1: both are the share of correct samples
    (5, 2, 2, 1 - 3 / 10, 1 / 10),      # 1 - C(3,2)/C(5,2); C(2,2)/C(5,2)
    (5, 3, 3, 1.0, 1 / 10),             # n-c=2 < k: pass@k is 1; C(3,3)/C(5,3)
    (2, 1, 5, 1.0, 0.0),                # k clamped to n=2
])
def test_the_estimators_match_hand_computed_values(n: int, c: int, k: int, at: float,
                                                   hat: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(at)
    assert pass_hat_k(n, c, k) == pytest.approx(hat)


async def test_results_are_the_mean_over_problems() -> None:
    at, hat, gap = sn.PassAtK(k=2), sn.metrics.PassHatK(k=2), sn.metrics.GapK(k=2)
    problems = [[RIGHT, WRONG, WRONG, WRONG], [RIGHT, RIGHT, RIGHT, WRONG]]
    for predictions in problems:
        for metric in (at, hat, gap):
            await metric.update_state([RIGHT] * 4, predictions)
    # problem 1: c=1 -> pass@2 = 1 - 3/6, pass^2 = 0; problem 2: c=3 -> 1, 3/6
    assert at.result() == pytest.approx((0.5 + 1.0) / 2)
    assert hat.result() == pytest.approx((0.0 + 0.5) / 2)
    assert gap.result() == pytest.approx(at.result() - hat.result())
    assert (at.name, hat.name, gap.name) == ("pass_at_k", "pass_hat_k", "gap_k")
    assert (sn.PassAtK.direction, sn.GapK.direction) == ("up", "down")
    at.reset_state()
    assert at.result() == 0.0


async def test_the_reward_and_threshold_decide_what_is_correct() -> None:
    lenient = sn.PassHatK(k=2, reward=sn.rewards.ExactMatch(in_mask=["answer"]))
    await lenient.update_state([RIGHT, RIGHT], [{**RIGHT, "thinking": "a"}, RIGHT])
    assert lenient.result() == 1.0
    never = sn.PassAtK(k=1, pass_threshold=2.0)  # no reward reaches 2
    await never.update_state([RIGHT], [RIGHT])
    assert never.result() == 0.0


def test_bad_arguments_say_what_was_expected() -> None:
    with pytest.raises(ValueError, match=r"positive int.*k=0"):
        sn.PassAtK(k=0)
    with pytest.raises(TypeError, match="Expected reward to be a Reward"):
        sn.GapK(reward="exact_match")  # type: ignore[arg-type]


def test_config_round_trip_keeps_k_reward_and_threshold() -> None:
    metric = sn.GapK(k=3, reward=sn.rewards.ExactMatch(in_mask=["answer"]), pass_threshold=0.5)
    again = sn.metrics.deserialize(json.loads(json.dumps(sn.metrics.serialize(metric))))
    assert isinstance(again, sn.GapK)
    assert (again.k, again.pass_threshold, again.reward.in_mask) == (3, 0.5, ["answer"])
    assert isinstance(sn.metrics.get("pass_hat_k"), sn.PassHatK)


async def test_evaluate_gives_a_batch_metric_each_batch_whole() -> None:
    # Problem "a" is answered right once in 4 draws, problem "b" always: with
    # batch_size=4 each batch is one problem's 4 samples.
    draws = {"a": iter(["4", "5", "5", "5"]), "b": iter(["4"] * 4)}

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, str]:
        return {"answer": next(draws[json.loads(messages[-1]["content"])["question"]])}

    x = sn.Input(data_model=Question)
    program = sn.Program(inputs=x, outputs=await sn.Generator(
        data_model=Answer, language_model=sn.ScriptedLanguageModel(handler=handler))(x))
    program.compile(reward="exact_match", metrics=[
        sn.PassAtK(k=2), sn.PassHatK(k=2), sn.metrics.MeanMetricWrapper(sn.rewards.ExactMatch())])
    xs = [Question(question="a")] * 4 + [Question(question="b")] * 4
    logs = await program.evaluate(xs, [Answer(answer="4")] * 8, batch_size=4, verbose=0)
    assert logs["pass_at_k"] == pytest.approx((0.5 + 1.0) / 2)
    assert logs["pass_hat_k"] == pytest.approx((0.0 + 1.0) / 2)
    assert logs["exact_match"] == pytest.approx(5 / 8)  # per-sample metrics unchanged
