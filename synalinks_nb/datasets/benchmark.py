"""What every benchmark loader shares (``gsm8k``, ``mmlu``, ``arc_challenge``, ...).

A loader module (Synalinks' ``synalinks.datasets.<name>``) declares its data models,
the Jinja2 templates turning the Hugging Face rows into them, and which splits are
train and test, as one :class:`Benchmark`; its ``load_data()`` and
``iterable_dataset()`` call it. Rows come from a local copy of the Hugging Face dataset
(:mod:`~synalinks_nb.datasets.huggingface`): nothing is downloaded, and a missing copy
raises :class:`~synalinks_nb.errors.DatasetNotFoundError` saying how to make one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from synalinks_nb.datasets.dataset import Batch, split_train_test
from synalinks_nb.datasets.huggingface import HuggingFaceDataset, load_split

__all__ = ["Benchmark"]

LocalDir = str | os.PathLike[str] | None


@dataclass(frozen=True)
class Benchmark:
    """One Hugging Face dataset, its data models and templates, its train/test splits.

    Example:
        >>> import json, pathlib, tempfile, synalinks_nb as sn
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> toy = Benchmark(path="toy", name=None, input_data_model=Word,
        ...                 input_template='{"word": {{ w | tojson }}}',
        ...                 output_data_model=Word,
        ...                 output_template='{"word": {{ w | upper | tojson }}}')
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "toy" / "default").mkdir(parents=True)
        >>> for split in ("train", "test"):
        ...     f = root / "toy" / "default" / f"{split}.jsonl"
        ...     _ = f.write_text(json.dumps({"w": split}))
        >>> (x_train, y_train), (x_test, y_test) = toy.load_data(local_dir=root)
        >>> x_train[0].word, y_test[0].word
        ('train', 'TEST')
    """

    path: str
    name: str | None
    input_data_model: Any
    input_template: str
    output_data_model: Any
    output_template: str
    train_split: str = "train"
    test_split: str = "test"

    def split(self, split: str, local_dir: LocalDir = None, limit: int | None = None) -> Batch:
        """One split, read whole: ``(x, y)``."""
        return load_split(self.path, name=self.name, split=split,
                          input_data_model=self.input_data_model,
                          input_template=self.input_template,
                          output_data_model=self.output_data_model,
                          output_template=self.output_template, limit=limit,
                          local_dir=local_dir)

    def load_data(self, local_dir: LocalDir = None) -> tuple[Batch, Batch]:
        """``(x_train, y_train), (x_test, y_test)``."""
        return self.split(self.train_split, local_dir), self.split(self.test_split, local_dir)

    def split_in_two(self, validation_split: float = 0.2, local_dir: LocalDir = None
                     ) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        """For a dataset with one labelled split (``test_split``): its head, then its tail."""
        x, y = self.split(self.test_split, local_dir)
        return split_train_test(x, y, validation_split=validation_split)

    def iterable_dataset(self, repeat: int = 1, batch_size: int | None = 1,
                         limit: int | None = None, split: str | None = None,
                         local_dir: LocalDir = None) -> HuggingFaceDataset:
        """A streaming dataset over one split (``train_split`` by default)."""
        return HuggingFaceDataset(
            self.path, name=self.name, split=split or self.train_split, streaming=True,
            input_data_model=self.input_data_model, input_template=self.input_template,
            output_data_model=self.output_data_model, output_template=self.output_template,
            batch_size=batch_size, limit=limit, repeat=repeat, local_dir=local_dir)
