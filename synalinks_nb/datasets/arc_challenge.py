"""ARC-Challenge: grade-school science questions with 3 to 5 lettered choices.

Synalinks' ``datasets.arc_challenge``, read from a local copy of the Hugging Face dataset
``allenai/ai2_arc`` (config ``ARC-Challenge``), e.g.
``<config.home>/datasets/huggingface/allenai/ai2_arc/ARC-Challenge/test-00000-of-00001.parquet``,
rows ``{"question", "choices": {"text": [...], "label": [...]}, "answerKey"}``.
Nothing is downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class ARCQuestion(DataModel):
    question: str = Field(description="The question, then its options, one a line")


class ARCAnswer(DataModel):
    answer: str = Field(description="The key of the right option (A-E or 1-5)")


_BENCHMARK = Benchmark(
    path="allenai/ai2_arc", name="ARC-Challenge", input_data_model=ARCQuestion,
    # The number of choices varies, so they are written into the question, one a line.
    input_template=(
        "{%- set lines = [] -%}"
        "{%- for label in choices.label -%}"
        '{%- set _ = lines.append(label ~ ") " ~ choices.text[loop.index0]) -%}'
        "{%- endfor -%}"
        '{"question": {{ (question ~ "\\n" ~ lines | join("\\n")) | tojson }}}'),
    output_data_model=ARCAnswer, output_template='{"answer": {{ answerKey | tojson }}}')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
