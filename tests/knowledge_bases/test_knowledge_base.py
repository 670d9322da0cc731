"""KnowledgeBase on a real DuckDB file: upsert, reopen, BM25, vectors, hybrid, SQL guard."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import KnowledgeBaseError, ReadOnlyQueryError


class Doc(sn.DataModel):
    id: str
    title: str
    text: str
    tags: list[str] = sn.Field(default_factory=list)


DOCS = [
    Doc(id="d1", title="Tides", text="Tides are caused by the gravity of the moon and sun.",
        tags=["ocean"]),
    Doc(id="d2", title="Volcanoes", text="Volcanoes erupt molten rock called lava.",
        tags=["geology"]),
    Doc(id="d3", title="Bees", text="Honey bees make honey from flower nectar; bees dance.",
        tags=["insects"]),
    Doc(id="d4", title="Lava lamps", text="A lava lamp heats wax in a glass bottle."),
]


def kb_at(path: Path, embedding: str | None = "hashing/128") -> sn.KnowledgeBase:
    return sn.KnowledgeBase(uri=f"duckdb://{path}", data_models=[Doc], embedding_model=embedding)


async def test_records_survive_closing_and_reopening_the_file(tmp_path: Path) -> None:
    kb = kb_at(tmp_path / "kb.db")
    assert await kb.update(DOCS) == ["d1", "d2", "d3", "d4"]
    kb.close()
    reopened = kb_at(tmp_path / "kb.db")
    row = await reopened.get("d2", table_name="Doc")
    assert row.get_json() == {"id": "d2", "title": "Volcanoes",
                              "text": "Volcanoes erupt molten rock called lava.",
                              "tags": ["geology"]}
    assert row.get_schema()["title"] == "Doc"  # a JsonDataModel of the table, as in Synalinks
    assert await reopened.get(["d1", "nope"], table_name="Doc") == [
        await reopened.get("d1", table_name="Doc"), None]
    assert [r["id"] for r in await reopened.getall(table_name="Doc", limit=2, offset=1)] == [
        "d2", "d3"]
    hits = await reopened.fulltext_search("moon gravity", table_name="Doc")
    assert [h["id"] for h in hits] == ["d1"]


async def test_bm25_ranks_by_term_frequency_and_rarity_and_follows_updates(
    tmp_path: Path,
) -> None:
    kb = kb_at(tmp_path / "kb.db", embedding=None)
    await kb.update(DOCS)
    hits = await kb.fulltext_search("lava bees", table_name="Doc")
    # "bees" appears twice in d3 (plural folded), "lava" once in d2 and twice in d4.
    assert [h["id"] for h in hits][:1] == ["d3"]
    assert {h["id"] for h in hits} == {"d2", "d3", "d4"}
    assert all(a["score"] >= b["score"] for a, b in itertools.pairwise(hits))
    assert await kb.fulltext_search("lava bees", table_name="Doc", conjunctive=True) == []
    await kb.update(Doc(id="d3", title="Ants", text="Ants carry leaves."))
    assert [h["id"] for h in await kb.fulltext_search("bee", table_name="Doc")] == []
    assert [h["id"] for h in await kb.fulltext_search("the of and", table_name="Doc")] == []
    assert await kb.delete(["d2", "missing"], table_name="Doc") == 1
    assert [h["id"] for h in await kb.fulltext_search("lava", table_name="Doc")] == ["d4"]


async def test_similarity_search_ranks_by_cosine_and_accepts_vectors(tmp_path: Path) -> None:
    kb = kb_at(tmp_path / "kb.db")
    await kb.update(DOCS)
    hits = await kb.similarity_search("honey bees and flowers", table_name="Doc", k=2)
    assert hits[0]["id"] == "d3"
    assert hits[0]["score"] > hits[1]["score"]
    assert "embedding" not in hits[0]
    vector = (await kb.embedding_model(["lava lamp wax"]))["embeddings"][0]  # type: ignore[union-attr]
    hits = await kb.similarity_search(table_name="Doc", vector_or_vectors=vector, k=1)
    assert hits[0]["id"] == "d4"
    assert await kb.similarity_search("x", table_name="Doc", threshold=1.01) == []
    with pytest.raises(KnowledgeBaseError, match="dimension 128"):
        await kb.similarity_search(table_name="Doc", vector_or_vectors=[0.1, 0.2])


async def test_hybrid_fuses_both_rankings_and_falls_back_to_bm25(tmp_path: Path) -> None:
    kb = kb_at(tmp_path / "kb.db")
    await kb.update(DOCS)
    hits = await kb.hybrid_fts_search("lava", table_name="Doc", k=3)
    assert {hits[0]["id"], hits[1]["id"]} == {"d2", "d4"}
    assert hits[0]["score"] <= 2 / 61  # RRF: at most first in both lists
    plain = kb_at(tmp_path / "plain.db", embedding=None)
    await plain.update(DOCS)
    assert [h["id"] for h in await plain.hybrid_search("moon", table_name="Doc")] == ["d1"]
    with pytest.raises(KnowledgeBaseError, match="embedding_model"):
        await plain.similarity_search("moon", table_name="Doc")


async def test_a_record_can_bring_its_own_embedding(tmp_path: Path) -> None:
    class Point(sn.DataModel):
        name: str
        embedding: list[float]

    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'p.db'}", data_models=[Point])
    await kb.update([Point(name="x", embedding=[1.0, 0.0]), Point(name="y", embedding=[0.0, 1.0])])
    hits = await kb.similarity_search(table_name="Point", vector_or_vectors=[0.9, 0.1])
    assert [h["name"] for h in hits] == ["x", "y"]


async def test_read_only_sql_refuses_writes_and_files(tmp_path: Path) -> None:
    kb = kb_at(tmp_path / "kb.db")
    await kb.update(DOCS)
    rows = await kb.sql('SELECT count(*) AS n FROM "Doc"')
    assert rows == [{"n": 4}]
    with pytest.raises(ReadOnlyQueryError, match="DROP"):
        await kb.sql('SELECT 1; DROP TABLE "Doc"')
    outside = tmp_path / "secret.csv"
    outside.write_text("a\n1\n")
    with pytest.raises(Exception, match=r"(?i)disabled|permission"):
        await kb.sql(f"SELECT * FROM read_csv('{outside}')")
    assert await kb.sql('SELECT id FROM "Doc" WHERE id = $i', params={"i": "d1"},
                        output_format="csv") == "id\nd1\n"


async def test_regex_search_and_loud_errors(tmp_path: Path) -> None:
    kb = kb_at(tmp_path / "kb.db", embedding=None)
    await kb.update(DOCS)
    assert [r["id"] for r in await kb.regex_search(r"^Lava", table_name="Doc")] == ["d4"]
    assert [r["id"] for r in await kb.regex_search(
        "LAVA", table_name="Doc", case_sensitive=False, fields=["text"])] == ["d2", "d4"]
    with pytest.raises(KnowledgeBaseError, match="table_name='Nope'"):
        await kb.fulltext_search("x", table_name="Nope")
    class MaybeKey(sn.DataModel):
        key: str | None = None
        text: str

    with pytest.raises(KnowledgeBaseError, match="primary key 'key'"):
        await kb.update(MaybeKey(text="x"))
    with pytest.raises(KnowledgeBaseError, match="Expected data models"):
        await kb.update({"id": "d9", "title": "t", "text": "x"})
    with pytest.raises(KnowledgeBaseError, match="duckdb://<path>"):
        sn.KnowledgeBase(uri="postgres://host/db")
    with pytest.raises(KnowledgeBaseError, match="graph_uri='ladybug://"):
        await kb.cypher("MATCH (n) RETURN n")  # opened with uri= alone: no graph
    assert await kb.drop_table("Doc") is True
    assert await kb.fulltext_search("lava", table_name="Doc") == []


async def test_hybrid_top_row_is_the_one_both_searches_rank_well(tmp_path: Path) -> None:
    class Point(sn.DataModel):
        name: str
        text: str
        embedding: list[float]

    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'p.db'}", data_models=[Point])
    await kb.update([
        # first by words, third by vector
        Point(name="words", text="volcano volcano", embedding=[0.0, 0.2, 1.0]),
        # first by vector, absent from the words
        Point(name="vector", text="bridge", embedding=[1.0, 0.0, 0.0]),
        Point(name="other", text="lamp", embedding=[0.5, 1.0, 0.0]),
    ])
    hits = await kb.hybrid_fts_search(keywords="volcano", vector_or_vectors=[1.0, 0.1, 0.0],
                                      table_name="Point", k=1)
    # With k candidates per side this was a tie (1/61 each) broken by name.
    assert [h["name"] for h in hits] == ["words"]
