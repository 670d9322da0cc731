"""ImageFolderDataset on a folder of image files written in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import DatasetNotFoundError


class Label(sn.DataModel):
    label: str


def folder(root: Path) -> Path:
    for name in ["dog/b.jpg", "cat/z.PNG", "cat/a.webp", "top.gif", "notes.txt", "dog/x/y.bmp"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"\x89 not really an image")
    return root


def test_images_are_sorted_labelled_by_folder_and_sent_as_uris(tmp_path: Path) -> None:
    root = folder(tmp_path)
    dataset = sn.ImageFolderDataset(root, prompt="What animal?", output_data_model=Label,
                                    output_template='{"label": {{ label | tojson }}}')
    x, y = dataset.materialize()
    assert [m.label for m in y] == ["", "cat", "cat", "dog", "x"]  # a folder's files first
    content = x[1].messages[0].content
    assert content[0]["text"] == "What animal?"
    assert content[1]["image_url"]["url"] == (root / "cat" / "a.webp").resolve().as_uri()


def test_custom_template_extensions_and_no_recursion(tmp_path: Path) -> None:
    class Name(sn.DataModel):
        name: str
        path: str

    dataset = sn.ImageFolderDataset(
        folder(tmp_path), recursive=False, extensions=[".GIF"], input_data_model=Name,
        input_template='{"name": {{ name | tojson }}, "path": {{ image_path | tojson }}}')
    assert [(n.name, n.path) for n in dataset.materialize()[0]] == [("top", "top.gif")]


def test_batches_len_and_a_missing_folder(tmp_path: Path) -> None:
    dataset = sn.ImageFolderDataset(folder(tmp_path), batch_size=2)
    assert [len(batch[0]) for batch in dataset()] == [2, 2, 1]
    with pytest.raises(NotImplementedError, match="limit="):
        len(dataset)
    assert len(sn.ImageFolderDataset(tmp_path, batch_size=2, limit=3)) == 2
    with pytest.raises(DatasetNotFoundError, match=r"folder of images.*nope"):
        sn.ImageFolderDataset(tmp_path / "nope")
