"""BM25 over a graph's entities and relations (LadybugDB folder), scored like the tables."""

from __future__ import annotations

from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import KnowledgeBaseError

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")

BIRDS = {"Owl": "hunts small mammals at night with silent flight",
         "Swift": "sleeps and eats while flying, rarely lands",
         "Heron": "hunts fish standing still in shallow water",
         "Robin": "sings at dawn in gardens"}


class Bird(sn.DataModel):
    name: str
    habit: str


async def graph(path: Path) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(uri=f"duckdb://{path / 'kb.db'}", graph_uri=f"ladybug://{path / 'g'}",
                          data_models=[Bird])
    await kb.update_entities([{"label": "Bird", "name": n, "habit": h}
                              for n, h in BIRDS.items()])
    await kb.update_relations([
        {"subj": {"label": "Bird", "name": "Heron"}, "label": "Eats",
         "obj": {"label": "Food", "name": "fish"}},
        {"subj": {"label": "Bird", "name": "Robin"}, "label": "Eats",
         "obj": {"label": "Food", "name": "worms"}},
        {"subj": {"label": "Bird", "name": "Owl"}, "label": "Chases",
         "obj": {"label": "Bird", "name": "Robin"}}])
    return kb


async def test_entities_rank_as_the_same_texts_do_in_a_table(tmp_path: Path) -> None:
    kb = await graph(tmp_path)
    await kb.update([Bird(name=n, habit=h) for n, h in BIRDS.items()])
    for query in ("hunts at night", "flying", "water fish hunts"):
        nodes = await kb.entity_fulltext_search(query, label="Bird", k=4)
        rows = await kb.fulltext_search(query, table_name="Bird", k=4)
        assert [(n["name"], round(n["score"], 9)) for n in nodes] == [
            (r["name"], round(r["score"], 9)) for r in rows]
    assert nodes[0]["node"] == {"label": "Bird", "name": "Heron",
                                "habit": BIRDS["Heron"]}


async def test_entity_options_and_errors(tmp_path: Path) -> None:
    kb = await graph(tmp_path)
    both = await kb.entity_fulltext_search("hunts night", label="Bird", conjunctive=True)
    assert [r["name"] for r in both] == ["Owl"]
    several = await kb.entity_fulltext_search(["dawn", "shallow"], label="Bird")
    assert sorted(r["name"] for r in several) == ["Heron", "Robin"]
    assert await kb.entity_fulltext_search("dawn", label="Bird", threshold=100.0) == []
    assert await kb.entity_fulltext_search([], label="Bird") == []
    csv = await kb.entity_fulltext_search("dawn", label="Bird", output_format="csv")
    assert csv.splitlines()[0] == "name,node,score"
    with pytest.raises(KnowledgeBaseError, match="entity label"):
        await kb.entity_fulltext_search("x", label="Fish")


async def test_relations_match_on_either_end_and_add_both_scores(tmp_path: Path) -> None:
    kb = await graph(tmp_path)
    eats = await kb.relation_fulltext_search("fish", label="Eats")
    assert [(r["name"], r["name_1"], r["matched_on"]) for r in eats] == [
        ("Heron", "fish", "both")]  # "fish" is in Heron's habit and is the food's name
    assert eats[0]["score"] == pytest.approx(eats[0]["subj_score"] + eats[0]["obj_score"])
    chases = await kb.relation_fulltext_search("dawn", label="Chases")
    assert [(r["subj"]["name"], r["obj"]["name"], r["matched_on"]) for r in chases] == [
        ("Owl", "Robin", "obj")]
    assert chases[0]["subj_score"] == 0.0
    with pytest.raises(KnowledgeBaseError, match="relation label"):
        await kb.relation_fulltext_search("x", label="Likes")
