"""BIG-Bench Hard, boolean expressions: evaluate a Boolean expression.

Synalinks' ``datasets.bbh``, read from a local copy of the Hugging Face dataset
``lukaemon/bbh`` (config ``boolean_expressions``), e.g.
``<config.home>/datasets/huggingface/lukaemon/bbh/boolean_expressions/test.jsonl``, rows
``{"input", "target": "True"/"False"}``. The dataset has only a test split:
``load_data`` cuts it in two. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class BBHBooleanQuestion(DataModel):
    question: str = Field(description='A Boolean expression')


class BBHBooleanAnswer(DataModel):
    answer: bool = Field(description="The expression's value")


_BENCHMARK = Benchmark(
    path='lukaemon/bbh', name='boolean_expressions', input_data_model=BBHBooleanQuestion,
    # The target is stored as the text True or False.
    input_template=(
        '{"question": {{ input | tojson }}}'),
    output_data_model=BBHBooleanAnswer,
    output_template=(
        '{"answer": {{ (target == "True") | tojson }}}'),
    train_split='test', test_split='test')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
