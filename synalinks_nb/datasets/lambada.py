"""LAMBADA: guess the last word of a passage.

Synalinks' ``datasets.lambada``, read from a local copy of the Hugging Face dataset
``EleutherAI/lambada_openai`` (config ``en``), e.g.
``<config.home>/datasets/huggingface/EleutherAI/lambada_openai/en/test.jsonl``, rows
``{"text"}``. The dataset has only a test split: ``load_data`` cuts it in two with
:func:`~synalinks_nb.datasets.dataset.split_train_test`. Nothing is downloaded (see
:mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark

__all__ = ["get_input_data_model", "get_output_data_model", "iterable_dataset", "load_data"]


class LAMBADAQuestion(DataModel):
    question: str = Field(description="A passage whose last word is replaced by `___`")


class LAMBADAAnswer(DataModel):
    answer: str = Field(description="The passage's missing last word")


_BENCHMARK = Benchmark(
    path="EleutherAI/lambada_openai", name="en", input_data_model=LAMBADAQuestion,
    # Words are split on whitespace; the last one becomes the blank and the target.
    input_template='{"question": {{ (text.split()[:-1] + ["___"]) | join(" ") | tojson }}}',
    output_data_model=LAMBADAAnswer,
    output_template='{"answer": {{ text.split() | last | tojson }}}',
    train_split="test", test_split="test")


(get_input_data_model, get_output_data_model, load_data,
 iterable_dataset) = _BENCHMARK.functions(__name__)
