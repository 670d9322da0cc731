# %% [markdown]
# # 5. Saving and sharing programs
#
# A trained program is worth keeping: its instructions and few-shot examples came from
# rewards, optimizer proposals and maybe your own decisions. synalinks_nb saves a program
# to **one JSON file**: the architecture, the compile settings and the optimizer's state,
# and every trainable variable **with its whole version history**. You can read it, diff
# it, and send it to a colleague.
#
# Three promises come with the file format:
#
# - **JSON only.** No pickle: loading never runs code from the file. Only the package's
#   own classes and those you registered can be created, whatever the file says.
# - **Atomic writes.** A save fully happens or leaves the previous file untouched.
# - **No secrets.** API keys never reach the file.
#
# Everything below is written to a temporary folder, deleted at the end.

# %%
import json
import tempfile
from pathlib import Path

import synalinks_nb as sn

tmp = tempfile.TemporaryDirectory(prefix="synalinks_nb-")
folder = Path(tmp.name)
sn.set_seed(3)

# %% [markdown]
# ## A trained program to save
# The quiz of [notebook 3](03_training.ipynb), trained for one epoch against the scripted
# stand-in model (it knows the facts, answers in sentences, and imitates the style of its
# few-shot examples).

# %%
class Question(sn.DataModel):
    question: str = sn.Field(description="A general-knowledge question")


class Answer(sn.DataModel):
    answer: str = sn.Field(description="The answer, as short as possible")


QUIZ = {
    "What is the capital of France?": ("The capital of France is Paris.", "Paris"),
    "How many legs does a spider have?": ("8", "8"),
    "Which planet is known as the Red Planet?": ("Mars is known as the Red Planet.", "Mars"),
    "What is the largest ocean on Earth?": ("The largest ocean is the Pacific.", "Pacific"),
    "How many days are there in a week?": ("7", "7"),
    "Who wrote Romeo and Juliet?": ("It was written by Shakespeare.", "Shakespeare"),
    "What is the chemical symbol for gold?": ("The symbol for gold is Au.", "Au"),
    "How many continents are there?": ("7", "7"),
    "What is the capital of Japan?": ("The capital of Japan is Tokyo.", "Tokyo"),
    "How many sides does a hexagon have?": ("6", "6"),
}
x = [Question(question=q) for q in QUIZ]
y = [Answer(answer=short) for _, short in QUIZ.values()]


def small_model(messages, schema):
    question = json.loads(messages[-1]["content"])["question"]
    sentence, short = QUIZ[question]
    shown = [json.loads(m["content"]) for m in messages[1:-1] if m["role"] == "assistant"]
    terse = sum(len(example["answer"].split()) == 1 for example in shown)
    answer = short if shown and terse > len(shown) / 2 else sentence
    return {"thinking": f"I recall: {sentence}", "answer": answer}


lm = sn.ScriptedLanguageModel(handler=small_model, name="small_model")


async def make_program():
    inputs = sn.Input(data_model=Question)
    outputs = await sn.ChainOfThought(data_model=Answer, language_model=lm,
                                      name="answer")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="quiz",
                         description="Answers quiz questions in one word")
    program.compile(reward=sn.rewards.ExactMatch(in_mask=["answer"]),
                    optimizer=sn.optimizers.RandomFewShot(nb_max_examples=2))
    return program


program = await make_program()
history = await program.fit(x[:8], y[:8], epochs=1, batch_size=4, verbose=0,
                            approval="accept")
await program.evaluate(x[8:], y[8:])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## `save` and `load`
# `program.save(path)` writes everything; `sn.Program.load(path)` rebuilds it without
# calling any language model.
#
# One thing cannot be saved: **code**. Our scripted model answers with a Python function,
# and a file that could carry functions could also carry malware. The file records the
# model's class and name; `custom_objects={"small_model": lm}` plugs the live object back
# in wherever that name is used. (A program on a real model, `"local/smollm2"` or
# `"openai/gpt-4o-mini"`, needs nothing: the model id is in the file.)

# %%
path = folder / "quiz.json"
program.save(path)

loaded = sn.Program.load(path, custom_objects={"small_model": lm})
loaded

# %% [markdown]
# The loaded program answers like the original, because its variable holds the same
# few-shot examples, with the same history:

# %%
question = Question(question="What is the capital of Japan?")
print((await program(question))["answer"], "|", (await loaded(question))["answer"])  # NBVAL_CHECK_OUTPUT

# %%
original, restored = program.trainable_variables[0], loaded.trainable_variables[0]
print(restored.get_json() == original.get_json())  # NBVAL_CHECK_OUTPUT
[(v.index, v.source, v.reward_before, v.reward_after) for v in restored.versions]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# It is compiled as it was (reward, optimizer and the optimizer's state, here its pool of
# scored predictions), so training can resume where it stopped:

# %%
loaded.compiled, loaded.optimizer, loaded.optimizer.iterations  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Without it, loading refuses: a program whose model silently answered something else
# would be worse than no program. The error names the model and how to give it back
# (`language_model=` also takes one model for every model of the file).

# %%
try:
    sn.Program.load(path)
except sn.errors.MissingObjectError as error:
    print(str(error).split(": ", 1)[1])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## What is in the file
# Plain, indented JSON. At the top: what the file is, the format version (older files are
# upgraded when loaded; files from a newer release are refused with a clear error), and
# the package version that wrote it.

# %%
document = json.loads(path.read_text())
list(document)  # NBVAL_CHECK_OUTPUT

# %%
document["format"], document["format_version"]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# `program` is the architecture: each module as its class name and its config, and how
# they connect. Here is the ChainOfThought, with its model reference:

# %%
operation = document["program"]["config"]["graph"]["operations"][1]
print(json.dumps({"class_name": operation["class_name"],
                  "config": {k: operation["config"][k]
                             for k in ("name", "language_model", "instructions")}},
                 indent=2))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# `compile_config` and `optimizer_state` are what `compile` was given and what the
# optimizer learned so far:

# %%
print(json.dumps(document["compile_config"]["reward"], indent=2))  # NBVAL_CHECK_OUTPUT
len(document["optimizer_state"]["variables"]["answer/instructions"]["pool"])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# And `variables`: each variable's path, current value and every version, with where it
# came from and who decided (timestamps left out here):

# %%
variable = document["variables"][0]
for version in variable["versions"]:  # NBVAL_CHECK_OUTPUT
    shown = {k: v for k, v in version.items() if k not in ("timestamp", "value")}
    shown["examples"] = [e["outputs"]["answer"] for e in version["value"]["examples"]]
    print(json.dumps(shown))

# %% [markdown]
# ## Secrets never reach the file
# A provider model's API key is kept on the object and nowhere else: settings named like
# secrets (`api_key`, `token`, `password`...) are dropped, and the key's value is redacted
# wherever else it might appear. On loading, the key comes from the provider's usual
# environment variable (`OPENAI_API_KEY`...), so a file never chooses where that key goes:
# loading a file that names an `api_base` refuses with `UntrustedEndpointError` unless you
# trust it (`trusted_api_bases=[...]`, `SYNALINKS_NB_TRUSTED_API_BASES`, or
# `safe_mode=False`). Nothing below calls the provider.

# %%
provider = sn.LanguageModel("openai/gpt-4o-mini", api_key="sk-my-very-secret-key",
                            temperature=0.0)
inputs = sn.Input(data_model=Question)
outputs = await sn.Generator(data_model=Answer, language_model=provider)(inputs)
hosted = sn.Program(inputs=inputs, outputs=outputs, name="hosted_quiz")
hosted.save(folder / "hosted.json")

text = (folder / "hosted.json").read_text()
print("sk-my-very-secret-key" in text, "api_key" in text)  # NBVAL_CHECK_OUTPUT
model = json.loads(text)["program"]["config"]["graph"]["operations"][1]["config"]
print(json.dumps(model["language_model"], indent=2))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Not overwriting by accident
# `save` replaces an existing file by default, like Keras. With `overwrite=False` it
# refuses instead:

# %%
try:
    program.save(path, overwrite=False)
except sn.errors.SaveTargetExistsError as error:
    print(type(error).__name__, "- still a SavingError:",
          isinstance(error, sn.errors.SavingError))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Variables only
# To share only what training changed (Keras' `save_weights`), save the variables. Anyone
# who builds the same program in code can load them; variables are matched by path
# (`module/name`), and every value is checked against the variable's schema before
# anything changes.

# %%
program.save_variables(folder / "quiz.variables.json")
variables_document = json.loads((folder / "quiz.variables.json").read_text())
variables_document["format"], [v["path"] for v in variables_document["variables"]]  # NBVAL_CHECK_OUTPUT

# %%
fresh = await make_program()
print((await fresh(question))["answer"])  # NBVAL_CHECK_OUTPUT
fresh.load_variables(folder / "quiz.variables.json")
print((await fresh(question))["answer"])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Damaged or hostile files
# Loading checks everything and fails with a typed error that names the file and the
# problem. Every such error is a `sn.errors.SavingError`; nothing is half-loaded. A
# truncated file (a copy cut short):

# %%
def try_loading(name, text):
    damaged = folder / name
    damaged.write_text(text)
    try:
        sn.Program.load(damaged)
    except sn.errors.SavingError as error:
        print(type(error).__name__ + ":", str(error).replace(str(folder), "<tmp>"))


original_text = path.read_text()
cut = original_text.index('"variables"')  # the copy stops before the variables
try_loading("truncated.json", original_text[:cut])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# A file naming a class that is not a registered program class is refused before anything
# is created: class names are looked up in the registry, never imported.

# %%
tampered = json.loads(original_text)
tampered["program"]["class_name"] = "os.system"
try_loading("tampered.json", json.dumps(tampered))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# A file written by a newer release, which this one cannot know how to read:

# %%
future = json.loads(original_text)
future["format_version"] = 99
try_loading("future.json", json.dumps(future))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Sharing as text
# `program.to_json()` is the same document as a string, to paste into an issue or store in
# a database; `sn.saving.program_from_json` reads it back.

# %%
as_text = program.to_json()
clone = sn.saving.program_from_json(as_text, custom_objects={"small_model": lm})
(await clone(question))["answer"]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Checkpoints during training: `ProgramCheckpoint`
# The `ProgramCheckpoint` callback saves the program after each epoch. The file name may
# use `{epoch}` and any logged value; with `save_best_only=True` it saves only when the
# monitored value (here the validation reward) improves.
# `save_variables_only=True` writes variables files instead of whole programs.

# %%
program = await make_program()
checkpoint = sn.callbacks.ProgramCheckpoint(
    folder / "checkpoints" / "quiz-{epoch:02d}-{val_reward:.2f}.json",
    monitor="val_reward", save_best_only=True)
history = await program.fit(x[:8], y[:8], epochs=3, batch_size=4, verbose=0,
                            validation_data=(x[8:], y[8:]), approval="accept",
                            callbacks=[checkpoint])
print(history.history["val_reward"])  # NBVAL_CHECK_OUTPUT
sorted(p.name for p in (folder / "checkpoints").iterdir())  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The best checkpoint is a complete program:

# %%
best = sn.Program.load(checkpoint.saved[-1], custom_objects={"small_model": lm})
await best.evaluate(x[8:], y[8:])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# To survive a crash in the middle of a long `fit`, `sn.callbacks.BackupAndRestore(path)`
# backs up the variables, the optimizer state, the random generator and the epoch after
# each epoch: running the same `fit` again resumes where it stopped.

# %%
tmp.cleanup()

# %% [markdown]
# ## Recap
# - `program.save(path)` / `sn.Program.load(path, custom_objects=...)`: one JSON file with
#   architecture, compile config, optimizer state, variables and their histories.
# - `save_variables` / `load_variables` for the trained values alone.
# - JSON only, atomic, no secrets; damaged or hostile files fail with typed
#   `SavingError`s (`CorruptedFileError`, `UnknownObjectError`, `FormatVersionError`,
#   `SaveTargetExistsError`, `UntrustedEndpointError`); what a file cannot hold (code,
#   passwords) is asked for with `MissingObjectError`.
# - `ProgramCheckpoint` saves during `fit`; `BackupAndRestore` resumes it.
# - Next: [6. Using a hosted provider](06_hosted_provider.ipynb).
