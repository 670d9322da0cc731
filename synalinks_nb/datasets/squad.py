"""SQuAD: answer a question with a span of a passage.

Synalinks' ``datasets.squad``, read from a local copy of the Hugging Face dataset
``rajpurkar/squad`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/rajpurkar/squad/default/train.jsonl``, rows
``{"context", "question", "answers": {"text": [...], "answer_start": [...]}}``. Nothing
is downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class SQuADQuestion(DataModel):
    question: str = Field(description='A passage, then a question about it')


class SQuADAnswer(DataModel):
    answer: str = Field(description='A short span of the passage')


_BENCHMARK = Benchmark(
    path='rajpurkar/squad', name=None, input_data_model=SQuADQuestion,
    # The first of the reference answers is the target.
    input_template=(
        '{"question": {{ [context, "Question: " ~ question] | join("\\n\\n") | tojson '
        '}}}'),
    output_data_model=SQuADAnswer,
    output_template=(
        '{"answer": {{ answers.text | first | tojson }}}'),
    train_split='train', test_split='validation')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
