"""Rewards: masks, wrappers, judges, registry."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb import rewards
from synalinks_nb.errors import StructuredOutputError


class Answer(sn.DataModel):
    thinking: str
    answer: str


async def test_exact_match_masks_apply_to_both_sides() -> None:
    reward = rewards.ExactMatch(in_mask=["answer"])
    y_pred = Answer(thinking="long", answer="Paris")
    assert await reward({"answer": "Paris"}, y_pred) == 1.0
    assert await reward({"answer": "Rome"}, y_pred) == 0.0
    assert await rewards.ExactMatch(out_mask=["thinking"])(
        Answer(thinking="a", answer="x"), Answer(thinking="b", answer="x")) == 1.0
    assert await reward({"answer": "Paris"}, None) == 0.0


async def test_function_wrapper_accepts_synalinks_style_functions() -> None:
    async def lengths_match(y_true, y_pred):  # type: ignore[no-untyped-def]
        return float(len(y_true.get_json()["answer"]) == len(y_pred["answer"]))

    reward = rewards.get(lengths_match)
    assert isinstance(reward, rewards.RewardFunctionWrapper)
    assert reward.name == "lengths_match"
    assert await reward({"answer": "ab"}, {"answer": "cd"}) == 1.0


async def test_async_rewards_score_a_batch_concurrently_plain_ones_in_order() -> None:
    # An async reward waiting on I/O (here: sample 0 waits for sample 2 to start) must
    # not hold back the rest of the batch; a plain function is simply called in order.
    started: list[str] = []
    third_started = asyncio.Event()

    async def slow_first(y_true, y_pred):  # type: ignore[no-untyped-def]
        started.append(y_pred["answer"])
        if y_pred["answer"] == "c":
            third_started.set()
        if y_pred["answer"] == "a":
            await third_started.wait()
        return float(y_true["answer"] == y_pred["answer"])

    class SlowFirst:  # an object with an async __call__ counts as async too
        async def __call__(self, y_true, y_pred):  # type: ignore[no-untyped-def]
            return await slow_first(y_true, y_pred)

    preds = [{"answer": x} for x in "abc"]
    for fn in (slow_first, SlowFirst()):
        third_started.clear()
        values = await asyncio.wait_for(rewards.RewardFunctionWrapper(fn).batch(preds, preds), 5)
        assert values == [1.0, 1.0, 1.0]

    def plain(y_true, y_pred):  # type: ignore[no-untyped-def]
        started.append(y_pred["answer"])
        return float(y_true["answer"] == y_pred["answer"])

    started.clear()
    truths = [{"answer": "a"}, {"answer": "x"}, {"answer": "c"}]
    assert await rewards.get(plain).batch(truths, preds) == [1.0, 0.0, 1.0]
    assert await rewards.ExactMatch().batch(truths, preds) == [1.0, 0.0, 1.0]
    assert started == ["a", "b", "c"]


async def test_batch_reward_scores_the_whole_batch_once() -> None:
    calls = []

    def rank(y_trues, y_preds):  # type: ignore[no-untyped-def]
        calls.append(len(y_preds))
        return [float(p["answer"] == t["answer"]) for t, p in zip(y_trues, y_preds, strict=True)]

    reward = rewards.BatchReward(rank)
    values = await reward.batch([{"answer": "a"}] * 3, [{"answer": "a"}, {"answer": "b"},
                                                         {"answer": "a"}])
    assert values == [1.0, 0.0, 1.0]
    assert calls == [3]
    assert reward.reduce(values) == pytest.approx(2 / 3)


async def test_lm_as_judge_sends_both_sides_and_clips() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"score": 1.0}])
    judge = rewards.LMAsJudge(lm)
    assert await judge({"answer": "Paris"}, {"answer": "paris"}) == 1.0
    assert '"ground_truth": {"answer": "Paris"}' in lm.calls[0].messages[-1]["content"]
    assert await judge({"answer": "Paris"}, None) == 0.0
    assert len(lm.calls) == 1


async def test_lm_as_judge_picks_on_its_score_type_and_normalizes() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"score": 4}])
    judge = rewards.LMAsJudge(lm, score_type=sn.Rating)
    assert await judge({"answer": "Paris"}, {"answer": "paris"}) == 0.75
    asked = lm.calls[0].schema
    assert asked is not None and asked["properties"]["score"]["enum"] == [1, 2, 3, 4, 5]
    assert "an integer between 1 and 5" in lm.calls[0].messages[0]["content"]
    # 0.75 is not one of Rating's levels: the answer is refused, not rounded.
    off_scale = sn.ScriptedLanguageModel(responses=[{"score": 0.75}])
    with pytest.raises(StructuredOutputError):
        await rewards.LMAsJudge(off_scale, score_type="Rating")({"a": "x"}, {"a": "x"})
    again = rewards.deserialize(rewards.serialize(judge))
    assert again.get_config()["score_type"] == "Rating" and again.score_type is sn.Rating
    with pytest.raises(ValueError, match="Expected a score type"):
        rewards.LMAsJudge(lm, score_type=float)


async def test_cosine_similarity_uses_the_embedding_model() -> None:
    async def embed(texts):  # type: ignore[no-untyped-def]
        return {"embeddings": [[1.0, 0.0] if "cat" in t else [0.0, 1.0] for t in texts]}

    reward = rewards.CosineSimilarity(embed)
    assert await reward({"a": "cat"}, {"a": "a cat"}) == pytest.approx(1.0)
    assert await reward({"a": "cat"}, {"a": "dog"}) == pytest.approx(0.0)


def test_registry_round_trip_and_errors() -> None:
    reward = rewards.get("exact_match")
    assert isinstance(reward, rewards.ExactMatch)
    config = rewards.serialize(rewards.ExactMatch(in_mask=["answer"], reduction="sum"))
    again = rewards.deserialize(config)
    assert (again.in_mask, again.reduction) == (["answer"], "sum")
    with pytest.raises(ValueError, match="exact_match"):
        rewards.get("no_such_reward")
    with pytest.raises(sn.errors.UnknownObjectError):
        rewards.deserialize({"class_name": "os.system", "config": {}})
    with pytest.raises(ValueError, match="reduction"):
        rewards.ExactMatch(reduction="median")


def test_function_wrappers_load_only_registered_functions() -> None:
    @sn.saving.register_synalinks_serializable(package="RewardTests")
    def same_answer(y_true, y_pred):  # type: ignore[no-untyped-def]
        return float(y_true["answer"] == y_pred["answer"])

    for wrapper, family in ((rewards.RewardFunctionWrapper(same_answer), rewards),
                            (sn.metrics.MeanMetricWrapper(same_answer), sn.metrics)):
        config = family.serialize(wrapper)
        assert config["config"]["fn"] == "RewardTests>same_answer"
        assert family.deserialize(config).fn is same_answer
        config["config"]["fn"] = "RewardTests>unknown"
        with pytest.raises(ValueError, match="'RewardTests>unknown' to be registered"):
            family.deserialize(config)


def test_batch_reward_round_trips_and_function_rewards_refuse_a_non_callable() -> None:
    @sn.saving.register_synalinks_serializable(package="RewardTests")
    def all_good(y_trues: Any, y_preds: Any) -> list[float]:
        return [1.0 for _ in y_preds]

    again = rewards.deserialize(rewards.serialize(rewards.BatchReward(all_good, name="ranked")))
    assert type(again) is rewards.BatchReward
    assert again.fn is all_good and again.name == "ranked"
    for cls in (rewards.RewardFunctionWrapper, rewards.BatchReward):
        with pytest.raises(TypeError, match=r"Expected fn to be callable\. Received: fn='x'"):
            cls("x")


async def test_mask_patterns_select_fields_as_in_synalinks() -> None:
    truth = {"answer": "4", "answer_unit": "cm", "thinking": "a"}
    pred = {"answer": "4", "answer_unit": "cm", "thinking": "b"}
    assert await rewards.ExactMatch()(truth, pred) == 0.0
    assert await rewards.ExactMatch(in_mask_pattern=r"answer.*")(truth, pred) == 1.0
    assert await rewards.ExactMatch(out_mask_pattern=r"^think")(truth, pred) == 1.0
    again = rewards.deserialize(rewards.serialize(rewards.ExactMatch(in_mask_pattern="answer")))
    assert again.in_mask_pattern == "answer"
    f1 = sn.metrics.F1Score(out_mask_pattern=r"^think")
    await f1.update_state(truth, pred)
    assert f1.result() == [1.0, 1.0]  # answer and answer_unit, not thinking
    config = sn.metrics.serialize(f1)["config"]
    assert config["out_mask_pattern"] == r"^think" and "in_mask_pattern" not in config


async def test_batch_reward_function_wrapper_passes_its_keywords_and_saves_them() -> None:
    @sn.saving.register_synalinks_serializable()
    def close_enough(y_trues: Any, y_preds: Any, tolerance: int) -> list[float]:
        return [float(abs(len(p["answer"]) - len(t["answer"])) <= tolerance)
                for t, p in zip(y_trues, y_preds, strict=True)]

    reward = rewards.BatchRewardFunctionWrapper(fn=close_enough, tolerance=1)
    assert await reward.batch([{"answer": "abc"}] * 2,
                              [{"answer": "ab"}, {"answer": "a"}]) == [1.0, 0.0]
    again = rewards.deserialize(rewards.serialize(reward))
    assert isinstance(again, rewards.BatchRewardFunctionWrapper)
    assert again.fn_kwargs == {"tolerance": 1}
    assert await again({"answer": "abc"}, {"answer": "a"}) == 0.0


async def test_lm_as_judge_takes_synalinks_prompt_template_and_graded_examples() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"score": 1.0}])
    example = ({"ground_truth": {"answer": "4"}, "prediction": {"answer": "5"}}, {"score": 0.0})
    judge = rewards.LMAsJudge(lm, examples=[example],
                              prompt_template="Grade strictly. {instructions}")
    assert await judge({"answer": "Paris"}, {"answer": "Paris"}) == 1.0
    system, shown, graded, asked = lm.calls[0].messages
    assert system["content"].startswith("Grade strictly. You are a strict grader.")
    assert (shown["role"], graded) == ("user", {"role": "assistant", "content": '{"score": 0.0}'})
    assert '"Paris"' in asked["content"]
    again = rewards.deserialize(rewards.serialize(judge), custom_objects={lm.name: lm})
    assert again.examples == judge.examples and again.prompt_template == judge.prompt_template
    with pytest.raises(ValueError, match="prompt_template"):
        rewards.LMAsJudge(lm, prompt_template="{rubric}")
    with pytest.raises(ValueError, match="judge example"):
        rewards.LMAsJudge(lm, examples=["not a pair"])
