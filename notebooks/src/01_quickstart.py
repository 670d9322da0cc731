# %% [markdown]
# # 1. Quickstart: a first program
#
# synalinks_nb builds **programs of language-model calls** the way Keras builds neural
# networks: typed data flows through modules, modules compose into a program, and the
# program can be trained. This notebook runs offline: the default language model is
# SmolLM2-135M, embedded through llama.cpp. No API key, no network.
#
# You will: declare data models, build a program, look at its graph, call it, and see
# how a deterministic scripted model makes documentation reproducible.

# %%
import synalinks_nb as sn

# %% [markdown]
# ## Data models
# A `DataModel` is a pydantic model: it declares what flows between modules, and its
# JSON schema is what the language model is asked to fill.

# %%
class Query(sn.DataModel):
    query: str = sn.Field(description="The user query")


class Answer(sn.DataModel):
    thinking: str = sn.Field(description="Step by step thinking")
    answer: str = sn.Field(description="The correct answer")


print(Answer.prettify_schema())  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## A program
# `sn.Input` gives a *symbolic* data model: a schema without a value. Calling a module on
# it records a step of the graph instead of calling the model. `sn.Program` ties the
# inputs to the outputs.

# %%
lm = sn.LanguageModel("local/smollm2")  # the embedded model; any litellm id works too

inputs = sn.Input(data_model=Query)
outputs = await sn.ChainOfThought(data_model=Answer, language_model=lm)(inputs)
program = sn.Program(inputs=inputs, outputs=outputs, name="qa",
                     description="Answers a question, thinking first")
program.summary()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Displaying a program shows its graph: an interactive widget in JupyterLab (click a node
# to see its schemas and trainable variables), a static picture on GitHub.

# %%
program

# %% [markdown]
# ## Calling it
# A program call runs every module on real values. The answer is validated against the
# `Answer` schema before you see it.

# %%
result = await program(Query(query="What is the capital of France?"))
print(sorted(result.keys()))  # NBVAL_CHECK_OUTPUT
result

# %% [markdown]
# ## Reproducible answers for docs and tests
# `ScriptedLanguageModel` is a deterministic model shipped with the library. It goes
# through the same schema validation as a real model, so documentation and tests show
# exactly what users will see — minus the randomness.

# %%
scripted = sn.ScriptedLanguageModel(responses=[
    {"thinking": "France's capital city is Paris.", "answer": "Paris"},
])
inputs = sn.Input(data_model=Query)
outputs = await sn.ChainOfThought(data_model=Answer, language_model=scripted)(inputs)
doc_program = sn.Program(inputs=inputs, outputs=outputs, name="qa_scripted")
(await doc_program(Query(query="What is the capital of France?"))).get_json()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Trainable variables are JSON, and versioned
# The module's instructions and few-shot examples are a trainable variable. Every change
# is validated and kept as a version you can go back to.

# %%
variable = doc_program.trainable_variables[0]
variable.assign({"instructions": "Answer with the city name only.", "examples": []},
                source="human")
variable.revert(0)
[(v.index, v.source, v.value["instructions"]) for v in variable.versions]  # NBVAL_CHECK_OUTPUT
