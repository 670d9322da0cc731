"""The shipped question-answering corpus is consistent and retrievable."""

from __future__ import annotations

from pathlib import Path

import synalinks_nb as sn
from synalinks_nb.datasets import almanac


def test_every_answer_cites_a_passage_and_every_passage_is_asked_about() -> None:
    documents = almanac.load_documents()
    ids = [d.id for d in documents]
    assert len(set(ids)) == len(ids) == 32
    (x_train, y_train), (x_test, y_test) = almanac.load_data()
    sources = {y.source for y in y_train + y_test}
    assert sources == set(ids)
    questions = [x.question for x in x_train + x_test]
    assert len(set(questions)) == len(questions) == 48
    assert almanac.load_data()[0][0] == x_train  # the split is fixed


async def test_full_text_search_finds_most_supporting_passages(tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'almanac.db'}",
                          data_models=[almanac.Document])
    await kb.update(almanac.load_documents())
    (x_train, y_train), (x_test, y_test) = almanac.load_data()
    found = [await kb.fulltext_search(q.question, table_name="Document", k=3)
             for q in x_train + x_test]
    hits = sum(a.source in [r["id"] for r in rows]
               for a, rows in zip(y_train + y_test, found, strict=True))
    # 47 of 48 when written: "Why is the red planet red?" shares only "red" with its passage.
    assert hits >= 45
