"""build_communities and the global searches on a real LadybugDB folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import KnowledgeBaseError

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")

TEAMS = {"Alice": "vision", "Bob": "vision", "Carol": "vision",
         "Dan": "language", "Eve": "language", "Frank": "language"}
PAIRS = [("Alice", "Bob"), ("Bob", "Carol"), ("Carol", "Alice"),
         ("Dan", "Eve"), ("Eve", "Frank"), ("Frank", "Dan"), ("Alice", "Dan")]


def person(name: str) -> dict[str, Any]:
    return {"label": "Researcher", "name": name, "team": TEAMS[name]}


async def lab(path: Path, pairs: list[tuple[str, str]] = PAIRS) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{path}")
    await kb.update_relations([{"subj": person(a), "label": "CollaboratesWith",
                                "obj": person(b)} for a, b in pairs])
    return kb


def names(graph: dict[str, Any]) -> list[str]:
    return sorted(e["name"] for e in graph["entities"])


async def test_communities_are_the_two_teams_and_cross_team_edges_belong_to_neither(
        tmp_path: Path) -> None:
    kb = await lab(tmp_path / "lab.lb")
    assert await kb.build_communities(algorithm="louvain") == 6
    graphs = (await kb.community_graph_search(k=5)).get_json()["knowledge_graphs"]
    assert sorted(names(g) for g in graphs) == [["Alice", "Bob", "Carol"],
                                                ["Dan", "Eve", "Frank"]]
    edges = sorted(f"{r['subj']['name']}>{r['obj']['name']}" for g in graphs
                   for r in g["relations"])
    assert "Alice>Dan" not in edges and len(edges) == 6
    assert all(set(e) == {"label", "name", "team"} for g in graphs for e in g["entities"])


async def test_global_rows_rank_communities_and_their_members(tmp_path: Path) -> None:
    # Alice and Dan carry the bridge: each ranks first in their team.
    kb = await lab(tmp_path / "lab.lb", [*PAIRS, ("Bob", "Alice"), ("Eve", "Dan")])
    await kb.build_communities()
    rows = await kb.global_graph_search(k=1, members_per_community=2)
    assert len(rows) == 1 and rows[0]["size"] == 3
    assert rows[0]["total_rank"] > 0.45  # the larger share of the rank (it sums to 1)
    assert rows[0]["members"][0]["name"] in {"Alice", "Dan"}
    assert len(rows[0]["members"]) == 2 and "rank" not in rows[0]["members"][0]
    ranked = await kb.pagerank(k=6)
    assert [r["rank"] for r in ranked] == sorted((r["rank"] for r in ranked), reverse=True)
    assert ranked[0]["label"] == "Researcher" and ranked[0]["node"]["name"] == ranked[0]["name"]
    assert sum(r["rank"] for r in ranked) == pytest.approx(1.0)


async def test_nothing_is_found_before_a_build_and_late_nodes_wait_for_the_next(
        tmp_path: Path) -> None:
    kb = await lab(tmp_path / "lab.lb")
    assert await kb.global_graph_search() == []
    assert (await kb.community_graph_search()).get_json() == {"knowledge_graphs": []}
    await kb.build_communities()
    await kb.update_entities(person("Alice") | {"name": "Zed"})
    members = [n for g in (await kb.community_graph_search()).get_json()["knowledge_graphs"]
               for n in names(g)]
    assert "Zed" not in members and len(members) == 6
    assert await kb.build_communities() == 7  # re-running overwrites and includes it


async def test_the_index_survives_reopening_and_local_search_hides_its_columns(
        tmp_path: Path) -> None:
    kb = await lab(tmp_path / "lab.lb")
    await kb.build_communities(with_pagerank=False)
    kb.close()
    again = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'lab.lb'}")
    rows = await again.global_graph_search()
    assert sorted(r["size"] for r in rows) == [3, 3]
    assert all(r["total_rank"] == 0.0 for r in rows)  # no PageRank: communities by size
    assert again.graph.catalog.nodes["Researcher"].columns == {"name": "STRING",
                                                               "team": "STRING"}


async def test_detect_communities_writes_nothing_and_spans_several_labels(
        tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'g.lb'}")
    await kb.update_relations([
        {"subj": {"label": "City", "name": "Paris"}, "label": "LocatedIn",
         "obj": {"label": "Country", "name": "France"}},
        {"subj": {"label": "City", "name": "Rome"}, "label": "LocatedIn",
         "obj": {"label": "Country", "name": "Italy"}}])
    found = await kb.detect_communities(algorithm="weakly_connected_components")
    assert sorted(names(g) for g in found.get_json()["knowledge_graphs"]) == [
        ["France", "Paris"], ["Italy", "Rome"]]
    assert await kb.global_graph_search() == []
    with pytest.raises(KnowledgeBaseError, match="leiden"):
        await kb.build_communities(algorithm="leiden")
    with pytest.raises(KnowledgeBaseError, match="relation labels"):
        await kb.build_communities(rel_labels=["Nope"])


async def test_an_entity_field_named_like_a_reserved_column_is_refused(tmp_path: Path) -> None:
    class Player(sn.Entity):
        label: Literal["Player"]
        name: str
        rank: int

    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{tmp_path / 'g.lb'}", entity_models=[Player])
    await kb.update_entities(Player(label="Player", name="Ann", rank=1))
    with pytest.raises(KnowledgeBaseError, match="rank"):
        await kb.build_communities()
