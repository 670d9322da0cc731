"""Dataset, TextDataset and MarkdownDataset on real folders; a knowledge base fed from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import DatasetError


def corpus(root: Path) -> Path:
    files = {
        "b.txt": "Bees make honey.",
        "a.TXT": "Ants carry leaves.",
        "deep/c.txt": "Crows use tools.",
        "skip.md": "---\ntitle: front matter\n---\nPreamble words.\n\nGuide\n=====\nIntro.\n"
                   "## Install\n```bash\n# pip install, not a heading\n```\n"
                   "Setup\n-----\nSteps.\n# Other ##\nEnd.\n",
        "notitle.md": "## Only h2\nbody\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def flat(dataset: sn.Dataset) -> list[Any]:
    return [x for batch in dataset for x in batch[0]]


def test_text_dataset_walks_in_order_with_batches_limits_and_repeats(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    docs = flat(sn.TextDataset(root=root))
    assert [d.filepath for d in docs] == ["a.TXT", "b.txt", "deep/c.txt"]
    assert docs[2].text == "Crows use tools."
    assert [d.filepath for d in flat(sn.TextDataset(root=root, recursive=False))] == [
        "a.TXT", "b.txt"]
    shapes = [len(batch[0]) for batch in sn.TextDataset(root=root, batch_size=2, limit=2,
                                                          repeat=2)]
    assert shapes == [2, 2]
    with pytest.raises(DatasetError, match="folder"):
        sn.TextDataset(root=tmp_path / "missing")


def test_markdown_sections_follow_headings_not_code_or_front_matter(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    docs = {d.filepath: d for d in flat(sn.MarkdownDataset(root=root))}
    guide = docs["skip.md"]
    assert guide.title == "Guide"
    assert [(s.level, s.path) for s in guide.sections] == [
        (0, ""), (1, "Guide"), (2, "Guide / Install"), (2, "Guide / Setup"), (1, "Other")]
    assert guide.sections[0].text == "Preamble words."
    assert "# pip install" in guide.sections[2].text
    assert guide.sections[3].section_id == "skip.md#Guide / Setup"
    assert docs["notitle.md"].title == "notitle"  # no h1: the file name


def test_templates_shape_rows_and_give_targets(tmp_path: Path) -> None:
    class Question(sn.DataModel):
        question: str

    class Answer(sn.DataModel):
        answer: str

    class Pairs(sn.Dataset):
        def _iter_rows(self) -> Any:
            yield from ({"q": q, "a": a} for q, a in [("2+2?", "4"), ("3+3?", "6")])

    x, y = Pairs(input_data_model=Question, input_template='{"question": {{ q | tojson }}}',
                 output_data_model=Answer, output_template='{"answer": {{ a | tojson }}}'
                 ).materialize()
    assert [q.question for q in x] == ["2+2?", "3+3?"] and y[1].answer == "6"
    (x_train, y_train), (x_test, y_test) = sn.datasets.split_train_test(x, y, 0.5)
    assert len(x_train) == len(x_test) == 1
    assert (y_train[0].answer, y_test[0].answer) == ("4", "6")


async def test_a_knowledge_base_takes_a_dataset_and_upserts_on_the_path(tmp_path: Path) -> None:
    root = corpus(tmp_path / "docs")
    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'kb.db'}",
                          data_models=[sn.TextDocument, sn.MarkdownSection])
    keys = await kb.update(sn.TextDataset(root=root, batch_size=2))
    assert keys == ["a.TXT", "b.txt", "deep/c.txt"]
    (root / "b.txt").write_text("Bees dance.", encoding="utf-8")
    await kb.update(sn.TextDataset(root=root))
    assert len(await kb.getall(table_name="TextDocument")) == 3
    assert (await kb.get("b.txt", table_name="TextDocument"))["text"] == "Bees dance."
    sections = [s for d in flat(sn.MarkdownDataset(root=root)) for s in d.sections]
    await kb.update(sections)
    hits = await kb.fulltext_search("install", table_name="MarkdownSection", k=1)
    assert hits[0]["section_id"] == "skip.md#Guide / Install"
