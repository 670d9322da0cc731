"""LogiQA: logical reasoning, four lettered options.

Synalinks' ``datasets.logiqa``, read from a local copy of the Hugging Face dataset
``fireworks-ai/logiqa`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/fireworks-ai/logiqa/default/train.jsonl``, rows
``{"context", "question", "options": [4 strings], "answer": "A"-"D"}``. Nothing is
downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from typing import Literal

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class LogiQAQuestion(DataModel):
    question: str = Field(description='A context, a question, then the lettered options')


class LogiQAAnswer(DataModel):
    answer: Literal["A", "B", "C", "D"] = Field(description='The letter of the right option')


_BENCHMARK = Benchmark(
    path='fireworks-ai/logiqa', name=None, input_data_model=LogiQAQuestion,
    # The options are written as they are stored, one a line, after the question.
    input_template=(
        '{"question": {{ [context, "Question: " ~ question, options | join("\\n")] | '
        'join("\\n\\n") | tojson }}}'),
    output_data_model=LogiQAAnswer, output_template='{"answer": {{ answer | tojson }}}',
    train_split='train', test_split='test')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
