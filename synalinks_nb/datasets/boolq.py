"""BoolQ: yes/no questions about a passage.

Synalinks' ``datasets.boolq``, read from a local copy of the Hugging Face dataset
``google/boolq`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/google/boolq/default/train.jsonl``, rows
``{"passage", "question", "answer": true/false}``. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class BoolQQuestion(DataModel):
    question: str = Field(description='A passage, then a yes/no question about it')


class BoolQAnswer(DataModel):
    answer: bool = Field(description='True for yes, False for no')


_BENCHMARK = Benchmark(
    path='google/boolq', name=None, input_data_model=BoolQQuestion,
    # The passage first, then the question (stored without its question mark).
    input_template=(
        '{"question": {{ [passage, "Question: " ~ question ~ "?"] | join("\\n\\n") | '
        'tojson }}}'),
    output_data_model=BoolQAnswer, output_template='{"answer": {{ answer | tojson }}}',
    train_split='train', test_split='validation')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
