"""Knowledge bases the knowledge-base, agent and GraphRAG programs here are run against.

The engines are real (a DuckDB file, a LadybugDB folder under the test's ``tmp_path``),
built and filled the way Synalinks' guides do it; each test then writes its own program
over them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pytest

import synalinks_nb as synalinks

EMBEDDING = "hashing/256"


class Document(synalinks.DataModel):
    """A document in the knowledge base."""

    id: str = synalinks.Field(description="Unique document ID")
    title: str = synalinks.Field(description="Document title")
    content: str = synalinks.Field(description="Document content")


class Customer(synalinks.DataModel):
    """A customer."""

    id: str = synalinks.Field(description="Customer ID")
    name: str = synalinks.Field(description="Customer name")
    country: str = synalinks.Field(description="Customer country")


class Query(synalinks.DataModel):
    """User query."""

    query: str = synalinks.Field(description="User question")


async def table_kb(path: Path, rows: Sequence[synalinks.DataModel], *,
                   data_models: Sequence[type[synalinks.DataModel]],
                   **options: Any) -> synalinks.KnowledgeBase:
    """A DuckDB knowledge base wiped on start, then ``rows`` stored one by one."""
    kb = synalinks.KnowledgeBase(uri=f"duckdb://{path}", data_models=list(data_models),
                                 wipe_on_start=True, **options)
    for row in rows:
        await kb.update(row.to_json_data_model())
    return kb


def graph_kb(path: Path, entity_models: Sequence[Any] | None = None,
             relation_models: Sequence[Any] | None = None) -> synalinks.KnowledgeBase:
    """A LadybugDB knowledge base wiped on start, with the ``hashing/256`` embeddings."""
    pytest.importorskip("ladybug", reason="the graph extra (ladybug) is not installed")
    return synalinks.KnowledgeBase(
        graph_uri=f"ladybug://{path}", entity_models=entity_models,
        relation_models=relation_models,
        embedding_model=synalinks.EmbeddingModel(model=EMBEDDING), metric="cosine",
        wipe_on_start=True)


async def embed_and_store(kb: synalinks.KnowledgeBase, graph: Any,
                          in_mask: Sequence[str] = ("name",)) -> Any:
    """The symbolic steps that embed ``graph``'s ``in_mask`` fields, then store it in ``kb``."""
    embedded = await synalinks.EmbedKnowledge(
        embedding_model=synalinks.EmbeddingModel(model=EMBEDDING), in_mask=list(in_mask))(graph)
    return await synalinks.UpdateKnowledge(knowledge_base=kb)(embedded)


class Researcher(synalinks.Entity):
    label: Literal["Researcher"]
    name: str = synalinks.Field(description="The researcher's name, e.g. 'Alice'.")
    focus: str = synalinks.Field(description="Their research focus.")


class CollaboratesWith(synalinks.Relation):
    label: Literal["CollaboratesWith"]
    subj: Researcher
    obj: Researcher


class LabCollaborations(synalinks.Relations):
    relations: list[CollaboratesWith] = synalinks.Field(
        description="Every collaboration in the lab.")


class Question(synalinks.DataModel):
    question: str = synalinks.Field(description="The user question")


FOCUS = {"Alice": "diffusion models for image generation",
         "Bob": "real-time image segmentation", "Carol": "video understanding",
         "Dan": "low-resource machine translation", "Eve": "speech recognition",
         "Frank": "task-oriented dialogue systems"}


def researcher(name: str) -> Researcher:
    return Researcher(label="Researcher", name=name, focus=FOCUS[name])


async def lab_kb(path: Path, pairs: Sequence[tuple[str, str]]) -> synalinks.KnowledgeBase:
    """Guide 32's lab graph: ``(a, b)`` collaborations stored by a loader program."""
    kb = graph_kb(path, entity_models=[Researcher], relation_models=[CollaboratesWith])
    inputs = synalinks.Input(data_model=LabCollaborations)
    stored = await embed_and_store(kb, inputs)
    loader = synalinks.Program(inputs=inputs, outputs=stored, name="lab_graph_loader")
    await loader(LabCollaborations(relations=[
        CollaboratesWith(label="CollaboratesWith", subj=researcher(a), obj=researcher(b))
        for a, b in pairs]))
    return kb
