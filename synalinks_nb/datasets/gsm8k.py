"""GSM8K: grade-school math word problems, numeric answers (Synalinks' ``datasets.gsm8k``).

Read from a local copy of the Hugging Face dataset ``gsm8k`` (config ``main``), e.g.
``<config.home>/datasets/huggingface/gsm8k/main/test.jsonl`` with the rows
``{"question", "answer"}`` where ``answer`` is ``"<reasoning>\\n#### <number>"``.
Nothing is downloaded: without the copy, the loaders raise
:class:`~synalinks_nb.errors.DatasetNotFoundError` saying how to make it.
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class MathQuestion(DataModel):
    question: str = Field(description="A grade-school math word problem")


class NumericalAnswerWithThinking(DataModel):
    thinking: str = Field(description="The reasoning, step by step")
    answer: float = Field(description="The final answer, a number")


_BENCHMARK = Benchmark(
    path="gsm8k", name="main", input_data_model=MathQuestion,
    input_template='{"question": {{ question | tojson }}}',
    output_data_model=NumericalAnswerWithThinking,
    # "<reasoning>\n#### 1,234": the reasoning, then the number without its commas.
    output_template=('{"thinking": {{ answer.split("####")[0].strip() | tojson }}, '
                     '"answer": {{ answer.split("####")[-1].strip().replace(",", "") | float }}}'))


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
