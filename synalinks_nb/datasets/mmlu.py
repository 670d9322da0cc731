"""MMLU: four-choice questions over 57 subjects (Synalinks' ``datasets.mmlu``).

Read from a local copy of the Hugging Face dataset ``cais/mmlu`` (config ``all``), e.g.
``<config.home>/datasets/huggingface/cais/mmlu/all/test-00000-of-00001.parquet`` or
``.../test.jsonl``, rows ``{"question", "subject", "choices": [4 strings], "answer": 0-3}``.
As in Synalinks, ``validation`` is the train split and ``test`` the test split;
``iterable_dataset(split="auxiliary_train")`` streams the auxiliary training questions
if your copy has them. Nothing is downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from typing import Literal

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class MMLUQuestion(DataModel):
    question: str = Field(description="The question")
    choices: list[str] = Field(description="The four options, lettered A to D in this order")
    subject: str = Field(description="The subject, such as anatomy or abstract_algebra")


class MMLUAnswer(DataModel):
    answer: Literal["A", "B", "C", "D"] = Field(description="The letter of the right option")


_BENCHMARK = Benchmark(
    path="cais/mmlu", name="all", input_data_model=MMLUQuestion,
    input_template=('{"question": {{ question | tojson }}, "choices": {{ choices | tojson }}, '
                    '"subject": {{ subject | tojson }}}'),
    output_data_model=MMLUAnswer,
    # The Hub stores the answer as its index, 0 to 3.
    output_template='{"answer": {{ ["A", "B", "C", "D"][answer | int] | tojson }}}',
    train_split="validation")


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
