"""EntityFullTextSearch and RelationFullTextSearch over a real LadybugDB graph."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from synalinks_nb.testing import check_module

pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")


class Question(sn.DataModel):
    question: str


class Bird(sn.Entity):
    label: Literal["Bird"]
    name: str
    habit: str


async def aviary(path: Path) -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(graph_uri=f"ladybug://{path}")
    await kb.update_relations([
        {"subj": {"label": "Bird", "name": "Owl", "habit": "hunts mice at night"},
         "label": "Eats", "obj": {"label": "Food", "name": "mice"}},
        {"subj": {"label": "Bird", "name": "Robin", "habit": "sings at dawn"},
         "label": "Eats", "obj": {"label": "Food", "name": "worms"}}])
    return kb


async def test_entity_search_with_a_label_from_the_model_class(tmp_path: Path) -> None:
    kb = await aviary(tmp_path / "g")
    lm = sn.ScriptedLanguageModel(responses=[{"fulltext_search": ["dawn song"]}] * 2)
    search = sn.EntityFullTextSearch(knowledge_base=kb, entity_model=Bird, k=1,
                                     language_model=lm)
    out = await check_module(search, Question(question="Which bird sings?"))
    assert [r["name"] for r in out["result"]] == ["Robin"]
    assert out["fulltext_search"] == ["dawn song"] and out["question"] == "Which bird sings?"
    assert search.get_config()["label"] == "Bird"


async def test_without_a_label_the_model_picks_one_that_exists(tmp_path: Path) -> None:
    kb = await aviary(tmp_path / "g")
    lm = sn.ScriptedLanguageModel(responses=[
        {"fulltext_search": ["worms"], "entity_label": "Food"}])
    search = sn.EntityFullTextSearch(knowledge_base=kb, language_model=lm,
                                     return_inputs=False, return_query=False)
    out = await search(Question(question="What food is there?"))
    assert [r["name"] for r in out["result"]] == ["worms"]
    assert lm.calls[0].schema["properties"]["entity_label"]["enum"] == ["Bird", "Food"]


async def test_relation_search_and_no_query_gives_none(tmp_path: Path) -> None:
    kb = await aviary(tmp_path / "g")
    lm = sn.ScriptedLanguageModel(responses=[{"fulltext_search": ["night"]},
                                             {"fulltext_search": []}])
    search = sn.RelationFullTextSearch(knowledge_base=kb, label="Eats", language_model=lm,
                                       return_inputs=False, return_query=False)
    out = await search(Question(question="What does the night hunter eat?"))
    assert [(r["subj"]["name"], r["obj"]["name"], r["matched_on"]) for r in out["result"]] == [
        ("Owl", "mice", "subj")]
    assert await search(Question(question="?")) is None
    with pytest.raises(ModuleError, match="output_format"):
        sn.RelationFullTextSearch(knowledge_base=kb, label="Eats", output_format="csv")
