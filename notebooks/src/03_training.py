# %% [markdown]
# # 3. Training: rewards, metrics, `compile` and `fit`
#
# A program's **trainable variables** are its instructions and few-shot examples (JSON,
# not weights). Training means: run the program on examples whose answers you know, score
# every prediction with a **reward**, let an **optimizer** propose a new value for a
# variable, check on the same examples that the proposal is better, and keep it. If you
# know Keras, the words are the same: `compile`, `fit`, `evaluate`, `predict`, callbacks and
# a `History`. If you know DSPy, this is an optimizer (a teleprompter) run with a live view
# and a veto.
#
# The first part trains against a small **scripted stand-in** for a language model, so
# every number below is exactly reproducible (the notebook is tested that way). The last
# part runs the same loop on the real embedded model, SmolLM2-135M: slower, and its
# numbers change from machine to machine.

# %%
import json

import synalinks_nb as sn

sn.set_seed(7)  # shuffling and the optimizer's random draws are reproducible

# %% [markdown]
# ## The task and its data
# A tiny general-knowledge quiz: 8 questions to train on, 4 held out to measure. In real
# use you want more examples; the mechanics are the same. `x` holds the program's inputs and
# `y` the expected outputs, each a `DataModel`, as in Keras.

# %%
class Question(sn.DataModel):
    question: str = sn.Field(description="A general-knowledge question")


class Answer(sn.DataModel):
    answer: str = sn.Field(description="The answer, as short as possible")


QUIZ = [
    ("What is the capital of France?", "Paris"),
    ("How many legs does a spider have?", "8"),
    ("Which planet is known as the Red Planet?", "Mars"),
    ("What is the largest ocean on Earth?", "Pacific"),
    ("How many days are there in a week?", "7"),
    ("Who wrote Romeo and Juliet?", "Shakespeare"),
    ("What is the chemical symbol for gold?", "Au"),
    ("How many continents are there?", "7"),
    # held out
    ("What is the capital of Japan?", "Tokyo"),
    ("How many sides does a hexagon have?", "6"),
    ("What gas do plants take in from the air?", "CO2"),
    ("Who discovered penicillin?", "Fleming"),
]
x = [Question(question=q) for q, _ in QUIZ]
y = [Answer(answer=a) for _, a in QUIZ]
x_train, y_train, x_test, y_test = x[:8], y[:8], x[8:], y[8:]
len(x_train), len(x_test)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## A stand-in model that behaves like a small one
# `ScriptedLanguageModel(handler=...)` answers with a Python function instead of a neural
# network, and goes through the same schema validation as a real model. This one imitates
# a habit of small models: it **knows the facts** (all but one) **but answers in full
# sentences**, except for numbers. It also imitates **in-context learning**: when most of
# the few-shot examples in its prompt answer in a single word, so does it. The Generator
# sends each example as a user turn (the input) and an assistant turn (the answer, JSON),
# which is what the function reads.

# %%
FACTS = {
    "What is the capital of France?": "The capital of France is Paris.",
    "How many legs does a spider have?": "8",
    "Which planet is known as the Red Planet?": "Mars is known as the Red Planet.",
    "What is the largest ocean on Earth?": "The largest ocean on Earth is the Pacific.",
    "How many days are there in a week?": "7",
    "Who wrote Romeo and Juliet?": "Romeo and Juliet was written by Shakespeare.",
    "What is the chemical symbol for gold?": "The chemical symbol for gold is Au.",
    "How many continents are there?": "7",
    "What is the capital of Japan?": "The capital of Japan is Tokyo.",
    "How many sides does a hexagon have?": "6",
    "What gas do plants take in from the air?": "Plants take in CO2 from the air.",
}
SHORT = dict(QUIZ)


def small_model(messages, schema):
    question = json.loads(messages[-1]["content"])["question"]
    sentence = FACTS.get(question, "I am not sure.")
    shown = [json.loads(m["content"]) for m in messages[1:-1] if m["role"] == "assistant"]
    terse = sum(len(example["answer"].split()) == 1 for example in shown)
    answer = sentence
    if question in FACTS and shown and terse > len(shown) / 2:
        answer = SHORT[question]  # imitate the examples' style
    return {"thinking": f"I recall: {sentence}", "answer": answer}


lm = sn.ScriptedLanguageModel(handler=small_model, name="small_model")

# %% [markdown]
# The program is the quickstart's: a `ChainOfThought` that writes its `thinking` before
# its `answer`.

# %%
inputs = sn.Input(data_model=Question)
outputs = await sn.ChainOfThought(data_model=Answer, language_model=lm)(inputs)
program = sn.Program(inputs=inputs, outputs=outputs, name="quiz")
(await program(x_test[0])).get_json()  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Right fact, wrong shape: the quiz expects `"Tokyo"`.
#
# ## Rewards: the score that training maximises
# A reward compares the expected output with a prediction and returns a number in
# [0, 1]. `ExactMatch` gives 1.0 for identical JSON. Both sides are masked first:
# `in_mask=["answer"]` keeps only the `answer` field, so the free-form `thinking` does not
# count.

# %%
reward = sn.rewards.ExactMatch(in_mask=["answer"])
prediction = {"thinking": "...", "answer": "The capital of Japan is Tokyo."}
print(await reward(Answer(answer="Tokyo"), prediction))  # NBVAL_CHECK_OUTPUT
print(await reward(Answer(answer="Tokyo"), {"thinking": "...", "answer": "Tokyo"}))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# A reward can also be a plain function of the two JSON dicts (sync or async), and
# `compile` accepts string ids for the built-ins (`"exact_match"`, `"cosine_similarity"`,
# `"lm_as_judge"`). For instance, a lenient reward that only asks for the right word
# somewhere in the answer:

# %%
def mentions_answer(y_true, y_pred):
    return float(y_true["answer"].lower() in y_pred["answer"].lower())


print(await sn.rewards.get(mentions_answer)(Answer(answer="Tokyo"), prediction))  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# That one would be too lenient for our goal (short answers), so we keep `ExactMatch`.
#
# ## Metrics: numbers you watch, never optimise
# Metrics are reported next to the reward in every log. `F1Score` counts the words the
# prediction shares with the expected answer, so a sentence that contains the answer gets
# partial credit: a useful "how close are we" while the exact-match reward is still 0.

# %%
f1 = sn.metrics.F1Score(in_mask=["answer"])
await f1.update_state(Answer(answer="Tokyo"), prediction)
round(f1.result(), 3)  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## `compile`
# `compile` ties the program to its reward, its optimizer and its metrics.
# `RandomFewShot` keeps a pool of the program's own best-scored predictions and proposes
# a few of them as few-shot examples (DSPy's bootstrapped few-shot, Synalinks' optimizer of
# the same name).

# %%
program.compile(
    reward=sn.rewards.ExactMatch(in_mask=["answer"]),
    optimizer=sn.optimizers.RandomFewShot(nb_max_examples=3),
    metrics=[sn.metrics.F1Score(in_mask=["answer"])],
)

# %% [markdown]
# ## `evaluate` before training
# `evaluate` runs the program on every sample, `batch_size` (default 32) at a time as a
# sliding window, and returns the mean reward, the metrics, and how many samples failed.

# %%
before = await program.evaluate(x_test, y_test)
{k: round(v, 3) for k, v in before.items()}  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Only the hexagon question (a number) is answered the expected way.
#
# ## `fit`, with the live dashboard
# `TrainingDashboard` is a callback: display it, then pass it to `fit`. While training runs
# it draws the reward per batch (and per epoch on the validation data), the language-model
# usage, every proposal with its reward before and after, and the variable's versions.
#
# What happens on each batch of 4 questions:
#
# 1. the program answers them (training mode records each prediction);
# 2. the reward scores each answer;
# 3. the optimizer proposes a new value for the variable: few-shot examples made of the
#    program's own answers that scored well, and of the labels `y` you gave;
# 4. the proposal is scored on **the same 4 questions**; one that does not score higher
#    is discarded on the spot;
# 5. one that does is **confirmed** on validation data: a lucky batch is not enough (an
#    example copied from the batch itself can win there and lose everywhere else);
# 6. an **approval policy** decides whether the variable changes.
#
# The validation data is `validation_data=(x_val, y_val)` when you have some. Without it,
# `fit` holds out the last quarter of `x_train` to confirm proposals (and does not train
# on it); with only 8 questions that would leave too few on either side, so here the whole
# training set confirms. At the end, `fit` keeps the best state it saw on that data,
# the starting one included (Keras' `restore_best_weights`). `acceptance="batch"` turns
# the confirmation off.
#
# The default approval is `"auto"`: when the dashboard is on screen in a live notebook it
# asks *you*, with **Accept**, **Edit** and **Reject** buttons (the next notebook is about
# that); when nobody can answer (a headless run, like the tests of this notebook) it
# accepts. Every decision is recorded either way.

# %%
dashboard = sn.notebook.TrainingDashboard(program)
dashboard

# %%
history = await program.fit(
    x_train, y_train,
    epochs=2, batch_size=4,
    callbacks=[dashboard],
    verbose=0,  # the dashboard replaces the progress bar
)
history

# %% [markdown]
# Displaying the dashboard again shows its final state (this static copy is also what
# GitHub renders).

# %%
dashboard

# %% [markdown]
# ## What happened: `History`
# `history.history` holds one value per epoch, Keras-style (with `validation_data`, `val_`
# keys hold the validation scores).

# %%
{key: [round(v, 3) for v in values] for key, values in history.history.items()}  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Every proposal is recorded with its outcome, who decided and why.

# %%
for p in history.proposals:  # NBVAL_CHECK_OUTPUT
    confirmed = "" if p["val_reward_after"] is None else \
        f", validation {p['val_reward_before']:.2f} -> {p['val_reward_after']:.2f}"
    print(f"epoch {p['epoch']} batch {p['batch']}: batch {p['reward_before']:.2f} -> "
          f"{p['reward_after']:.2f}{confirmed}  accepted={p['accepted']}  ({p['reason']})")

# %% [markdown]
# `history.to_dataframe()` gives a pandas table and `history.plot()` a plotly figure of the
# reward and metrics per batch (lines) and per epoch (markers).

# %%
history.to_dataframe()

# %%
history.plot()

# %% [markdown]
# ## What the optimizer changed
# The variable now holds few-shot examples: answers the program gave itself and that
# scored 1.0. Every change is a version, with its provenance.

# %%
variable = program.trainable_variables[0]
[ex["outputs"]["answer"] for ex in variable.value["examples"]]  # NBVAL_CHECK_OUTPUT

# %%
[(v.index, v.source, v.decided_by, v.reward_before, v.reward_after, v.val_reward_before,
  v.val_reward_after) for v in variable.versions]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# And these are the messages the model now receives: the instructions, each example as a
# user turn and the answer it should give, then the question.

# %%
for message in program.get_module("chain_of_thought").format_messages(x_test[0]):  # NBVAL_CHECK_OUTPUT
    print(f"{message['role']:>9}: {message['content']}")

# %% [markdown]
# ## `evaluate` after training, and `predict`
# The held-out questions were never trained on.

# %%
after = await program.evaluate(x_test, y_test)
{k: round(v, 3) for k, v in after.items()}  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# Penicillin is still wrong: examples teach a style, not facts the model does not know.
# `predict` returns one output per input (a `PredictionFailure` where a sample failed,
# instead of stopping the whole batch).

# %%
predictions = await program.predict([Question(question="What is the capital of Japan?"),
                                     Question(question="How many legs does a spider have?")])
[p["answer"] for p in predictions]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## The same loop on the real embedded model
# Now SmolLM2-135M, running in this process, on a real task: the topic of a news headline.
# `sn.datasets.headlines` ships with the package (written for it: 24 headlines to train on,
# 16 to validate, 48 to test). The output is a `Literal` of five topics, so decoding is
# constrained to them. Expect a few minutes on a laptop, and numbers that differ from one
# machine to the next: nothing below is checked by the tests. On the 2-core development
# machine the test score went from 0.71 to 0.92, with 160 calls of training
# (`bench/README.md` has the measurements).
#
# The reward and optimizer are given by their string ids this time.

# %%
from synalinks_nb.datasets import headlines

(h_train, t_train), (h_val, t_val), (h_test, t_test) = headlines.load_data()
smollm = sn.LanguageModel("local/smollm2", temperature=0.0)
inputs = sn.Input(data_model=headlines.Headline)
outputs = await sn.Generator(data_model=headlines.Topic, language_model=smollm,
                             instructions="Classify the topic of the news headline.")(inputs)
classifier = sn.Program(inputs=inputs, outputs=outputs, name="topics")
classifier.compile(reward="exact_match", optimizer="random_few_shot")

await classifier.evaluate(h_test, t_test)

# %%
real_dashboard = sn.notebook.TrainingDashboard(classifier)
real_dashboard

# %%
real_history = await classifier.fit(h_train, t_train, epochs=2, batch_size=8,
                                    validation_data=(h_val, t_val),
                                    callbacks=[real_dashboard], verbose=0)
real_history.proposals_dataframe()[["epoch", "batch", "reward_before", "reward_after",
                                    "val_reward_before", "val_reward_after", "accepted",
                                    "reason"]]

# %%
real_dashboard

# %% [markdown]
# Read the table: a proposal must beat the current prompt on its own batch of 8, then on
# the 16 validation headlines, before anyone is asked. One that is merely lucky on its batch
# is caught by the second check: that is what keeps a noisy optimizer from making a program
# worse. What is kept are a few examples, shown to the model as user/assistant turns:

# %%
classifier.trainable_variables[0].value["examples"]

# %%
await classifier.evaluate(h_test, t_test)

# %% [markdown]
# `smollm.usage` counts calls, tokens and time per phase (`inference`, `reward`,
# `optimizer`). The embedded model is free; notebook 6 shows costs on a hosted provider.

# %%
smollm.usage

# %% [markdown]
# ### The cheapest start: labels as examples, no call at all
# Training found examples by running the model. The labels you already have are examples
# too: `LabeledFewShot` (DSPy's name) shows `k` training headlines with their topics and
# never calls the model to pick them. With `acceptance="batch"` and no validation data,
# its draw is not checked either, so `fit` makes **no call**; with validation data it is
# checked like any proposal. Drawn labels cover distinct answers first: a classifier
# shown one topic twice and none of two others answers mostly with what it saw. On the
# development machine this took the test score from 0.71 to 0.90 with no call, against
# 0.92 for the search above with 160; the search can start from here.

# %%
inputs = sn.Input(data_model=headlines.Headline)
outputs = await sn.Generator(data_model=headlines.Topic, language_model=smollm,
                             instructions="Classify the topic of the news headline.")(inputs)
labelled = sn.Program(inputs=inputs, outputs=outputs, name="labelled_topics")
labelled.compile(reward="exact_match", optimizer=sn.optimizers.LabeledFewShot(k=4))
calls_before = smollm.usage.total.calls
await labelled.fit(h_train, t_train, epochs=1, batch_size=8, acceptance="batch",
                   approval="accept", verbose=0)
print("calls made by fit:", smollm.usage.total.calls - calls_before)  # NBVAL_CHECK_OUTPUT
[e["outputs"]["topic"] for e in labelled.trainable_variables[0].value["examples"]]

# %%
await labelled.evaluate(h_test, t_test)

# %% [markdown]
# ## See inside: a failing sample, its trace, a fix, and a comparison
# A mean reward says *how much* is wrong, not *what*. In a notebook every call of a
# program is **traced**: for each module call, the messages the model received, its raw
# answer, the parsed JSON, any rejected answer and the repair attempt, latency, tokens,
# and the version of each variable used. The last 500 calls are kept (`sn.config.traces`;
# outside notebooks tracing is off unless `SYNALINKS_NB_TRACES=on` or
# `sn.config.traces.configure(enabled=True)`).
#
# A new stand-in for this part: it **follows its instructions**, answering in full
# sentences unless its system prompt asks for a single word.

# %%
def instructed_model(messages, schema):
    question = json.loads(messages[-1]["content"])["question"]
    sentence = FACTS.get(question, "I am not sure.")
    terse = "one word" in messages[0]["content"]
    answer = SHORT[question] if terse and question in FACTS else sentence
    return {"thinking": f"I recall: {sentence}", "answer": answer}


inputs = sn.Input(data_model=Question)
outputs = await sn.ChainOfThought(
    data_model=Answer, instructions="Answer the question.",
    language_model=sn.ScriptedLanguageModel(handler=instructed_model, name="instructed"),
)(inputs)
careful = sn.Program(inputs=inputs, outputs=outputs, name="careful")
careful.compile(reward=sn.rewards.ExactMatch(in_mask=["answer"]))

# %% [markdown]
# `evaluate(..., return_results=True)` returns one row per sample, in the order of the
# inputs, each with its expected and predicted output, reward, error and trace
# (`results.logs` is the usual dict; `results.to_dataframe()` a pandas table).

# %%
results = await careful.evaluate(x_test, y_test, return_results=True)
results  # NBVAL_CHECK_OUTPUT

# %%
[(row.index, row.reward, row.predicted["answer"]) for row in results.failures()]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# `TraceViewer` shows the rows: sort them by reward, keep the failures, and **Open trace**
# on a row to read every module call of that sample, the prompt and the answer.

# %%
sn.notebook.TraceViewer(results)

# %% [markdown]
# The same trace as text: which module ran, with which version of its variable, what the
# model was sent and what it answered. (`sn.inspect_history(n)` prints the last `n` model
# calls this way, in a terminal too.)

# %%
trace = results.failures()[0].trace
for span in trace.spans:  # NBVAL_CHECK_OUTPUT
    print(span.module, [str(v) for v in span.variables])
call = trace.lm_calls[0]
for message in call.messages:  # NBVAL_CHECK_OUTPUT
    print(f"{message['role']:>9}: {message['content'][:70]}")
print("   answer:", call.raw_text()[0])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# The model knew the answer and wrote a sentence: nothing in the prompt asks for one
# word. Fix the instructions by hand (a new version, recorded as a human edit)...

# %%
variable = careful.trainable_variables[0]
variable.assign({"instructions": "Answer the question with one word or one number.",
                 "examples": []}, source="human")
[(v.index, v.source) for v in variable.versions]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ...and compare the two versions on the same data. `compare_versions` evaluates each
# version without changing the variable (each is overlaid for its own evaluation only)
# and says which samples flipped: **fixed** (wrong, then right) or **broken** (right,
# then wrong). Two evaluations of two different programs compare the same way:
# `results_a.compare(results_b)`.

# %%
comparison = await sn.trainers.compare_versions(careful, x_test, y_test, variable,
                                                before=0, after=1)
comparison  # NBVAL_CHECK_OUTPUT

# %%
for row in comparison.rows:  # NBVAL_CHECK_OUTPUT
    print(f"{row.status:>6}: {row.before.predicted['answer']!r} -> "
          f"{row.after.predicted['answer']!r}")

# %% [markdown]
# Two samples fixed, none broken; penicillin stays wrong, since instructions cannot teach
# a fact the model does not know. The viewer shows the pairs side by side (**Flipped**
# keeps the changed ones) and opens the trace of either side.

# %%
sn.notebook.TraceViewer(comparison)

# %% [markdown]
# ## Recap
# - A **reward** scores a prediction against the truth, in [0, 1]; masks choose the fields.
#   **Metrics** are reported, never optimised.
# - `compile(reward=..., optimizer=..., metrics=...)`, then `await fit(...)`,
#   `await evaluate(...)`, `await predict(...)`.
# - Each proposal is scored on the batch it came from, confirmed on validation data, and an
#   approval policy decides; the **dashboard** shows it all live, `History` keeps it.
# - Next: [4. Human in the loop](04_human_in_the_loop.ipynb) — deciding on proposals
#   yourself, editing them, and going back to earlier versions.
