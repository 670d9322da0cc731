"""Training: compile, fit with callbacks (checkpoint, CSV log, early stopping), plot, reload."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import synalinks_nb as synalinks


class Question(synalinks.DataModel):
    topic: str = synalinks.Field(description="The topic of the item")
    item: str = synalinks.Field(description="The item to label")


class Label(synalinks.DataModel):
    label: str = synalinks.Field(description="The label of the item")


TOPICS = ["fruit", "animal", "color", "country"]


def learner(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    """Right only when the prompt holds an example of the question's topic."""
    question = json.loads(messages[-1]["content"])
    seen = any(f'"topic": "{question["topic"]}"' in m["content"] for m in messages[:-1])
    return {"label": question["topic"].upper() if seen else "UNKNOWN"}


def data(n: int) -> tuple[list[Question], list[Label]]:
    xs = [Question(topic=TOPICS[i % 4], item=f"item-{i}") for i in range(n)]
    return xs, [Label(label=x.topic.upper()) for x in xs]


async def test_fit_with_synalinks_callbacks_then_reload_the_best(tmp_path: Path) -> None:
    synalinks.clear_session()
    synalinks.set_seed(3)
    language_model = synalinks.ScriptedLanguageModel(handler=learner)
    inputs = synalinks.Input(data_model=Question)
    outputs = await synalinks.Generator(data_model=Label, language_model=language_model)(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="labeller")
    program.compile(reward=synalinks.rewards.ExactMatch(in_mask=["label"]),
                    optimizer=synalinks.optimizers.RandomFewShot(nb_min_examples=4,
                                                                 nb_max_examples=8),
                    metrics=[synalinks.metrics.TotalTokens()])
    x_train, y_train = data(32)
    checkpoint = synalinks.callbacks.ProgramCheckpoint(
        filepath=str(tmp_path / "best.json"), monitor="val_reward", mode="max",
        save_best_only=True)
    log = synalinks.callbacks.CSVLogger(filepath=tmp_path / "log.csv")
    stop = synalinks.callbacks.EarlyStopping(monitor="val_reward", patience=1, mode="max")
    history = await program.fit(x=x_train, y=y_train, validation_split=0.25, epochs=4,
                                batch_size=8, callbacks=[checkpoint, log, stop], verbose=0)

    assert max(history.history["val_reward"]) > 0.5  # it learnt from the examples
    rows = list(csv.DictReader((tmp_path / "log.csv").read_text().splitlines()))
    assert len(rows) == len(history.history["val_reward"]) and "total_tokens" in rows[0]
    # A scripted model's handler is code, never saved: plug it back in by its name (a
    # provider model is saved by its id and comes back by itself).
    best = synalinks.Program.load(str(tmp_path / "best.json"),
                                  custom_objects={language_model.name: language_model})
    x_test, y_test = data(8)
    best.compile(reward=synalinks.rewards.ExactMatch(in_mask=["label"]))
    metrics = await best.evaluate(x=x_test, y=y_test, verbose=0)
    assert metrics["reward"] == checkpoint.best == max(history.history["val_reward"])
    plot = synalinks.utils.plot_history(history, to_folder=tmp_path, to_file="history.svg")
    assert "val_reward" in plot._repr_svg_()
