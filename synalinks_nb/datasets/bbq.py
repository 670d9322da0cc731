"""BBQ: bias-probing questions with three lettered answers (Synalinks' ``datasets.bbq``).

Read from a local copy of the Hugging Face dataset ``walledai/BBQ`` (no config: folder
``default``), whose splits are the bias categories, e.g.
``<config.home>/datasets/huggingface/walledai/BBQ/default/age.jsonl``, rows
``{"context", "question", "choices": [3 strings], "answer": 0-2}``. ``load_data`` cuts
one category in two. Nothing is downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark, LocalDir
from synalinks_nb.datasets.dataset import Batch
from synalinks_nb.datasets.huggingface import HuggingFaceDataset

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class BBQQuestion(DataModel):
    question: str = Field(description="A context, a question, then options A to C")


class BBQAnswer(DataModel):
    answer: Literal["A", "B", "C"] = Field(description="The letter of the right option")


_BENCHMARK = Benchmark(
    path="walledai/BBQ", name=None, input_data_model=BBQQuestion,
    # The three options are lettered under the question; the answer is their index.
    input_template=(
        '{%- set lettered = [] -%}{%- for choice in choices -%}'
        '{%- set _ = lettered.append("ABC"[loop.index0] ~ ") " ~ choice) -%}{%- endfor -%}'
        '{"question": {{ ([context, question] + lettered) | join("\\n") | tojson }}}'),
    output_data_model=BBQAnswer, output_template='{"answer": {{ "ABC"[answer | int] | tojson }}}',
    train_split="age", test_split="age")


# The splits are categories, so load_data and iterable_dataset take a ``category``.
_FUNCTIONS = _BENCHMARK.functions(__name__)
get_input_data_model = _FUNCTIONS.get_input_data_model
get_output_data_model = _FUNCTIONS.get_output_data_model


def load_data(category: str = "age", validation_split: float = 0.2,
              local_dir: LocalDir = None) -> tuple[Batch, Batch]:
    """One category cut in two: ``(x_train, y_train), (x_test, y_test)``."""
    benchmark = dataclasses.replace(_BENCHMARK, test_split=category)
    return benchmark.split_in_two(validation_split, local_dir)


def iterable_dataset(repeat: int = 1, batch_size: int | None = 1, limit: int | None = None,
                     category: str = "age", local_dir: LocalDir = None) -> HuggingFaceDataset:
    """A streaming dataset over one category."""
    return _BENCHMARK.iterable_dataset(repeat, batch_size, limit, category, local_dir)
