"""knowledge_bases.get / serialize / deserialize (Synalinks' names) on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import KnowledgeBaseError


class Note(sn.DataModel):
    id: str
    text: str


async def test_a_serialized_knowledge_base_reopens_its_file(tmp_path: Path) -> None:
    kb = sn.knowledge_bases.get(f"duckdb://{tmp_path / 'notes.db'}")
    await kb.update(Note(id="n1", text="Owls hunt at night."))
    config = sn.knowledge_bases.serialize(kb)
    kb.close()
    again = sn.knowledge_bases.get(config)
    assert (await again.get("n1", table_name="Note")).get_json() == {
        "id": "n1", "text": "Owls hunt at night."}
    assert sn.knowledge_bases.get(again) is again
    with pytest.raises(KnowledgeBaseError, match="class_name"):
        sn.knowledge_bases.deserialize({"class_name": "Program", "config": {}})
    with pytest.raises(KnowledgeBaseError, match="URI"):
        sn.knowledge_bases.get("postgres://host/db")


async def test_a_location_without_scheme_opens_both_stores(tmp_path: Path) -> None:
    pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")
    kb = sn.knowledge_bases.get(str(tmp_path / "both"))
    await kb.update(Note(id="n1", text="x"))
    await kb.update_entities({"label": "Person", "name": "Ada"})
    assert (tmp_path / "both.db").is_file() and (tmp_path / "both.lb").exists()
    memory = sn.knowledge_bases.get(":memory:")
    assert memory.store.path == ":memory:" and memory.graph_path == ":memory:"
