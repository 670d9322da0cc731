"""HumanEval: write a Python function body from its signature and docstring.

Synalinks' ``datasets.humaneval``, read from a local copy of the Hugging Face dataset
``openai/openai_humaneval`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/openai/openai_humaneval/default/test.jsonl``, rows
``{"prompt", "canonical_solution", ...}``. The dataset has only a test split:
``load_data`` cuts it in two. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark, LocalDir
from synalinks_nb.datasets.dataset import Batch
from synalinks_nb.datasets.huggingface import HuggingFaceDataset

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class HumanEvalQuestion(DataModel):
    prompt: str = Field(description="A Python function's signature and docstring")


class HumanEvalAnswer(DataModel):
    completion: str = Field(description="The function's body, indented")


_BENCHMARK = Benchmark(
    path='openai/openai_humaneval', name=None, input_data_model=HumanEvalQuestion,
    # The reference solution is the target, as stored.
    input_template=(
        '{"prompt": {{ prompt | tojson }}}'),
    output_data_model=HumanEvalAnswer,
    output_template=(
        '{"completion": {{ canonical_solution | tojson }}}'),
    train_split='test', test_split='test')


def get_input_data_model() -> type[HumanEvalQuestion]:
    """The input data model."""
    return HumanEvalQuestion


def get_output_data_model() -> type[HumanEvalAnswer]:
    """The output data model."""
    return HumanEvalAnswer


def load_data(validation_split: float = 0.2, local_dir: LocalDir = None
              ) -> tuple[Batch, Batch]:
    """The test split cut in two: ``(x_train, y_train), (x_test, y_test)``."""
    return _BENCHMARK.split_in_two(validation_split, local_dir)


def iterable_dataset(repeat: int = 1, batch_size: int | None = 1, limit: int | None = None,
                     split: str = 'test', local_dir: LocalDir = None) -> HuggingFaceDataset:
    """A streaming dataset over one split."""
    return _BENCHMARK.iterable_dataset(repeat, batch_size, limit, split, local_dir)
