"""The optimizer benchmark's tasks: data from ``bench/data/*.jsonl``, programs for both sides.

Each task is a JSON-lines file written for this benchmark (``{"split", "input",
"answer"}``; 24 train / 16 validation / 48 test) and the same instructions for
synalinks_nb and DSPy. The score is exact match on the ``answer`` field.

- ``topic``: a news headline's topic, one of six labels;
- ``city``: the city named in a sentence;
- ``city_country``: two Generators, the city named in a sentence, then its country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import synalinks_nb as sn

DATA = Path(__file__).parent / "data"
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class Step:
    """One Generator: its input field, output field, the field's description, instructions."""

    input: str
    output: str
    description: str
    instructions: str


@dataclass(frozen=True)
class Task:
    """A benchmark task: its steps (one Generator each) and its rows per split."""

    name: str
    steps: tuple[Step, ...]
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def input_field(self) -> str:
        return self.steps[0].input

    def split(self, name: str, limit: int | None = None) -> list[dict[str, str]]:
        """The rows of one split, the first ``limit`` of them when given."""
        return self.rows[name][:limit]


TOPICS = "sports, politics, business, technology, science, health"
_STEPS = {
    "topic": (Step("headline", "answer", f"The topic, one word among: {TOPICS}",
                   f"Classify the news headline into one topic among: {TOPICS}. "
                   "Answer with the topic word in lower case."),),
    "city": (Step("sentence", "answer", "The name of the city, as written in the sentence",
                  "Name the city mentioned in the sentence."),),
    "city_country": (
        Step("sentence", "city", "The name of the city, as written in the sentence",
             "Name the city mentioned in the sentence."),
        Step("city", "answer", "The English name of the country, e.g. United Kingdom",
             "Name the country the city is in."),
    ),
}


def load_tasks(names: list[str] | None = None) -> list[Task]:
    """The tasks (all, or those named), with their rows read from ``bench/data``."""
    unknown = sorted(set(names or []) - set(_STEPS))
    if unknown:
        raise SystemExit(f"Expected tasks among {sorted(_STEPS)}. Received: {unknown}")
    tasks = []
    for name in names or list(_STEPS):
        rows: dict[str, list[dict[str, str]]] = {split: [] for split in SPLITS}
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["split"]].append(row)
        tasks.append(Task(name, _STEPS[name], rows))
    return tasks


# -- synalinks_nb ------------------------------------------------------------------------


def _data_model(name: str, field_name: str, description: str = "") -> type[sn.DataModel]:
    annotations = {field_name: str}
    namespace: dict[str, Any] = {"__annotations__": annotations}
    if description:
        namespace[field_name] = sn.Field(description=description)
    return type(name, (sn.DataModel,), namespace)


class _Models:
    """The task's data models, built once per task (class identity matters to pydantic)."""

    cache: ClassVar[dict[str, tuple[type[sn.DataModel], list[type[sn.DataModel]]]]] = {}

    @classmethod
    def of(cls, task: Task) -> tuple[type[sn.DataModel], list[type[sn.DataModel]]]:
        if task.name not in cls.cache:
            inputs = _data_model(f"{task.name.title()}Input", task.input_field)
            outputs = [_data_model(f"{task.name.title()}{s.output.title()}", s.output,
                                   s.description) for s in task.steps]
            cls.cache[task.name] = (inputs, outputs)
        return cls.cache[task.name]


async def build_program(task: Task, language_model: Any) -> sn.Program:
    """The task's program: one Generator per step, chained."""
    input_model, output_models = _Models.of(task)
    inputs = sn.Input(data_model=input_model)
    x: Any = inputs
    for step, data_model in zip(task.steps, output_models, strict=True):
        x = await sn.Generator(data_model=data_model, language_model=language_model,
                               instructions=step.instructions)(x)
    return sn.Program(inputs=inputs, outputs=x, name=task.name)


def xy(task: Task, rows: list[dict[str, str]]) -> tuple[list[Any], list[Any]]:
    """Inputs and expected outputs as the task's data models."""
    input_model, output_models = _Models.of(task)
    xs = [input_model(**{task.input_field: row["input"]}) for row in rows]
    ys = [output_models[-1](answer=row["answer"]) for row in rows]
    return xs, ys
