"""Rewards and metrics: compile with Synalinks' rewards and metrics, evaluate, plot the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


CAPITALS = {"France": "Paris", "Italy": "Rome", "Spain": "Madrid", "Japan": "Kyoto"}


async def make_program() -> Any:
    language_model = answering(lambda user, field: CAPITALS[user["query"]])
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(data_model=Answer, language_model=language_model)(
        inputs)
    return synalinks.Program(inputs=inputs, outputs=outputs, name="capitals")


def data() -> tuple[list[Query], list[Answer]]:
    truth = {"France": "Paris", "Italy": "Rome", "Spain": "Madrid", "Japan": "Tokyo"}
    return ([Query(query=c) for c in truth], [Answer(answer=a) for a in truth.values()])


async def test_exact_match_reward_with_metrics(tmp_path: Path) -> None:
    program = await make_program()
    program.compile(
        reward=synalinks.ExactMatch(in_mask=["answer"]),  # the top-level name, as Synalinks
        optimizer=synalinks.optimizers.RandomFewShot(),
        metrics=[synalinks.metrics.F1Score(in_mask=["answer"]), synalinks.metrics.Cost(),
                 synalinks.metrics.FailedCalls()],
    )
    x_test, y_test = data()
    metrics = await program.evaluate(x=x_test, y=y_test, batch_size=2, verbose=0)
    assert metrics["reward"] == 0.75  # Japan's capital is wrong
    assert 0.7 < metrics["f1_score"] <= 0.75
    assert metrics["cost"] == 0.0 and metrics["failed_calls"] == 0.0
    path = synalinks.utils.plot_metrics(metrics, to_folder=tmp_path, to_file="eval.svg")
    assert "reward: 0.75" in path._repr_svg_()


async def test_lm_as_judge_reward_and_a_custom_reward_function() -> None:
    judge = answering(lambda user, field: 1.0)  # scores every answer 1.0
    program = await make_program()

    @synalinks.saving.register_synalinks_serializable()
    async def same_first_letter(y_true: Any, y_pred: Any) -> float:
        return float(y_true["answer"][0] == y_pred["answer"][0])

    program.compile(reward=synalinks.LMAsJudge(language_model=judge))
    x_test, y_test = data()
    assert (await program.evaluate(x=x_test, y=y_test, verbose=0))["reward"] == 1.0
    program.compile(reward=same_first_letter)
    assert (await program.evaluate(x=x_test, y=y_test, verbose=0))["reward"] == 0.75
