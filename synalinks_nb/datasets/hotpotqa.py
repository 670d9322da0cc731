"""HotpotQA: multi-hop questions over Wikipedia paragraphs (Synalinks' ``datasets.hotpotqa``).

Read from a local copy of the Hugging Face dataset ``hotpot_qa`` (config ``fullwiki``),
e.g. ``<config.home>/datasets/huggingface/hotpot_qa/fullwiki/train.jsonl``, rows
``{"question", "answer", "level", "context": {"title": [...], "sentences": [[...]]}}``.
As in Synalinks, the test set is the validation split's ``"hard"`` questions, and
:func:`load_knowledge` turns the train split's context paragraphs into documents for a
knowledge base. Nothing is downloaded (see :mod:`~synalinks_nb.datasets.huggingface`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from synalinks_nb.data_models import DataModel, Field
from synalinks_nb.datasets.benchmark import Benchmark, LocalDir
from synalinks_nb.datasets.dataset import Batch
from synalinks_nb.datasets.huggingface import HuggingFaceDataset

__all__ = ["get_input_data_model", "get_knowledge_data_model", "get_output_data_model",
           "iterable_dataset", "load_data", "load_knowledge"]


class Document(DataModel):
    title: str = Field(description="The Wikipedia article's title")
    text: str = Field(description="One paragraph of the article")


class Question(DataModel):
    question: str = Field(description="A question needing several paragraphs")


class Answer(DataModel):
    answer: str = Field(description="A short answer")


_BENCHMARK = Benchmark(
    path="hotpot_qa", name="fullwiki",
    input_data_model=Question, input_template='{"question": {{ question | tojson }}}',
    output_data_model=Answer, output_template='{"answer": {{ answer | tojson }}}',
    train_split="train", test_split="validation")


class _HardQuestions(HuggingFaceDataset):
    """Only the rows whose ``level`` is ``"hard"``."""

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        return (row for row in super()._iter_rows() if row.get("level") == "hard")


class _Paragraphs(HuggingFaceDataset):
    """One row a context paragraph: its title and its sentences joined by newlines."""

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        for row in super()._iter_rows():
            context = row.get("context") or {"title": [], "sentences": []}
            for title, sentences in zip(context["title"], context["sentences"], strict=True):
                yield {"title": title, "text": "\n".join(sentences)}


def get_knowledge_data_model() -> type[Document]:
    """The data model of the knowledge documents (``title``, ``text``)."""
    return Document


def load_knowledge(local_dir: LocalDir = None) -> Any:
    """The train split's context paragraphs as an array of :class:`Document`."""
    documents = _Paragraphs("hotpot_qa", name="fullwiki", split="train", streaming=False,
                            input_data_model=Document, batch_size=None, local_dir=local_dir)
    return documents.materialize()[0]


def load_data(local_dir: LocalDir = None) -> tuple[Batch, Batch]:
    """``(x_train, y_train)`` from train, ``(x_test, y_test)`` from validation's hard rows."""
    test = _BENCHMARK.dataset("validation", _HardQuestions, streaming=False, batch_size=None,
                              local_dir=local_dir)
    return _BENCHMARK.split("train", local_dir), test.materialize()


# load_data filters its test set (written above); the benchmark makes the other three.
_FUNCTIONS = _BENCHMARK.functions(__name__)
get_input_data_model = _FUNCTIONS.get_input_data_model
get_output_data_model = _FUNCTIONS.get_output_data_model
iterable_dataset = _FUNCTIONS.iterable_dataset
