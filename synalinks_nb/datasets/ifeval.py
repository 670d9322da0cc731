"""IFEval: prompts with verifiable instructions (Synalinks' ``datasets.ifeval``).

Read from a local copy of the Hugging Face dataset ``google/IFEval`` (no config: folder
``default``), e.g. ``<config.home>/datasets/huggingface/google/IFEval/default/train.jsonl``,
rows ``{"key", "prompt", "instruction_id_list", "kwargs"}``. There is no reference
response: as in Synalinks the target repeats the prompt, for rewards that check the
instructions against it. The dataset has only a train split: ``load_data`` cuts it in
two. Nothing is downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class IFEvalQuestion(DataModel):
    prompt: str = Field(description="The instructions to follow")


class IFEvalAnswer(DataModel):
    response: str = Field(description="The response (the reference holds the prompt itself)")


_BENCHMARK = Benchmark(
    path="google/IFEval", name=None, input_data_model=IFEvalQuestion,
    input_template='{"prompt": {{ prompt | tojson }}}',
    output_data_model=IFEvalAnswer, output_template='{"response": {{ prompt | tojson }}}',
    train_split="train", test_split="train")


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
