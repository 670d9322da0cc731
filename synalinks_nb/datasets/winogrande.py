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
from synalinks_nb.datasets.benchmark import Benchmark

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


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
