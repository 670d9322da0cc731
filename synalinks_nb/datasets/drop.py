"""DROP: reading comprehension needing discrete reasoning over a passage.

Synalinks' ``datasets.drop``, read from a local copy of the Hugging Face dataset
``ucinlp/drop`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/ucinlp/drop/default/validation.jsonl``, rows
``{"passage", "question", "answers_spans": {"spans": [...]}}``.  Nothing is downloaded
(see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class DROPQuestion(DataModel):
    question: str = Field(description='A passage, then a question about it')


class DROPAnswer(DataModel):
    answer: str = Field(description='A short answer: a number, a date or a phrase')


_BENCHMARK = Benchmark(
    path='ucinlp/drop', name=None, input_data_model=DROPQuestion,
    # The first of the reference spans is the target.
    input_template=(
        '{"question": {{ [passage, "Question: " ~ question] | join("\\n\\n") | tojson }}}'),
    output_data_model=DROPAnswer,
    output_template=(
        '{"answer": {{ answers_spans.spans | first | tojson }}}'),
    train_split='train', test_split='validation')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
