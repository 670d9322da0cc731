"""``HuggingFaceDataset`` and ``load_split`` over a LOCAL copy of a Hugging Face dataset.

Synalinks streams these from the Hub with the ``datasets`` package. synalinks_nb never
downloads a dataset (not at import, not by default, not as a fallback): it reads the
files of a copy you made, with the same arguments and the same rows. A copy of the
dataset ``path`` (config ``name``, default ``"default"``) is found, first match wins:

1. ``data_files=`` given: exactly those files (a path, a list, or ``{split: files}``).
2. ``path`` is an existing folder: the files of ``<path>/<name>/``.
3. Otherwise ``<local_dir>/<path>/<name>/``, with ``local_dir`` defaulting to
   ``<sn.config.home>/datasets/huggingface`` (so ``"cais/mmlu"`` is read from
   ``.../huggingface/cais/mmlu/all/``).

In that folder a split is ``<split>.<ext>``, ``<split>-*.<ext>`` (the Hub's own
``test-00000-of-00001.parquet``) or ``<split>/*.<ext>``, with ``ext`` one of
``parquet``, ``jsonl``, ``json``, ``csv``. Hence a dataset repository downloaded as
it is (``huggingface-cli download cais/mmlu --repo-type dataset --local-dir
<local_dir>/cais/mmlu``), or a split saved with ``datasets``
(``load_dataset(...).to_json("<folder>/test.jsonl")``), is read as is. Without a copy,
:class:`~synalinks_nb.errors.DatasetNotFoundError` says where the files were looked for
and how to make them: a dataset is never silently empty.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from synalinks_nb.datasets.dataset import Batch, Dataset
from synalinks_nb.datasets.tabular import file_rows
from synalinks_nb.errors import DatasetError, DatasetNotFoundError

__all__ = ["HuggingFaceDataset", "load_split", "local_copy_folder"]

_EXTENSIONS = ("parquet", "jsonl", "json", "csv")
_SPLIT_ORDER = ("train", "validation", "test")
# Arguments of ``datasets.load_dataset`` that only matter to a download: accepted, so
# Synalinks code runs unchanged, and ignored.
_DOWNLOAD_ONLY = frozenset({"token", "trust_remote_code", "download_mode",
                            "verification_mode", "cache_dir", "num_proc"})


def local_copy_folder(path: str, name: str | None = None,
                      local_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder a local copy of Hugging Face dataset ``path``/``name`` is read from.

    Example:
        >>> local_copy_folder("cais/mmlu", "all", local_dir="/data").as_posix()
        '/data/cais/mmlu/all'
    """
    if Path(path).is_dir():
        return Path(path) / (name or "default")
    if local_dir is None:
        from synalinks_nb.config import config

        local_dir = config.home / "datasets" / "huggingface"
    return Path(local_dir) / path / (name or "default")


def _split_files(folder: Path, split: str) -> list[str]:
    for ext in _EXTENSIONS:
        found = sorted({*glob.glob(str(folder / f"{glob.escape(split)}.{ext}")),
                        *glob.glob(str(folder / f"{glob.escape(split)}-*.{ext}")),
                        *glob.glob(str(folder / glob.escape(split) / f"*.{ext}"))})
        if found:
            return found
    return []


def _splits_in(folder: Path) -> list[str]:
    names = {p.name.split(".")[0].split("-")[0] for p in folder.glob("*")
             if p.is_dir() or p.suffix.lstrip(".") in _EXTENSIONS}
    return sorted(names, key=lambda s: (_SPLIT_ORDER.index(s) if s in _SPLIT_ORDER
                                        else len(_SPLIT_ORDER), s))


def _as_list(files: str | os.PathLike[str] | Sequence[Any]) -> list[str]:
    if isinstance(files, (str, os.PathLike)):
        return [os.fspath(files)]
    return [os.fspath(f) for f in files]


def _missing(path: str, name: str | None, split: str | None, folder: Path) -> DatasetNotFoundError:
    wanted = f"{split}.jsonl" if split else "<split>.jsonl"
    call = f"load_dataset({path!r}" + (f", {name!r}" if name else "") + \
        (f", split={split!r}" if split else "") + ")"
    return DatasetNotFoundError(
        f"Expected a local copy of the Hugging Face dataset {path!r} (config "
        f"{name or 'default'!r}, split {split or 'all'!r}) in {folder} as {wanted} "
        f"(or .parquet/.json/.csv, or the Hub's <split>-00000-of-00001.parquet). "
        f"Received: no such file. synalinks_nb never downloads; on a machine with internet "
        f"run `pip install datasets` then `python -c \"import datasets; datasets.{call}"
        f".to_json('{folder / wanted}')\"` (or `huggingface-cli download {path} "
        f"--repo-type dataset --local-dir {folder.parent}`), copy the files here, or pass "
        f"local_dir=... or data_files=...")


class HuggingFaceDataset(Dataset):
    """The rows of a Hugging Face dataset, read from a local copy (Synalinks' arguments).

    Args:
        path: the dataset's Hub id (``"cais/mmlu"``) or a folder holding its copy.
        name: the configuration (``"all"``); its folder is ``"default"`` when ``None``.
        split: the split (``"test"``); ``None`` reads every split, train first.
        revision: accepted for Synalinks compatibility; a local copy has one revision.
        streaming: ``True`` (default): ``len()`` needs ``limit``, as for streamed rows;
            ``False``: ``len()`` counts the rows.
        input_data_model, input_schema, input_template, output_data_model,
        output_schema, output_template, batch_size, limit, repeat: see
            :class:`~synalinks_nb.datasets.dataset.Dataset` (batches of 1 by default).
        local_dir: where copies live (default ``<config.home>/datasets/huggingface``).
        data_files: read these files instead (a path, a list, or ``{split: files}``).
        **kwargs: ``datasets.load_dataset``'s download options (``token``, ...) are
            accepted and ignored; anything else is an error.

    Example:
        >>> import json, pathlib, tempfile, synalinks_nb as sn
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "toy" / "main").mkdir(parents=True)
        >>> _ = (root / "toy" / "main" / "test.jsonl").write_text(json.dumps({"w": "owl"}))
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> ds = sn.datasets.HuggingFaceDataset(
        ...     "toy", name="main", split="test", local_dir=root, input_data_model=Word,
        ...     input_template='{"word": {{ w | tojson }}}')
        >>> ds.materialize()[0][0].word
        'owl'
    """

    def __init__(self, path: str, *, name: str | None = None, split: str | None = None,
                 revision: str | None = None, streaming: bool = True, batch_size: int | None = 1,
                 local_dir: str | os.PathLike[str] | None = None,
                 data_files: Any = None, **kwargs: Any) -> None:
        shape = {k: kwargs.pop(k) for k in list(kwargs) if k not in _DOWNLOAD_ONLY}
        super().__init__(batch_size=batch_size, **shape)
        self.path, self.name, self.split, self.revision = path, name, split, revision
        self.streaming = streaming
        self.files = self._resolve(local_dir, data_files)

    def _resolve(self, local_dir: str | os.PathLike[str] | None, data_files: Any) -> list[str]:
        if data_files is not None:
            if isinstance(data_files, Mapping):
                if self.split is not None and self.split not in data_files:
                    raise DatasetError(f"Expected data_files to have the split "
                                       f"{self.split!r}. Received: {sorted(data_files)}")
                chosen = [data_files[self.split]] if self.split else list(data_files.values())
                files = [f for group in chosen for f in _as_list(group)]
            else:
                files = _as_list(data_files)
            for f in files:
                if not os.path.isfile(f):
                    raise DatasetNotFoundError(f"Expected data_files to exist. Received: {f!r}")
            return files
        folder = local_copy_folder(self.path, self.name, local_dir)
        splits = [self.split] if self.split else _splits_in(folder) if folder.is_dir() else []
        files = [f for s in splits for f in _split_files(folder, s)]
        if not files:
            raise _missing(self.path, self.name, self.split, folder)
        return files

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        for path in self.files:
            yield from file_rows(path)

    def __len__(self) -> int:
        """The number of batches (streaming: needs ``limit``)."""
        if self.limit is not None:
            return self._total_batches(self.limit)
        if self.streaming:
            raise NotImplementedError("A streaming HuggingFaceDataset has an unknown length: "
                                      "pass limit=... or streaming=False to use len()")
        return self._total_batches(sum(1 for _ in self._iter_rows()))


def load_split(path: str, *, name: str | None = None, split: str, input_data_model: Any,
               input_template: str | None, output_data_model: Any = None,
               output_template: str | None = None, limit: int | None = None,
               **load_kwargs: Any) -> Batch:
    """One split of a local copy, read whole: ``(x, y)`` (or ``(x,)``) NumPy arrays.

    Arguments as :class:`HuggingFaceDataset` (``local_dir=``, ``data_files=`` included).

    Example:
        >>> import json, pathlib, tempfile, synalinks_nb as sn
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
        >>> _ = f.write_text(json.dumps({"word": "owl"}) + "\\n" + json.dumps({"word": "bee"}))
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> (x,) = sn.datasets.load_split("toy", split="train", data_files={"train": str(f)},
        ...                               input_data_model=Word, input_template=None)
        >>> [w.word for w in x]
        ['owl', 'bee']
    """
    return HuggingFaceDataset(
        path, name=name, split=split, streaming=False, input_data_model=input_data_model,
        input_template=input_template, output_data_model=output_data_model,
        output_template=output_template, batch_size=None, limit=limit,
        **load_kwargs).materialize()
