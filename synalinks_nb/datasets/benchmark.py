"""What every benchmark loader shares (``gsm8k``, ``mmlu``, ``arc_challenge``, ...).

A loader module (Synalinks' ``synalinks.datasets.<name>``) declares its data models,
the Jinja2 templates turning the Hugging Face rows into them, and which splits are
train and test, as one :class:`Benchmark`; :meth:`Benchmark.functions` makes the four
functions Synalinks' loader modules offer (``get_input_data_model``,
``get_output_data_model``, ``load_data``, ``iterable_dataset``), so that a loader module
is its data models, its templates and one line. A dataset with one labelled split
(``train_split == test_split``) gets ``load_data(validation_split=0.2, ...)``, which
cuts it in two. Rows come from a local copy of the Hugging Face dataset
(:mod:`~synalinks_nb.datasets.huggingface`): nothing is downloaded, and a missing copy
raises :class:`~synalinks_nb.errors.DatasetNotFoundError` saying how to make one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from synalinks_nb.data_models import DataModel
from synalinks_nb.datasets.dataset import Batch, split_train_test
from synalinks_nb.datasets.huggingface import HuggingFaceDataset

__all__ = ["Benchmark", "LoaderFunctions"]

LocalDir = str | os.PathLike[str] | None
InputT = TypeVar("InputT", bound=DataModel)
OutputT = TypeVar("OutputT", bound=DataModel)
F = TypeVar("F", bound=Callable[..., Any])


class LoaderFunctions(NamedTuple, Generic[InputT, OutputT]):
    """The four functions of a Synalinks benchmark loader module, made by a Benchmark."""

    get_input_data_model: Callable[[], type[InputT]]
    get_output_data_model: Callable[[], type[OutputT]]
    load_data: Callable[..., tuple[Batch, Batch]]
    iterable_dataset: Callable[..., HuggingFaceDataset]


@dataclass(frozen=True)
class Benchmark(Generic[InputT, OutputT]):
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

        A loader module's functions (``module`` names them in ``help()``):

        >>> get_input, get_output, load_data, iterable_dataset = toy.functions(module="toy")
        >>> get_input() is Word, load_data.__module__
        (True, 'toy')
        >>> [x.word for x in iterable_dataset(split="test", local_dir=root)
        ...  .materialize()[0]]
        ['test']
    """

    path: str
    name: str | None
    input_data_model: type[InputT]
    input_template: str
    output_data_model: type[OutputT]
    output_template: str
    train_split: str = "train"
    test_split: str = "test"

    def dataset(self, split: str, kind: type[HuggingFaceDataset] = HuggingFaceDataset,
                **kwargs: Any) -> HuggingFaceDataset:
        """A ``kind`` (a HuggingFaceDataset, or a subclass choosing rows) over one split,
        with this benchmark's data models and templates; ``kwargs`` go to ``kind``."""
        return kind(self.path, name=self.name, split=split,
                    input_data_model=self.input_data_model, input_template=self.input_template,
                    output_data_model=self.output_data_model,
                    output_template=self.output_template, **kwargs)

    def split(self, split: str, local_dir: LocalDir = None, limit: int | None = None) -> Batch:
        """One split, read whole: ``(x, y)``."""
        return self.dataset(split, streaming=False, batch_size=None, limit=limit,
                            local_dir=local_dir).materialize()

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
        return self.dataset(split or self.train_split, streaming=True, batch_size=batch_size,
                            limit=limit, repeat=repeat, local_dir=local_dir)

    def functions(self, module: str) -> LoaderFunctions[InputT, OutputT]:
        """The functions of the loader module ``module``, with Synalinks' signatures.

        ``get_input_data_model()``, ``get_output_data_model()``, ``load_data(...)`` and
        ``iterable_dataset(..., split=<train_split>)``, each taking ``local_dir`` too;
        ``help()`` shows them as ``module``'s own.
        """

        def get_input_data_model() -> type[InputT]:
            return self.input_data_model

        def get_output_data_model() -> type[OutputT]:
            return self.output_data_model

        def iterable_dataset(repeat: int = 1, batch_size: int | None = 1,
                             limit: int | None = None, split: str = self.train_split,
                             local_dir: LocalDir = None) -> HuggingFaceDataset:
            return self.iterable_dataset(repeat, batch_size, limit, split, local_dir)

        streamed = (f"A streaming dataset over one split (``{self.train_split}`` by default; "
                    "``repeat == batch_size`` gives GRPO-style groups).")
        return LoaderFunctions(
            _exported(get_input_data_model, module, _about("input", self.input_data_model)),
            _exported(get_output_data_model, module, _about("output", self.output_data_model)),
            self._load_data_function(module),
            _exported(iterable_dataset, module, streamed))

    def _load_data_function(self, module: str) -> Callable[..., tuple[Batch, Batch]]:
        if self.train_split != self.test_split:
            def load_two_splits(local_dir: LocalDir = None) -> tuple[Batch, Batch]:
                return self.load_data(local_dir)

            return _exported(load_two_splits, module, (
                f"``(x_train, y_train), (x_test, y_test)`` from the ``{self.train_split}`` "
                f"and ``{self.test_split}`` splits."), name="load_data")

        def cut_one_split(validation_split: float = 0.2, local_dir: LocalDir = None
                          ) -> tuple[Batch, Batch]:
            return self.split_in_two(validation_split, local_dir)

        return _exported(cut_one_split, module, (
            f"The ``{self.test_split}`` split cut in two: ``(x_train, y_train), (x_test, "
            "y_test)``, its last ``validation_split`` for test."), name="load_data")


def _exported(function: F, module: str, doc: str, name: str | None = None) -> F:
    """``function`` shown as ``module``'s own ``name`` (by ``help()``, ``inspect``, docs)."""
    function.__module__ = module
    function.__name__ = function.__qualname__ = name or function.__name__
    function.__doc__ = doc
    return function


def _about(which: str, data_model: type[DataModel]) -> str:
    fields = ", ".join(f"``{name}``" for name in data_model.model_fields)
    return f"The {which} data model, :class:`{data_model.__name__}` ({fields})."
