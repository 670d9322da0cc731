"""HumanEval: write a Python function body from its signature and docstring.

Synalinks' ``datasets.humaneval``, read from a local copy of the Hugging Face dataset
``openai/openai_humaneval`` (no config: folder ``default``), e.g.
``<config.home>/datasets/huggingface/openai/openai_humaneval/default/test.jsonl``, rows
``{"prompt", "canonical_solution", ...}``. The dataset has only a test split:
``load_data`` cuts it in two. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class HumanEvalQuestion(DataModel):
    prompt: str = Field(description="A Python function's signature and docstring")


class HumanEvalAnswer(DataModel):
    completion: str = Field(description="The function's body, indented")


_BENCHMARK = Benchmark(
    path='openai/openai_humaneval', name=None, input_data_model=HumanEvalQuestion,
    # The reference solution is the target, as stored.
    input_template=(
        '{"prompt": {{ prompt | tojson }}}'),
    output_data_model=HumanEvalAnswer,
    output_template=(
        '{"completion": {{ canonical_solution | tojson }}}'),
    train_split='test', test_split='test')


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
