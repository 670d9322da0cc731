"""HellaSwag: pick the most plausible ending among four.

Synalinks' ``datasets.hellaswag``, read from a local copy of the Hugging Face dataset
``Rowan/hellaswag`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/Rowan/hellaswag/default/train.jsonl``, rows
``{"ctx", "endings": [4 strings], "label": "0"-"3"}``. The test split has no labels, so
validation is the test split. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from typing import Literal

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class HellaSwagQuestion(DataModel):
    question: str = Field(description='A context, then four endings lettered A to D')


class HellaSwagAnswer(DataModel):
    answer: Literal["A", "B", "C", "D"] = Field(
        description='The letter of the most plausible ending')


_BENCHMARK = Benchmark(
    path='Rowan/hellaswag', name=None, input_data_model=HellaSwagQuestion,
    # The endings are lettered A to D under the context; the label is their index.
    input_template=(
        '{%- set lettered = [] -%}{%- for ending in endings -%}{%- set _ = '
        'lettered.append("ABCD"[loop.index0] ~ ") " ~ ending) -%}{%- endfor '
        '-%}{"question": {{ ([ctx] + lettered) | join("\\n") | tojson }}}'),
    output_data_model=HellaSwagAnswer,
    output_template=(
        '{"answer": {{ "ABCD"[label | int] | tojson }}}'),
    train_split='train', test_split='validation')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
