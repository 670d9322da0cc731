"""TruthfulQA (multiple choice, one true answer): pick the truthful answer.

Synalinks' ``datasets.truthfulqa``, read from a local copy of the Hugging Face dataset
``truthful_qa`` (config ``multiple_choice``), e.g.
``<config.home>/datasets/huggingface/truthful_qa/multiple_choice/validation.jsonl``,
rows ``{"question", "mc1_targets": {"choices": [...], "labels": [0/1, ...]}}``. The
dataset has only a validation split: ``load_data`` cuts it in two. Nothing is downloaded
(see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark, LocalDir
from synalinks_nb.datasets.dataset import Batch
from synalinks_nb.datasets.huggingface import HuggingFaceDataset

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class TruthfulQAQuestion(DataModel):
    question: str = Field(description='A question, then candidate answers lettered from A')


class TruthfulQAAnswer(DataModel):
    answer: str = Field(description='The letter of the truthful answer')


_BENCHMARK = Benchmark(
    path='truthful_qa', name='multiple_choice', input_data_model=TruthfulQAQuestion,
    # Candidates are lettered A, B, ...; the target is the letter of the one labelled 1.
    input_template=(
        '{%- set lettered = [] -%}{%- for choice in mc1_targets.choices -%}{%- set _ = '
        'lettered.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[loop.index0] ~ ") " ~ choice) -%}{%- '
        'endfor -%}{"question": {{ ([question] + lettered) | join("\\n") | tojson }}}'),
    output_data_model=TruthfulQAAnswer,
    output_template=(
        '{"answer": {{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[mc1_targets.labels.index(1)] | tojson '
        '}}}'),
    train_split='validation', test_split='validation')


def get_input_data_model() -> type[TruthfulQAQuestion]:
    """The input data model."""
    return TruthfulQAQuestion


def get_output_data_model() -> type[TruthfulQAAnswer]:
    """The output data model."""
    return TruthfulQAAnswer


def load_data(validation_split: float = 0.2, local_dir: LocalDir = None
              ) -> tuple[Batch, Batch]:
    """The validation split cut in two: ``(x_train, y_train), (x_test, y_test)``."""
    return _BENCHMARK.split_in_two(validation_split, local_dir)


def iterable_dataset(repeat: int = 1, batch_size: int | None = 1, limit: int | None = None,
                     split: str = 'validation', local_dir: LocalDir = None) -> HuggingFaceDataset:
    """A streaming dataset over one split."""
    return _BENCHMARK.iterable_dataset(repeat, batch_size, limit, split, local_dir)
