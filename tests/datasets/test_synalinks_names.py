"""Synalinks' ``synalinks.datasets`` names, reached at their paths under ``synalinks_nb``.

The names come from Synalinks' own list (``tests/compat/synalinks_api_names.txt``); the
loaders not written yet are listed here by module, so adding one means deleting it below.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import synalinks_nb as synalinks

NAMES_FILE = Path(__file__).parents[1] / "compat" / "synalinks_api_names.txt"
# Benchmark loaders of Synalinks not in synalinks_nb yet (each needs its own data models).
NOT_YET = {"arcagi"}


def dataset_names() -> list[str]:
    lines = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.startswith("synalinks.datasets.")]


def resolve(dotted: str) -> Any:
    return functools.reduce(getattr, dotted.split(".")[1:], synalinks)


def test_every_datasets_name_resolves_unless_its_loader_is_listed_as_not_yet() -> None:
    names = dataset_names()
    assert len(names) > 50  # the list was read
    missing = [n for n in names if n.split(".")[2] not in NOT_YET and not _has(n)]
    assert missing == []
    written = [m for m in NOT_YET if _has(f"synalinks.datasets.{m}")]
    assert written == []  # a loader written since: delete it from NOT_YET


def _has(dotted: str) -> bool:
    try:
        resolve(dotted)
    except AttributeError:
        return False
    return True


def test_top_level_dataset_classes_are_the_datasets_ones() -> None:
    for name in ["CSVDataset", "JSONDataset", "JSONLDataset", "ParquetDataset",
                 "ImageFolderDataset", "HuggingFaceDataset", "Dataset"]:
        assert resolve(f"synalinks.{name}") is resolve(f"synalinks.datasets.{name}")


def test_loaders_offer_synalinks_functions() -> None:
    for module in ["gsm8k", "mmlu", "arc_challenge", "boolq", "hellaswag", "lambada", "logiqa",
                   "squad", "winogrande", "drop", "humaneval", "bbh", "truthfulqa",
                   "bbq", "ifeval"]:
        loader = resolve(f"synalinks.datasets.{module}")
        assert issubclass(loader.get_input_data_model(), synalinks.DataModel)
        assert issubclass(loader.get_output_data_model(), synalinks.DataModel)
