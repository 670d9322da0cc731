"""TruthfulQA (multiple choice, one true answer): pick the truthful answer.

Synalinks' ``datasets.truthfulqa``, read from a local copy of the Hugging Face dataset
``truthful_qa`` (config ``multiple_choice``), e.g.
``<config.home>/datasets/huggingface/truthful_qa/multiple_choice/validation.jsonl``,
rows ``{"question", "mc1_targets": {"choices": [...], "labels": [0/1, ...]}}``. The
dataset has only a validation split: ``load_data`` cuts it in two. Nothing is downloaded
(see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class TruthfulQAQuestion(DataModel):
    question: str = Field(description='A question, then candidate answers lettered from A')


class TruthfulQAAnswer(DataModel):
    answer: str = Field(description='The letter of the truthful answer')


_BENCHMARK = Benchmark(
    path='truthful_qa', name='multiple_choice', input_data_model=TruthfulQAQuestion,
    # Candidates are lettered A, B, ...; the target is the letter of the one labelled 1.
    input_template=(
        '{%- set lettered = [] -%}{%- for choice in mc1_targets.choices -%}{%- set _ = '
        'lettered.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[loop.index0] ~ ") " ~ choice) -%}{%- '
        'endfor -%}{"question": {{ ([question] + lettered) | join("\\n") | tojson }}}'),
    output_data_model=TruthfulQAAnswer,
    output_template=(
        '{"answer": {{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[mc1_targets.labels.index(1)] | tojson '
        '}}}'),
    train_split='validation', test_split='validation')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
