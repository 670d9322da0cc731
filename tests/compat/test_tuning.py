"""Hyperparameter search the way Synalinks' example 18 writes it (KerasTuner's API).

As the example: ``disable_keras_backend()``, an async ``build_program(hp)`` that reads a
module-level language model, ``synalinks.tuners.RandomSearch(...)`` with an ``Objective``,
the blocking ``tuner.search(...)`` called from inside ``async def main()``, then the best
hyperparameters, the oracle's best trial and a rebuilt winner evaluated on held-out data.
Differences: scripted models instead of Gemini, a tiny arithmetic set instead of GSM8K.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as synalinks

pytest.importorskip("optuna", reason="the tune extra (optuna) is not installed")

synalinks.disable_keras_backend()


class MathQuestion(synalinks.DataModel):
    question: str = synalinks.Field(description="The math word problem")


class MathAnswer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The numerical answer")


def solver(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    """Right only when it may think first (a `thinking` field is asked for)."""
    a, b = json.loads(messages[-1]["content"])["question"].split(" plus ")
    properties = (schema or {}).get("properties", {})
    answer = str(int(a) + int(b)) if "thinking" in properties else "?"
    return {**({"thinking": f"{a} + {b}"} if "thinking" in properties else {}),
            "answer": answer}


language_model: Any = None


async def build_program(hp: Any) -> synalinks.Program:
    use_cot = hp.Boolean("use_chain_of_thought", default=True)
    temperature = hp.Float("temperature", 0.0, 1.0, default=0.0)
    reasoning_effort = hp.Choice("reasoning_effort", ["minimal", "low", "medium"],
                                 default="low")
    synalinks.clear_session()
    inputs = synalinks.Input(data_model=MathQuestion)
    if use_cot:
        outputs = await synalinks.ChainOfThought(
            data_model=MathAnswer, language_model=language_model, temperature=temperature,
            reasoning_effort=reasoning_effort)(inputs)
    else:
        outputs = await synalinks.Generator(data_model=MathAnswer, language_model=language_model,
                                            temperature=temperature)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="math_trial")
    program.compile(reward=synalinks.rewards.ExactMatch(in_mask=["answer"]),
                    optimizer=synalinks.optimizers.RandomFewShot())
    return program


def problems(start: int, n: int) -> tuple[list[MathQuestion], list[MathAnswer]]:
    xs = [MathQuestion(question=f"{i} plus {i + 3}") for i in range(start, start + n)]
    return xs, [MathAnswer(answer=str(2 * i + 3)) for i in range(start, start + n)]


async def test_example_18_hyperparameter_search(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    global language_model
    language_model = synalinks.ScriptedLanguageModel(handler=solver)
    (x_train, y_train), (x_val, y_val) = problems(0, 6), problems(10, 4)
    x_test, y_test = problems(20, 4)
    tuner = synalinks.tuners.RandomSearch(
        build_program, objective=synalinks.tuners.Objective("val_reward", direction="max"),
        max_trials=4, seed=2, directory=str(tmp_path), project_name="math_hp_search",
        overwrite=True)
    tuner.search(x=x_train, y=y_train, validation_data=(x_val, y_val), epochs=1,
                 batch_size=2, verbose=0)
    tuner.results_summary(num_trials=4)
    assert "Trial 0" in capsys.readouterr().out
    best_hp = tuner.get_best_hyperparameters(num_trials=1)[0]
    best_trial = tuner.oracle.get_best_trials(num_trials=1)[0]
    assert best_hp.get("use_chain_of_thought") is True and best_trial.score == 1.0
    assert 0.0 <= best_hp.get("temperature") <= 1.0
    assert best_hp.get("reasoning_effort") in ("minimal", "low", "medium")
    program = await build_program(best_hp)
    metrics = await program.evaluate(x=x_test, y=y_test, batch_size=2, verbose=0)
    assert metrics.get("reward") == 1.0
    assert (tmp_path / "math_hp_search" / "trials.json").exists()
