"""RetrieveKnowledge over several tables of a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from synalinks_nb.testing import check_module


class Article(sn.DataModel):
    id: str
    text: str


class Recipe(sn.DataModel):
    name: str
    steps: str


class Query(sn.DataModel):
    query: str


async def kitchen(path: Path) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(uri=f"duckdb://{path}", data_models=[Article, Recipe],
                          embedding_model="hashing/128")
    await kb.update([Article(id="a1", text="Volcanoes erupt molten lava."),
                     Article(id="a2", text="Bread rises because yeast makes gas."),
                     Recipe(name="bread", steps="Mix flour, water and yeast; bake."),
                     Recipe(name="pancakes", steps="Whisk eggs, milk and flour; fry.")])
    return kb


@pytest.mark.parametrize("search_type", ["similarity", "fulltext", "hybrid"])
async def test_each_search_type_merges_the_chosen_tables(tmp_path: Path,
                                                         search_type: str) -> None:
    kb = await kitchen(tmp_path / "kb.db")
    query = {"tables": ["Article", "Recipe", "Nowhere"], "search": ["yeast bread"]}
    lm = sn.ScriptedLanguageModel(responses=[query, query])
    module = sn.RetrieveKnowledge(knowledge_base=kb, language_model=lm,
                                  search_type=search_type, k=2)
    out = await check_module(module, Query(query="How does bread rise?"))
    found = {row.get("id") or row.get("name") for row in out["result"]}
    assert found == {"a2", "bread"}  # one row of each table, the best two overall
    assert out["tables"] == ["Article", "Recipe", "Nowhere"]
    assert "Article" in lm.calls[0].messages[0]["content"]  # the tables are in the instructions


async def test_regex_search_skips_patterns_re2_cannot_parse(tmp_path: Path) -> None:
    kb = await kitchen(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[
        {"tables": ["Recipe"], "search": ["(unclosed", "^Whisk"]}])
    module = sn.RetrieveKnowledge(knowledge_base=kb, language_model=lm, search_type="regex",
                                  return_inputs=False, return_query=False)
    out = await module(Query(query="Which recipe starts by whisking?"))
    assert out.get_json() == {"result": [{"name": "pancakes",
                                          "steps": "Whisk eggs, milk and flour; fry."}]}
    with pytest.raises(ModuleError, match="search_type"):
        sn.RetrieveKnowledge(knowledge_base=kb, search_type="hybrid_regex")


async def test_no_search_written_gives_none_as_in_synalinks(tmp_path: Path) -> None:
    kb = await kitchen(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[{"tables": ["Article"], "search": []}])
    module = sn.RetrieveKnowledge(knowledge_base=kb, language_model=lm)
    assert await module(Query(query="Anything?")) is None
    assert await module(None) is None
