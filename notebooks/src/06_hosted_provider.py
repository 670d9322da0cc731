# %% [markdown]
# # 6. Using a hosted provider: cost, budgets, cache and replay
#
# The same program runs on any model [litellm](https://docs.litellm.ai/docs/providers)
# knows: change the model id, nothing else. Some ids:
#
# | model id | where it runs | key |
# |---|---|---|
# | `"openai/gpt-4o-mini"` | OpenAI | `OPENAI_API_KEY` |
# | `"anthropic/claude-3-5-haiku-latest"` | Anthropic | `ANTHROPIC_API_KEY` |
# | `"gemini/gemini-2.0-flash"` | Google AI Studio | `GEMINI_API_KEY` |
# | `"mistral/mistral-small-latest"` | Mistral | `MISTRAL_API_KEY` |
# | `"ollama/llama3.2"` | your Ollama server (`api_base="http://localhost:11434"`) | none |
# | `"hosted_vllm/<model>"` | your vLLM server (`api_base="http://host:8000/v1"`) | none |
# | `"local/smollm2"` | embedded in this process (the default) | none |
#
# Keys are read from the environment; you can also pass `api_key=...`, which is never
# saved nor shown.
#
# **This notebook needs no key and no network.** A small **stand-in server** runs on
# 127.0.0.1 and speaks OpenAI's chat-completions protocol; its answers come from a
# scripted function. The program talks to it through the real provider code path
# (litellm, HTTP, token counts, prices), exactly as it would talk to OpenAI. The last
# section shows how to switch to the real provider.

# %%
import json
import math
import tempfile
from pathlib import Path

import synalinks_nb as sn
from synalinks_nb.errors import CacheMissError
from synalinks_nb.language_models import Cache
from synalinks_nb.testing import OpenAICompatibleServer

tmp = tempfile.TemporaryDirectory(prefix="synalinks_nb-")
folder = Path(tmp.name)
sn.set_seed(5)

# %% [markdown]
# ## Building models touches nothing
# Creating a model contacts no one: no request, no key check, until the first call.
# Each provider gets structured output the way it supports it best — a JSON schema
# response format, or a forced tool call:

# %%
for model_id in ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest",
                 "gemini/gemini-2.0-flash", "ollama/llama3.2"]:
    print(f"{model_id:<36} {sn.LanguageModel(model_id).backend.mode}")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## The stand-in provider
# The scripted function plays three roles, told apart by the JSON schema each request
# asks for:
#
# - the **program**: it answers quiz questions in full sentences, unless its instructions
#   ask for one word;
# - a **judge** (the reward below asks a model to grade answers): 1.0 for the right word,
#   0.5 for a sentence containing it;
# - the **optimizer** (OMEGA asks a model to rewrite the instructions): it suggests
#   answering in one word.

# %%
QUIZ = {
    "What is the capital of France?": ("The capital of France is Paris.", "Paris"),
    "Which planet is known as the Red Planet?": ("Mars is known as the Red Planet.", "Mars"),
    "What is the largest ocean on Earth?": ("The largest ocean is the Pacific.", "Pacific"),
    "Who wrote Romeo and Juliet?": ("It was written by Shakespeare.", "Shakespeare"),
    "What is the chemical symbol for gold?": ("The symbol for gold is Au.", "Au"),
    "What is the capital of Japan?": ("The capital of Japan is Tokyo.", "Tokyo"),
    "What is the capital of Italy?": ("The capital of Italy is Rome.", "Rome"),
    "What is the fastest land animal?": ("The fastest land animal is the cheetah.", "cheetah"),
}


def provider_stand_in(messages, schema):
    fields = set(schema["properties"])
    request = json.loads(messages[-1]["content"])
    if fields == {"score"}:  # grading
        truth = request["ground_truth"]["answer"].lower()
        said = request["prediction"]["answer"].lower()
        return {"score": 1.0 if said == truth else 0.5 if truth in said else 0.0}
    if "instructions" in fields:  # rewriting the instructions
        return {"instructions": "Answer with a single word, without punctuation.",
                "examples": []}
    sentence, word = QUIZ[request["question"]]
    return {"answer": word if "single word" in messages[0]["content"] else sentence}


server = OpenAICompatibleServer(sn.ScriptedLanguageModel(handler=provider_stand_in)).start()
server

# %% [markdown]
# ## The same program, on "OpenAI"
# `api_base` sends the requests to the stand-in instead of api.openai.com. Everything
# else is what you would write for the real service.

# %%
class Question(sn.DataModel):
    question: str = sn.Field(description="A general-knowledge question")


class Answer(sn.DataModel):
    answer: str = sn.Field(description="The answer")


gpt = sn.LanguageModel("openai/gpt-4o-mini", api_base=server.api_base,
                       api_key="sk-local-stand-in", temperature=0.0)

inputs = sn.Input(data_model=Question)
outputs = await sn.Generator(data_model=Answer, language_model=gpt)(inputs)
program = sn.Program(inputs=inputs, outputs=outputs, name="quiz")
(await program(Question(question="What is the capital of France?"))).get_json()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# What reached the server is an ordinary chat-completions request, with the answer's JSON
# schema as `response_format` (the key travels in a header, not in the body):

# %%
request = server.requests[-1]
print(request["model"], request["response_format"]["type"])  # NBVAL_CHECK_OUTPUT
print(json.dumps(request["messages"], indent=2))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Usage and cost
# Every model counts its calls, tokens, latency, failures and cost. The cost comes from
# litellm's price table for the model the provider says answered. (The stand-in estimates
# token counts at one per four characters, so the sizes are realistic and the same on
# every run.)

# %%
usage = gpt.usage["inference"]
usage.calls, usage.prompt_tokens, usage.completion_tokens  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Check the price against litellm's table (dollars per token):

# %%
from synalinks_nb.language_models.litellm_backend import import_litellm

price = import_litellm().model_cost["gpt-4o-mini"]
expected = (usage.prompt_tokens * price["input_cost_per_token"]
            + usage.completion_tokens * price["output_cost_per_token"])
print(f"${usage.cost:.8f}", math.isclose(usage.cost, expected))

# %% [markdown]
# ## Cost per phase, during training
# Calls are counted in three **phases**: `inference` (the program itself), `reward` (a
# judge grading answers) and `optimizer` (a model writing new instructions). Here the same
# model plays all three: `LMAsJudge` grades, `OMEGA` rewrites the instructions.

# %%
x = [Question(question=q) for q in QUIZ]
y = [Answer(answer=word) for _, word in QUIZ.values()]

program.compile(
    reward=sn.rewards.LMAsJudge(language_model=gpt, in_mask=["answer"]),
    optimizer=sn.optimizers.OMEGA(language_model=gpt),
    metrics=[sn.metrics.Accuracy(in_mask=["answer"])],
)
gpt.reset_usage()
history = await program.fit(x[:6], y[:6], epochs=1, batch_size=3, verbose=0,
                            approval="accept")
for p in history.proposals:  # NBVAL_CHECK_OUTPUT
    print(f"{p['note']}: reward {p['reward_before']:.2f} -> {p['reward_after']:.2f}, "
          f"accepted={p['accepted']}")
print(program.trainable_variables[0].value["instructions"])  # NBVAL_CHECK_OUTPUT

# %%
for phase, used in gpt.usage.items():  # NBVAL_CHECK_OUTPUT
    print(f"{phase:<10} {used.calls:>3} calls {used.total_tokens:>6} tokens")

# %% [markdown]
# The same table with costs (they depend on litellm's current prices, so this output is not
# compared by the tests):

# %%
gpt.usage

# %% [markdown]
# The training dashboard of notebook 3 shows this table live. On the held-out questions,
# the judge now gives full marks:

# %%
await program.evaluate(x[6:], y[6:])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
#
# ## A budget
# `BudgetStopping` stops `fit` after the batch that spends the budget: a number of calls,
# dollars, or seconds, over every phase.

# %%
program = sn.Program(inputs=inputs, outputs=await sn.Generator(
    data_model=Answer, language_model=gpt)(inputs), name="quiz_on_a_budget")
program.compile(reward=sn.rewards.LMAsJudge(language_model=gpt, in_mask=["answer"]),
                optimizer=sn.optimizers.OMEGA(language_model=gpt))
budget = sn.callbacks.BudgetStopping(max_cost=0.0005)  # dollars
history = await program.fit(x, y, epochs=10, batch_size=2, verbose=0, approval="accept",
                            callbacks=[budget])
print(budget.stop_reason)
print(f"ran {len(history.batches)} of the 40 planned batches")

# %% [markdown]
# ## The disk cache
# With `cache=...`, every validated answer is stored on disk, keyed by the model id, the
# messages, the schema and the sampling settings. The same request again is answered from
# disk: it does not reach the provider, costs nothing, and is counted as a cache hit.
# `cache=True` uses a folder in `~/.synalinks_nb`; here, our temporary folder.

# %%
cached_gpt = sn.LanguageModel("openai/gpt-4o-mini", api_base=server.api_base,
                              api_key="sk-local-stand-in", temperature=0.0,
                              cache=Cache(folder / "cache"))
outputs = await sn.Generator(data_model=Answer, language_model=cached_gpt)(inputs)
cached = sn.Program(inputs=inputs, outputs=outputs, name="cached_quiz")

before = len(server.requests)
for _ in range(3):
    await cached(Question(question="What is the capital of Italy?"))
total = cached_gpt.usage.total
print("requests sent:", len(server.requests) - before)  # NBVAL_CHECK_OUTPUT
print("calls:", total.calls, "cache hits:", total.cache_hits,  # NBVAL_CHECK_OUTPUT
      "paid once:", math.isclose(total.cost, cached_gpt.history[0].cost))

# %% [markdown]
# Each entry is a small JSON file holding the request next to the answer, easy to read
# and to diff:

# %%
entries = sorted((folder / "cache").glob("*/*.json"))
entry = json.loads(entries[0].read_text())
len(entries), sorted(entry), entry["response"]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Replay: no provider at all
# A cache folder in mode `"replay"` answers **only** from disk: a request it has not seen
# raises `CacheMissError` instead of calling anyone. Ship a cache folder next to a
# notebook and it runs in CI with exact outputs and no key. To prove it, the stand-in
# server is shut down first:

# %%
server.close()

replay_gpt = sn.LanguageModel("openai/gpt-4o-mini", api_base=server.api_base,
                              api_key="sk-local-stand-in", temperature=0.0,
                              cache=Cache(folder / "cache", mode="replay"))
outputs = await sn.Generator(data_model=Answer, language_model=replay_gpt)(inputs)
replayed = sn.Program(inputs=inputs, outputs=outputs, name="replayed_quiz")
(await replayed(Question(question="What is the capital of Italy?"))).get_json()  # NBVAL_CHECK_OUTPUT

# %%
try:
    await replayed(Question(question="What is the capital of Japan?"))
except CacheMissError as error:
    print(type(error).__name__, "-", "capital of Japan" in str(error))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The usual way to make a replay folder: run the notebook once against the real provider
# with `cache=Cache("notebooks/data/cache")` (mode `"read_write"`), commit the folder, then
# switch the mode to `"replay"`.

# %%
tmp.cleanup()

# %% [markdown]
# ## Switching to the real provider
# Drop `api_base` (and the placeholder key), and make the key available:
#
# ```python
# import os
# os.environ["OPENAI_API_KEY"] = "sk-..."          # better: set it in your shell
# gpt = sn.LanguageModel("openai/gpt-4o-mini", temperature=0.0)
# ```
#
# Or another provider, or your own server:
#
# ```python
# claude = sn.LanguageModel("anthropic/claude-3-5-haiku-latest")          # ANTHROPIC_API_KEY
# llama = sn.LanguageModel("ollama/llama3.2", api_base="http://localhost:11434")
# ```
#
# Providers fail sometimes. Transient errors (429 with `Retry-After`, 5xx, lost
# connections) are retried with backoff; `fallback=[...]` names models to try next;
# every failure that remains is a typed error from `sn.errors` (`RateLimitError`,
# `AuthenticationError`, `LanguageModelTimeoutError`...).
#
# Your own tests can use the stand-in too: `synalinks_nb.testing.OpenAICompatibleServer`
# serves any synalinks_nb model, the scripted one or `sn.LanguageModel("local/smollm2")`.
#
# ## Recap
# - One program, any litellm model id; keys from the environment, never saved.
# - `lm.usage` per phase (`inference`, `reward`, `optimizer`), with costs from litellm's
#   prices; `BudgetStopping` caps a run.
# - `cache=Cache(folder)` answers repeated requests for free; `mode="replay"` answers only
#   from the cache, for keyless, exact, offline notebooks and tests.
