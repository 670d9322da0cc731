# %% [markdown]
# # 7. Retrieval: a knowledge base on DuckDB
#
# A language model only knows what it was trained on and what you put in its prompt. A
# **knowledge base** holds the rest: records of your data models in an embedded DuckDB
# file, searchable three ways, so a program can fetch the few passages a question needs
# and hand them to the model (retrieval-augmented generation, RAG).
#
# Everything here is offline: the database is a file in a temporary folder, the vectors
# come from the embedded SmolLM2 model (`sn.EmbeddingModel("local/smollm2")`), and the
# data is `sn.datasets.almanac`, 32 short passages and 48 questions written for this
# package. The three searches:
#
# | search | ranks by | good at |
# | --- | --- | --- |
# | `fulltext_search` | BM25 over the words (our own SQL; no extension to download) | names, numbers, rare words |
# | `similarity_search` | cosine similarity of embedding vectors (DuckDB built-ins) | paraphrases |
# | `hybrid_fts_search` | both, fused by reciprocal rank | a safe default |

# %%
import tempfile
from pathlib import Path

import pandas as pd

import synalinks_nb as sn
from synalinks_nb.datasets import almanac

tmp = tempfile.TemporaryDirectory(prefix="synalinks_nb-")
folder = Path(tmp.name)

documents = almanac.load_documents()
(x_train, y_train), (x_test, y_test) = almanac.load_data()
pd.DataFrame([d.get_json() for d in documents[:4]])

# %% [markdown]
# ## Building the knowledge base
# One table per data model, named after it; the first field (`id`) is the primary key, so
# `update` with the same id replaces the record. With an embedding model, `update`
# embeds each record's text fields; `caching=True` keeps the vectors on disk so a
# rebuild after a kernel restart embeds nothing twice.

# %%
embedder = sn.EmbeddingModel("local/smollm2", caching=True)
kb = sn.KnowledgeBase(uri=f"duckdb://{folder / 'almanac.db'}",
                      data_models=[almanac.Document], embedding_model=embedder)
ids = await kb.update(documents)
len(ids), sorted(kb.tables)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The knowledge base is a real database: read it with SQL (read-only by default, so an
# SQL-writing model cannot change or exfiltrate anything).

# %%
pd.DataFrame(await kb.sql('SELECT id, title, length(text) AS chars FROM "Document" '
                          'ORDER BY chars DESC LIMIT 5'))

# %% [markdown]
# ## What each search retrieves
# Six questions, asked as they are. For each, the passage that answers it (`source`) and
# the top three ids each search returned; ✓ marks a hit in the top three.

# %%
async def top_ids(mode, question, k=3):
    search = {"fulltext": kb.fulltext_search, "vector": kb.similarity_search,
              "hybrid": kb.hybrid_fts_search}[mode]
    return [row["id"] for row in await search(question, table_name="Document", k=k)]


rows = []
for x, y in list(zip(x_test, y_test))[:6]:
    row = {"question": x.question, "source": y.source}
    for mode in ("fulltext", "vector", "hybrid"):
        found = await top_ids(mode, x.question)
        row[mode] = ("✓ " if y.source in found else "✗ ") + ", ".join(found)
    rows.append(row)
pd.DataFrame(rows)

# %% [markdown]
# ## Recall over the 32 test questions
# recall@k is the share of questions whose passage is among the top k. The numbers come
# from this corpus and this small model; `bench/bench_retrieval.py` measures the same
# table over all 48 questions (and indexing speed) outside the notebook.

# %%
questions = list(zip(x_test, y_test))
await embedder([x.question for x, _ in questions])  # one batch; the searches then hit the cache
recall = []
for mode in ("fulltext", "vector", "hybrid"):
    found = [await top_ids(mode, x.question, k=5) for x, _ in questions]
    recall.append({"mode": mode, **{
        f"recall@{k}": sum(y.source in f[:k] for (_, y), f in zip(questions, found)) / len(found)
        for k in (1, 3, 5)}})
pd.DataFrame(recall).round(3)

# %% [markdown]
# ## A RAG program
# `HybridFTSSearch` is a module: a Generator writes the search queries from the input (its
# instructions and examples are trainable like any Generator's), the knowledge base
# answers, and the output joins the question, the queries and the retrieved rows. The
# answering Generator then reads all of it.
#
# Writing good queries is asking a lot of a 135M-parameter model, so here a scripted
# stand-in writes them (the question itself, as keywords and as a sentence); the answers
# come from SmolLM2. `return_inputs=True` keeps what was retrieved next to the answer.

# %%
class Reply(sn.DataModel):
    # maxLength reaches the constrained decoder: a small model otherwise tends to copy the
    # whole passage and run out of tokens before closing the JSON.
    answer: str = sn.Field(description="A short answer taken from the retrieved passage",
                           max_length=80)


def query_writer(messages, schema):
    import json
    question = json.loads(messages[-1]["content"])["question"]
    return {"similarity_search": [question], "keywords": [question]}


inputs = sn.Input(data_model=almanac.Question)
retrieved = await sn.HybridFTSSearch(
    knowledge_base=kb, data_model=almanac.Document, k=1, name="retrieve",
    language_model=sn.ScriptedLanguageModel(handler=query_writer))(inputs)
outputs = await sn.Generator(data_model=Reply, name="answer", return_inputs=True,
                             language_model=sn.LanguageModel("local/smollm2",
                                                             temperature=0.0))(retrieved)
rag = sn.Program(inputs=inputs, outputs=outputs, name="rag")
rag.summary()

# %%
answers = []
for x, y in list(zip(x_test, y_test))[:3]:
    out = await rag(x)
    answers.append({"question": x.question, "retrieved": out["result"][0]["id"],
                    "answer": out["answer"], "expected": y.answer})
pd.DataFrame(answers)

# %% [markdown]
# ## Cleaning up
# `kb.close()` releases the file (DuckDB lets one process write a file at a time).

# %%
kb.close()
tmp.cleanup()
