"""Datasets over a folder of documents: plain text files and Markdown files by section.

* :class:`TextDataset` yields one :class:`TextDocument` (``filepath``, ``text``) per file.
* :class:`MarkdownDataset` yields one :class:`MarkdownDocument` per file: its title and
  its heading-delimited :class:`MarkdownSection` s (:func:`parse_markdown_sections`), the
  unit to store for retrieval at heading granularity.

``filepath`` (relative to the root) and ``section_id`` (``"<filepath>#<path>"``) come
first, so a knowledge base upserts on them: loading the same folder again replaces rows.
Files are read in a sorted walk, so the order never depends on the file system. The
Markdown parser is ours: ATX (``#``) and setext (``===``/``---``) headings, headings
inside fenced code blocks ignored, a leading YAML front matter dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.datasets.dataset import Dataset
from synalinks_nb.errors import DatasetError

__all__ = ["MarkdownDataset", "MarkdownDocument", "MarkdownSection", "TextDataset",
           "TextDocument", "parse_markdown_sections"]


class TextDocument(DataModel):
    """A plain-text document: one per file."""

    filepath: str = Field(description="Path of the file, relative to the corpus root.")
    text: str = Field(description="Full file contents, decoded with the loader's encoding.")


class MarkdownSection(DataModel):
    """A heading-delimited region of a Markdown document."""

    section_id: str = Field(description=(
        "Stable identifier of the form '<filepath>#<path>'. Used as the primary key for "
        "upserts."))
    filepath: str = Field(description="Source `.md` file, relative to the corpus root.")
    path: str = Field(description=(
        "Breadcrumb of ancestor headings joined with ' / ', ending with this section's own "
        "heading. Empty string for content appearing before the first heading."))
    section_name: str = Field(description="This section's heading text (no leading '#').")
    level: int = Field(description=(
        "Heading depth, 1-6. 0 is reserved for the pre-heading preamble of a file."))
    text: str = Field(description="Body of this section, between this heading and the next.")


class MarkdownDocument(DataModel):
    """A Markdown file: its title and its sections in order."""

    filepath: str = Field(description="Path of the file, relative to the corpus root.")
    title: str = Field(description=(
        "Document title: the first h1's text if any, else the file basename without "
        "extension."))
    sections: list[MarkdownSection] = Field(description="Sections in document order.")


_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*(?:\n|$)", re.DOTALL)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def _headings(lines: list[str]) -> list[tuple[int, int, int, str]]:
    """``(first line, line after, level, text)`` of each heading, outside code fences."""
    found, fence = [], ""
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(
                    fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((number, number + 1, len(atx.group(1)), (atx.group(2) or "").strip()))
            continue
        setext = _SETEXT.match(line)
        previous = lines[number - 1].strip() if number else ""
        starts_here = not found or found[-1][1] < number
        if setext and previous and starts_here and not _ATX.match(lines[number - 1]):
            found.append((number - 1, number + 1, 1 if setext.group(1)[0] == "=" else 2,
                          previous))
    return found


def parse_markdown_sections(text: str) -> list[dict[str, Any]]:
    """A Markdown text's sections, in order: ``section_name``, ``level``, ``path``, ``text``.

    Content before the first heading is a preamble (level 0, empty name and path), kept
    only when not blank; a text without headings is one preamble.

    Example:
        >>> doc = "Intro.\\n# Guide\\nRead me.\\n## Install\\n```\\n# not a heading\\n```\\n"
        >>> [(s["level"], s["path"]) for s in parse_markdown_sections(doc)]
        [(0, ''), (1, 'Guide'), (2, 'Guide / Install')]
        >>> parse_markdown_sections(doc)[2]["text"]
        '```\\n# not a heading\\n```'
    """
    lines = _FRONT_MATTER.sub("", text, count=1).splitlines()
    headings = _headings(lines)
    sections = []
    preamble = "\n".join(lines[: headings[0][0] if headings else len(lines)]).strip("\n")
    if preamble.strip():
        sections.append({"section_name": "", "level": 0, "path": "", "text": preamble})
    stack: list[tuple[int, str]] = []
    for index, (_, body_start, level, name) in enumerate(headings):
        body_end = headings[index + 1][0] if index + 1 < len(headings) else len(lines)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, name))
        sections.append({"section_name": name, "level": level,
                         "path": " / ".join(n for _, n in stack),
                         "text": "\n".join(lines[body_start:body_end]).strip("\n")})
    return sections


class _FolderDataset(Dataset):
    """The files of a folder whose names end with a suffix, in a sorted walk."""

    default_model: Any = None
    default_suffix = ""

    def __init__(self, root: str | os.PathLike[str], *, encoding: str = "utf-8",
                 recursive: bool = True, glob_pattern: str | None = None,
                 input_data_model: Any = None, input_schema: Any = None,
                 input_template: str | None = None, batch_size: int | None = 8,
                 limit: int | None = None, repeat: int = 1) -> None:
        if input_data_model is None and input_schema is None:
            input_data_model = self.default_model
        super().__init__(input_data_model=input_data_model, input_schema=input_schema,
                         input_template=input_template, batch_size=batch_size, limit=limit,
                         repeat=repeat)
        if not Path(root).is_dir():
            raise DatasetError(f"Expected root to be a folder. Received: root={str(root)!r}")
        self.root, self.encoding, self.recursive = str(root), encoding, recursive
        self.glob_pattern = (glob_pattern or self.default_suffix).lower()

    def _files(self) -> Iterator[str]:
        for folder, subfolders, names in os.walk(self.root):
            subfolders.sort()
            for name in sorted(names):
                if name.lower().endswith(self.glob_pattern):
                    yield os.path.join(folder, name)
            if not self.recursive:
                return

    def _read(self) -> Iterator[tuple[str, str]]:
        for path in self._files():
            yield os.path.relpath(path, self.root), Path(path).read_text(encoding=self.encoding)


class TextDataset(_FolderDataset):
    """One :class:`TextDocument` per ``.txt`` file of a folder (Synalinks' arguments).

    Args:
        root: the folder.
        encoding: the files' encoding.
        recursive: also read the subfolders.
        glob_pattern: the file-name suffix (default ``".txt"``, any case).
        input_data_model, input_schema, input_template: to shape rows differently
            (a row is ``{"filepath", "text"}``).
        batch_size, limit, repeat: see :class:`Dataset` (batches of 8 by default).

    Example:
        >>> import pathlib, tempfile, synalinks_nb as sn
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "b.txt").write_text("Bees.")
        >>> _ = (root / "a.txt").write_text("Ants.")
        >>> [(d.filepath, d.text) for d in sn.TextDataset(root=root).materialize()[0]]
        [('a.txt', 'Ants.'), ('b.txt', 'Bees.')]
    """

    default_model = TextDocument
    default_suffix = ".txt"

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        for filepath, text in self._read():
            yield {"filepath": filepath, "text": text}


class MarkdownDataset(_FolderDataset):
    """One :class:`MarkdownDocument` per ``.md`` file of a folder (Synalinks' arguments).

    Arguments as :class:`TextDataset` (suffix ``".md"``). The title is the first level-1
    heading, else the file name without its extension.

    Example:
        >>> import pathlib, tempfile, synalinks_nb as sn
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "guide.md").write_text("# Guide\\nHello.\\n## Install\\npip.\\n")
        >>> (doc,) = sn.MarkdownDataset(root=root).materialize()[0]
        >>> doc.title, [s.section_id for s in doc.sections]
        ('Guide', ['guide.md#Guide', 'guide.md#Guide / Install'])
    """

    default_model = MarkdownDocument
    default_suffix = ".md"

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        for filepath, text in self._read():
            sections = parse_markdown_sections(text)
            title = next((s["section_name"] for s in sections if s["level"] == 1),
                         Path(filepath).stem)
            yield {"filepath": filepath, "title": title, "sections": [
                {"section_id": f"{filepath}#{s['path']}", "filepath": filepath, **s}
                for s in sections]}
