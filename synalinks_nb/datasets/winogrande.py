"""WinoGrande: fill a blank with one of two options.

Synalinks' ``datasets.winogrande``, read from a local copy of the Hugging Face dataset
``allenai/winogrande`` (config ``winogrande_xl``), e.g.
``<config.home>/datasets/huggingface/allenai/winogrande/winogrande_xl/train.jsonl``,
rows ``{"sentence", "option1", "option2", "answer": "1"/"2"}``. The test split has no
labels, so validation is the test split. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from typing import Literal

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark, LocalDir
from synalinks_nb.datasets.dataset import Batch
from synalinks_nb.datasets.huggingface import HuggingFaceDataset

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class WinoGrandeQuestion(DataModel):
    question: str = Field(description='A sentence with a blank `_`, then options 1 and 2')


class WinoGrandeAnswer(DataModel):
    answer: Literal[1, 2] = Field(description='The number of the option that fits the blank')


_BENCHMARK = Benchmark(
    path='allenai/winogrande', name='winogrande_xl', input_data_model=WinoGrandeQuestion,
    # The two options are numbered under the sentence; the answer is stored as text.
    input_template=(
        '{"question": {{ [sentence, "1) " ~ option1, "2) " ~ option2] | join("\\n") | '
        'tojson }}}'),
    output_data_model=WinoGrandeAnswer, output_template='{"answer": {{ answer | int }}}',
    train_split='train', test_split='validation')


def get_input_data_model() -> type[WinoGrandeQuestion]:
    """The input data model (a ``question``)."""
    return WinoGrandeQuestion


def get_output_data_model() -> type[WinoGrandeAnswer]:
    """The output data model (the ``answer``)."""
    return WinoGrandeAnswer


def load_data(local_dir: LocalDir = None) -> tuple[Batch, Batch]:
    """``(x_train, y_train), (x_test, y_test)``: the train and validation splits."""
    return _BENCHMARK.load_data(local_dir)


def iterable_dataset(repeat: int = 1, batch_size: int | None = 1, limit: int | None = None,
                     split: str = 'train', local_dir: LocalDir = None) -> HuggingFaceDataset:
    """A streaming dataset over one split."""
    return _BENCHMARK.iterable_dataset(repeat, batch_size, limit, split, local_dir)
