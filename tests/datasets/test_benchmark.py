"""The benchmark loaders' functions, made by ``Benchmark.functions``, keep Synalinks' shape.

Each loader module offers ``get_input_data_model``, ``get_output_data_model``,
``load_data`` and ``iterable_dataset`` with the parameters (names and defaults) pinned
below, as its own functions: ``help(sn.datasets.gsm8k.load_data)`` must not show a
function of another module.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.datasets.benchmark import Benchmark

TWO_SPLITS = [("local_dir", None)]
ONE_SPLIT = [("validation_split", 0.2), ("local_dir", None)]
# module: (load_data's parameters, iterable_dataset's default split), as before the factory.
LOADERS: dict[str, tuple[list[tuple[str, Any]], str]] = {
    "arc_challenge": (TWO_SPLITS, "train"), "boolq": (TWO_SPLITS, "train"),
    "drop": (TWO_SPLITS, "train"), "gsm8k": (TWO_SPLITS, "train"),
    "hellaswag": (TWO_SPLITS, "train"), "hotpotqa": (TWO_SPLITS, "train"),
    "logiqa": (TWO_SPLITS, "train"), "mmlu": (TWO_SPLITS, "validation"),
    "squad": (TWO_SPLITS, "train"), "winogrande": (TWO_SPLITS, "train"),
    "bbh": (ONE_SPLIT, "test"), "humaneval": (ONE_SPLIT, "test"),
    "ifeval": (ONE_SPLIT, "train"), "lambada": (ONE_SPLIT, "test"),
    "truthfulqa": (ONE_SPLIT, "validation"),
}
FUNCTIONS = ["get_input_data_model", "get_output_data_model", "load_data", "iterable_dataset"]


def parameters(function: Callable[..., Any]) -> list[tuple[str, Any]]:
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_loader_keeps_its_signatures_and_owns_its_functions(name: str) -> None:
    loader = getattr(sn.datasets, name)
    load_parameters, default_split = LOADERS[name]
    assert parameters(loader.load_data) == load_parameters
    assert parameters(loader.iterable_dataset) == [
        ("repeat", 1), ("batch_size", 1), ("limit", None), ("split", default_split),
        ("local_dir", None)]
    for function_name in FUNCTIONS:
        function = getattr(loader, function_name)
        assert (function.__module__, function.__name__) == (loader.__name__, function_name)
        assert function.__doc__
    assert issubclass(loader.get_input_data_model(), sn.DataModel)
    assert loader.get_output_data_model() is loader._BENCHMARK.output_data_model


def test_bbq_takes_a_category_where_the_others_take_a_split() -> None:
    assert parameters(sn.datasets.bbq.load_data) == [("category", "age"), *ONE_SPLIT]
    assert parameters(sn.datasets.bbq.iterable_dataset) == [
        ("repeat", 1), ("batch_size", 1), ("limit", None), ("category", "age"),
        ("local_dir", None)]


class Word(sn.DataModel):
    word: str


def toy(train_split: str, test_split: str) -> Benchmark[Word, Word]:
    return Benchmark(path="toy", name=None, input_data_model=Word,
                     input_template='{"word": {{ w | tojson }}}', output_data_model=Word,
                     output_template='{"word": {{ w | upper | tojson }}}',
                     train_split=train_split, test_split=test_split)


def write_split(root: Path, split: str, words: list[str]) -> None:
    folder = root / "toy" / "default"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{split}.jsonl").write_text("\n".join(json.dumps({"w": w}) for w in words))


def test_one_labelled_split_is_cut_in_two_and_streamed_by_default(tmp_path: Path) -> None:
    write_split(tmp_path, "dev", ["a", "b", "c", "d"])
    _, _, load_data, iterable_dataset = toy("dev", "dev").functions("toy_loader")
    (x_train, _), (x_test, y_test) = load_data(0.25, local_dir=tmp_path)
    assert [x.word for x in x_train] == ["a", "b", "c"]
    assert ([x.word for x in x_test], [y.word for y in y_test]) == (["d"], ["D"])
    streamed = iterable_dataset(batch_size=None, local_dir=tmp_path).materialize()
    assert [x.word for x in streamed[0]] == ["a", "b", "c", "d"]


def test_two_splits_are_read_as_train_and_test(tmp_path: Path) -> None:
    write_split(tmp_path, "train", ["a"])
    write_split(tmp_path, "test", ["b", "c"])
    get_input, get_output, load_data, _ = toy("train", "test").functions("toy_loader")
    (x_train, _), (x_test, y_test) = load_data(local_dir=tmp_path)
    assert get_input() is Word and get_output() is Word
    assert ([x.word for x in x_train], [y.word for y in y_test]) == (["a"], ["B", "C"])
    assert len(x_test) == 2
