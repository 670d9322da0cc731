"""``ImageFolderDataset``: one example per image file of a folder (Synalinks' name).

An image travels as a ``file://`` URI, never as bytes: iterating or materializing the
dataset reads no pixels. Each row offers the templates ``file_uri``, ``image_path``
(relative to the folder), ``name`` (file name without extension), ``label`` (the parent
folder's name, ``""`` at the top: torchvision's ``ImageFolder`` convention) and
``prompt``. By default a row becomes :class:`~synalinks_nb.ChatMessages` with one user
message holding the prompt and the image.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from synalinks_nb.datasets.dataset import Dataset
from synalinks_nb.errors import DatasetNotFoundError

__all__ = ["ImageFolderDataset"]

_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")

_CHAT_TEMPLATE = (
    '{"messages": [{"role": "user", "content": ['
    '{"type": "text", "text": {{ prompt | tojson }}}, '
    '{"type": "image_url", "image_url": {"url": {{ file_uri | tojson }}}}]}]}'
)


class ImageFolderDataset(Dataset):
    """The images of a folder, sorted by path, as chat messages or any shape you give.

    Args:
        root: the folder.
        prompt: the text sent with each image by the default template.
        recursive: also read the subfolders.
        extensions: the file-name suffixes that are images (any case).
        input_data_model, input_schema, input_template: the input's shape (default:
            ``ChatMessages`` from the prompt and the image).
        output_data_model, output_schema, output_template: targets, e.g. the ``label``.
        batch_size, limit, repeat: see :class:`~synalinks_nb.datasets.dataset.Dataset`
            (batches of 8 by default; ``len()`` needs ``limit``).

    Example:
        >>> import pathlib, tempfile, synalinks_nb as sn
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "cat").mkdir()
        >>> _ = (root / "cat" / "tom.PNG").write_bytes(b"not read")
        >>> class Label(sn.DataModel):
        ...     label: str
        >>> x, y = sn.datasets.ImageFolderDataset(
        ...     root, output_data_model=Label,
        ...     output_template='{"label": {{ label | tojson }}}').materialize()
        >>> x[0].messages[0].content[1]["image_url"]["url"].endswith("cat/tom.PNG"), y[0].label
        (True, 'cat')
    """

    def __init__(self, root: str | os.PathLike[str], *, prompt: str = "Describe this image.",
                 recursive: bool = True, extensions: Sequence[str] = _EXTENSIONS,
                 input_data_model: Any = None, input_schema: Any = None,
                 input_template: str | None = None, batch_size: int | None = 8,
                 limit: int | None = None, repeat: int = 1, **targets: Any) -> None:
        if input_template is None:
            input_template = _CHAT_TEMPLATE
        if input_data_model is None and input_schema is None:
            from synalinks_nb.data_models.chat import ChatMessages

            input_data_model = ChatMessages
        super().__init__(input_data_model=input_data_model, input_schema=input_schema,
                         input_template=input_template, batch_size=batch_size, limit=limit,
                         repeat=repeat, **targets)
        if not Path(root).is_dir():
            raise DatasetNotFoundError(f"Expected root to be a folder of images. "
                                       f"Received: root={os.fspath(root)!r}")
        self.root, self.prompt, self.recursive = os.fspath(root), prompt, recursive
        self.extensions = tuple(e.lower() for e in extensions)

    def _files(self) -> Iterator[str]:
        # Sorted at every level so the order is the same on every file system.
        for folder, subfolders, names in os.walk(self.root):
            subfolders.sort()
            for name in sorted(names):
                if name.lower().endswith(self.extensions):
                    yield os.path.join(folder, name)
            if not self.recursive:
                return

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        for path in self._files():
            relative = os.path.relpath(path, self.root)
            yield {"file_uri": Path(path).resolve().as_uri(), "image_path": relative,
                   "name": Path(path).stem, "label": os.path.dirname(relative).split(os.sep)[-1],
                   "prompt": self.prompt}

    def __len__(self) -> int:
        """The number of batches; needs ``limit`` (the folder is not walked to count)."""
        if self.limit is None:
            raise NotImplementedError("ImageFolderDataset has an unknown length: pass "
                                      "limit=... to use len()")
        return self._total_batches(self.limit)
