# %% [markdown]
# # 2. Programs: four ways to build them, and control flow
#
# Like Keras models, programs can be **functional**, **sequential**, **subclassed**, or a
# **mix**. Control flow uses `Decision`, `Branch` and the logical operators, with `None`
# standing for "this path did not run". This notebook uses a scripted model so every
# output is reproducible; swap in `sn.LanguageModel("local/smollm2")` to run it for real.

# %%
import synalinks_nb as sn


class Query(sn.DataModel):
    query: str = sn.Field(description="The user query")


class Answer(sn.DataModel):
    answer: str = sn.Field(description="The answer")


def teacher(messages, schema):
    """A scripted model: picks 'math' for questions with digits, answers otherwise."""
    props = schema["properties"]
    question = messages[-1]["content"]
    if "choice" in props:
        label = "math" if any(c.isdigit() for c in question) else "general"
        return {"thinking": "Looking for numbers.", "choice": label}
    if "thinking" in props:
        return {"thinking": "Add the two numbers.", "answer": "4"}
    return {"answer": "A short general answer."}


lm = sn.ScriptedLanguageModel(handler=teacher)

# %% [markdown]
# ## Functional

# %%
inputs = sn.Input(data_model=Query)
outputs = await sn.Generator(data_model=Answer, language_model=lm)(inputs)
functional = sn.Program(inputs=inputs, outputs=outputs, name="functional")
(await functional(Query(query="Why is the sky blue?"))).get_json()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Sequential

# %%
sequential = sn.Sequential([
    sn.Input(data_model=Query),
    sn.ChainOfThought(data_model=Answer, language_model=lm),
    sn.OutMask(mask=["thinking"]),
], name="sequential")
(await sequential(Query(query="What is 2+2?"))).get_json()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Subclassed
# Override `__init__` and `async call`. The graph is traced from `call` on symbolic inputs
# (no model is called), so the program still draws.

# %%
class ThinkThenAnswer(sn.Program):
    def __init__(self, language_model, **kwargs):
        super().__init__(**kwargs)
        self.think = sn.ChainOfThought(data_model=Answer, language_model=language_model)
        self.keep = sn.InMask(mask=["answer"])

    async def call(self, inputs, training=False):
        return await self.keep(await self.think(inputs))


subclassed = ThinkThenAnswer(lm, name="subclassed")
print((await subclassed(Query(query="What is 2+2?"))).get_json())  # NBVAL_CHECK_OUTPUT
[node["type"] for node in subclassed.graph()["nodes"]]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Mixed
# A subclass that builds a functional graph in `build`, once it knows its input.

# %%
class Mixed(sn.Program):
    def __init__(self, language_model, **kwargs):
        super().__init__(**kwargs)
        self.language_model = language_model

    async def build(self, inputs):
        outputs = await sn.Generator(data_model=Answer, language_model=self.language_model)(inputs)
        super().__init__(inputs=inputs, outputs=outputs, name=self.name)


mixed = Mixed(lm, name="mixed")
(await mixed(Query(query="Hello?"))).get_json()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Control flow: Branch and the logical operators
# `Branch` asks a question, runs **only** the selected branch, and gives `None` for the
# others. `|` keeps whichever side ran; `&` needs both; `^` exactly one.

# %%
inputs = sn.Input(data_model=Query)
math_out, general_out = await sn.Branch(
    question="Is this a math question?",
    labels=["math", "general"],
    branches=[sn.ChainOfThought(data_model=Answer, language_model=lm),
              sn.Generator(data_model=Answer, language_model=lm)],
    language_model=lm,
    return_decision=False,
)(inputs)
router = sn.Program(inputs=inputs, outputs=math_out | general_out, name="router")
router.summary()

# %%
for question in ["What is 2+2?", "Why is the sky blue?"]:
    print(question, "->", (await router(Query(query=question))).get_json())  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The operator table (`None` is a path that did not run):
#
# | | both present | only left | only right |
# |---|---|---|---|
# | `a + b` | concatenation | error | error |
# | `a & b` | concatenation | `None` | `None` |
# | `a \| b` | concatenation | left | right |
# | `a ^ b` | `None` | left | right |

# %%
a, b = Answer(answer="left"), Answer(answer="right")
print((a | None).get_json(), (None | b).get_json(), (a | b).get_json())  # NBVAL_CHECK_OUTPUT
print(a & None, (a ^ b), (a ^ None).get_json())  # NBVAL_CHECK_OUTPUT
