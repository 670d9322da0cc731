# %% [markdown]
# # 4. Human in the loop: approving, editing, rejecting, reverting
#
# During `fit`, an optimizer **proposes** new values for the program's trainable variables
# (instructions, few-shot examples). Each proposal is scored on the batch it came from,
# then an **approval policy** decides, and only then does the variable change:
#
# ```
# optimizer proposes → scored before/after on the same batch → approval policy → new version
# ```
#
# The policy can be you, clicking in the training dashboard; a function of yours; or a
# fixed rule. Whoever decides, the decision is recorded, and every change to a variable is
# a **version** you can go back to. This notebook shows each of these, first with the
# dashboard (for you, in a live notebook), then in code (so the outputs below are real
# outcomes, reproducible and tested).

# %%
import asyncio
import json
import os

import synalinks_nb as sn

# %% [markdown]
# One thing first. Headless runs of the tutorials (our tests, `scripts/start.sh
# --headless`) set the environment variable `SYNALINKS_NB_APPROVAL=accept`, which
# **overrides every policy given in code** so that no cell ever waits for a click. This
# notebook is about who decides, so it clears the variable; the section on the override
# puts it back for a moment.

# %%
headless_override = os.environ.pop("SYNALINKS_NB_APPROVAL", None)

# %% [markdown]
# ## A program to train
# The quiz and the stand-in model of [notebook 3](03_training.ipynb): a scripted function
# that knows the facts but answers in full sentences, unless most of the few-shot examples
# in its prompt answer in a single word. `make_program()` builds a fresh, untrained copy
# each time we need one.

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
}
x_train = [Question(question=q) for q in QUIZ]
y_train = [Answer(answer=short) for _, short in QUIZ.values()]


def small_model(messages, schema):
    question = json.loads(messages[-1]["content"])["question"]
    sentence, short = QUIZ[question]
    shown = [json.loads(m["content"]) for m in messages[1:-1] if m["role"] == "assistant"]
    terse = sum(len(example["answer"].split()) == 1 for example in shown)
    answer = short if shown and terse > len(shown) / 2 else sentence
    return {"thinking": f"I recall: {sentence}", "answer": answer}


async def make_program(name, only_improvements=True):
    lm = sn.ScriptedLanguageModel(handler=small_model)
    inputs = sn.Input(data_model=Question)
    outputs = await sn.ChainOfThought(data_model=Answer, language_model=lm,
                                      name="answer")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name=name)
    program.compile(reward=sn.rewards.ExactMatch(in_mask=["answer"]),
                    optimizer=sn.optimizers.RandomFewShot(
                        nb_max_examples=3, only_improvements=only_improvements))
    return program

# %% [markdown]
# ## The approval modes
# `fit(..., approval=...)` takes:
#
# | `approval=` | who decides |
# |---|---|
# | `"auto"` (default) | you, if a dashboard is displayed and answers; otherwise the fallback (accept) |
# | `"human"` | you, through the dashboard; if it cannot be reached, the fallback, with a warning |
# | `"accept"` / `"reject"` | a fixed rule |
# | a function `proposal -> bool \| dict \| Decision` (may be `async`) | your code |
# | `sn.ApprovalPolicy(mode, timeout=600, on_timeout="accept", fallback="accept")` | any of the above, with its timeout and fallbacks spelt out |
#
# A proposal the optimizer could not improve with (it did not score higher on its batch)
# is discarded before the policy is asked, unless the optimizer is created with
# `only_improvements=False`.
#
# ## Deciding with the dashboard
# Display the dashboard, then run `fit` with it in the callbacks. When a proposal is
# ready, training pauses and the dashboard shows the current value next to the proposal (a
# diff), the rewards before and after, and the graph node it belongs to, with buttons:
#
# - **Accept** — apply the proposal;
# - **Edit** — change the JSON before applying it (it is checked against the variable's
#   schema; an invalid edit is refused with the reason, and the proposal stays pending);
# - **Reject** — keep the current value;
# - **Accept all remaining** — stop asking for the rest of this `fit`;
# - **Stop** — end training after the current batch.
#
# Here nobody may be watching, so the policy below says what happens then: a proposal left
# unanswered for 5 minutes is rejected. In a headless run the dashboard cannot answer at
# all: after a 3-second check the fallback (accept) decides and a banner says why.

# %%
program = await make_program("quiz")
dashboard = sn.notebook.TrainingDashboard(program)
dashboard

# %%
history = await program.fit(
    x_train, y_train, epochs=1, batch_size=4, callbacks=[dashboard], verbose=0,
    approval=sn.ApprovalPolicy("human", timeout=300, on_timeout="reject"),
)
history.approval

# %%
[(p["accepted"], p["decided_by"], p["reason"]) for p in history.proposals]

# %% [markdown]
# ### Where clicks work: the support matrix
# A click is a message from the browser to the kernel. Whether the kernel handles it while
# a cell is still running `await program.fit(...)` depends on its version:
#
# | ipykernel | frontend | clicks during `await program.fit(...)` |
# |---|---|---|
# | ≥ 7.4 | any (JupyterLab, Notebook 7, VS Code...) | yes |
# | 7.0 – 7.3 | JupyterLab ≥ 4.4 or Notebook 7 (they send clicks on a *subshell*) | yes |
# | 7.0 – 7.3 | other frontends | no: use `run_in_background` |
# | 6.x | any | no: use `run_in_background` |
#
# `fit` is a coroutine and must be awaited: a blocking loop would never see a click on any
# kernel. The notebook extra of synalinks_nb asks for `ipykernel>=7.4`. This kernel runs:

# %%
import ipykernel

ipykernel.__version__

# %% [markdown]
# On older kernels, `sn.notebook.run_in_background(...)` starts `fit` on the kernel's event
# loop and lets the cell return at once; clicks are then handled between training steps.
# The handle reports its `status`, can be `cancel()`-ed, and is awaited in a later cell
# for the `History`. It works on every kernel:

# %%
background_program = await make_program("quiz_background")
background_dashboard = sn.notebook.TrainingDashboard(background_program)
run = sn.notebook.run_in_background(
    background_program.fit(x_train, y_train, epochs=1, batch_size=4,
                           callbacks=[background_dashboard], verbose=0))
background_dashboard

# %%
background_history = await run
run.status, background_history  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Deciding in code
# A function makes the same decisions a person would, every time, and leaves a record.
# It receives a `Proposal` (`variable_path`, `before`, `after`, `reward_before`,
# `reward_after`, `epoch`, `batch`, the optimizer's `note`) and returns:
#
# - `True` to accept, `False` to reject;
# - a **dict** to accept an **edited** value instead of the proposed one;
# - or a `sn.trainers.Decision(accepted, value=None, reason="...")` to give a reason (not to
#   be confused with `sn.Decision`, the control-flow module).
#
# This reviewer rejects what scored worse, trims long lists of examples to two, and
# accepts the rest. We turn off the optimizer's own "improvements only" filter so it sees
# every proposal.

# %%
def reviewer(proposal):
    examples = proposal.after["examples"]
    print(f"epoch {proposal.epoch} batch {proposal.batch}: {len(examples)} example(s), "
          f"reward {proposal.reward_before:.2f} -> {proposal.reward_after:.2f}")
    if proposal.reward_after < proposal.reward_before:
        return sn.trainers.Decision(False, reason="worse on its batch")
    if len(examples) > 2:
        return {**proposal.after, "examples": examples[:2]}  # an edit
    return True


sn.set_seed(21)
reviewed = await make_program("quiz_reviewed", only_improvements=False)
history = await reviewed.fit(x_train, y_train, epochs=2, batch_size=4, verbose=0,  # NBVAL_CHECK_OUTPUT
                             approval=reviewer)

# %% [markdown]
# The history records each outcome and who decided (`"policy"`: a function is a policy).

# %%
for p in history.proposals:  # NBVAL_CHECK_OUTPUT
    outcome = "edited" if p["edited"] else "accepted" if p["accepted"] else "rejected"
    print(f"epoch {p['epoch']} batch {p['batch']}: {outcome:<8} by {p['decided_by']} "
          f"({p['reason']})")

# %% [markdown]
# And the variable has one version per applied change: `source` says where a value came
# from (`init`, `optimizer`, `edit`, `human`, `revert`, `load`) and `decided_by` who let it
# in. An edited value was never scored, so its `reward_after` is empty.

# %%
variable = reviewed.get_variable("answer/instructions")
for v in variable.versions:  # NBVAL_CHECK_OUTPUT
    print(v.index, v.source, v.decided_by, v.reward_before, v.reward_after,
          [e["outputs"]["answer"] for e in v.value["examples"]])

# %% [markdown]
# ### Edits are checked
# An edited value must match the variable's JSON schema. One that does not is turned
# into a rejection, with the reason, and the variable does not change:

# %%
def careless_editor(proposal):
    return {"instructions": "Answer in one word.", "examples": "none"}  # examples must be a list


program = await make_program("quiz_careless", only_improvements=False)
history = await program.fit(x_train[:4], y_train[:4], epochs=1, batch_size=4, verbose=0,
                            approval=careless_editor)
print(history.proposals[0]["accepted"], len(program.trainable_variables[0].versions))  # NBVAL_CHECK_OUTPUT
print(history.proposals[0]["reason"])  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## Timeouts
# A human request waits at most `timeout` seconds; then `on_timeout` decides and the
# decision is recorded as `decided_by="timeout"`. To show it without making you wait, here
# is a stand-in for a reviewer who is away from the keyboard. The dashboard is one
# *transport* for human decisions; anything with an async `probe()` (is someone there?) and
# an async `request_decision(proposal)` can be one — a chat bot, a ticket queue.

# %%
class AwayFromKeyboard(sn.Callback):
    """Says a human is there, then never answers."""

    async def probe(self):
        return True

    async def request_decision(self, proposal):
        await asyncio.Event().wait()  # forever


program = await make_program("quiz_timeout", only_improvements=False)
history = await program.fit(
    x_train[:4], y_train[:4], epochs=1, batch_size=4, verbose=0,
    callbacks=[AwayFromKeyboard()],
    approval=sn.ApprovalPolicy("human", timeout=0.5, on_timeout="reject"),
)
p = history.proposals[0]
p["accepted"], p["decided_by"], p["reason"]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## The `SYNALINKS_NB_APPROVAL` override
# Set to `auto`, `human`, `accept` or `reject`, this environment variable wins over the
# `approval=` given in code, so a notebook full of `approval="human"` can run unattended
# in CI or with papermill. The run records that it was overridden, and the dashboard shows
# a banner saying so.

# %%
os.environ["SYNALINKS_NB_APPROVAL"] = "reject"
try:
    program = await make_program("quiz_override", only_improvements=False)
    history = await program.fit(x_train[:4], y_train[:4], epochs=1, batch_size=4, verbose=0,
                                approval=reviewer)
finally:
    del os.environ["SYNALINKS_NB_APPROVAL"]
history.approval, [p["accepted"] for p in history.proposals]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# (The reviewer printed nothing: with the override in force, it was never asked.)
#
# ## Going back: versions and revert
# Every assignment is validated and kept. `variable.revert(i)` makes version `i`'s value
# current again **as a new version** (history is never rewritten), so a revert can itself
# be undone. A person can also assign a value directly; it is recorded as `source="human"`.

#
# Back to the program the reviewer trained:

# %%
variable.revert(0)  # back to the initial value
variable.assign({"instructions": "Answer with one word or one number.", "examples": []},
                source="human", decided_by="human")
[(v.index, v.source, v.note) for v in variable.versions]  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# `sn.notebook.VariableHistory` shows the same, with a diff between any two versions and a
# **Revert** button on each row; **Edit** changes the current value (validated, recorded as
# `human`). It works outside `fit`, and the training dashboard has the same Revert buttons
# in its own version list.

# %%
sn.notebook.VariableHistory(reviewed)

# %% [markdown]
# Invalid values never get in, whoever tries:

# %%
try:
    variable.assign({"instructions": 42}, source="human")
except sn.errors.InvalidVariableValueError as error:
    print(type(error).__name__, "-", len(variable.versions), "versions, unchanged")  # NBVAL_CHECK_OUTPUT

# %% [markdown]
# ## A reflective optimizer explains itself: GEPA
# Few-shot examples are one way to teach; words are another. `sn.optimizers.GEPA` (after
# [GEPA](https://arxiv.org/abs/2507.19457)) rewrites the **instructions**: a reflection
# model reads this batch's failing samples — the input, the answer, the expected answer and
# the reward's **feedback** — and proposes new instructions, saying why. That reflection
# travels with the proposal and the dashboard's card shows it as **"Why this change"**,
# next to the reward on the batch and on the validation data, so you judge the reasoning as
# well as the numbers before you click.
#
# Rewards give feedback by returning `sn.rewards.Feedback(score, "text")` (or a
# `(score, "text")` pair) instead of a float; `ExactMatch` already says
# `expected ..., got ...`. GEPA keeps every candidate confirmed on validation data that is
# the best on at least one validation sample (a Pareto front) and reflects on those.
#
# Without `language_model=`, GEPA reflects with the program's own model. In real use give it
# a stronger one, e.g. `GEPA(language_model="openai/gpt-4o-mini")`. Here a scripted model
# plays both parts: the quiz model, which now answers in one word only when its
# instructions ask for it, and a reflection that can find that rule only in the feedback.

# %%
def quiz_and_reflection(messages, schema):
    if "reflection" in schema["properties"]:  # GEPA asking for new instructions
        for sample in json.loads(messages[-1]["content"])["samples"]:
            expected = sample["expected"]["answer"]
            if expected in sample["feedback"] and expected in sample["answer"]["answer"]:
                return {"reflection": f"The feedback expects {expected!r}, a single word, "
                                      "where the answer was a whole sentence containing it.",
                        "instructions": "Answer with the single word or number that answers "
                                        "the question, never a sentence."}
        return {"reflection": "Nothing to learn from these samples.",
                "instructions": "Answer the question."}
    sentence, short = QUIZ[json.loads(messages[-1]["content"])["question"]]
    one_word = "single word" in messages[0]["content"]
    return {"thinking": f"I recall: {sentence}", "answer": short if one_word else sentence}


async def make_reflective_program():
    lm = sn.ScriptedLanguageModel(handler=quiz_and_reflection)
    inputs = sn.Input(data_model=Question)
    outputs = await sn.ChainOfThought(data_model=Answer, language_model=lm,
                                      name="answer")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="quiz_gepa")
    program.compile(reward=sn.rewards.ExactMatch(in_mask=["answer"]),
                    optimizer=sn.optimizers.GEPA())
    return program


gepa_program = await make_reflective_program()
gepa_dashboard = sn.notebook.TrainingDashboard(gepa_program)
gepa_dashboard

# %% [markdown]
# Train on four questions and confirm on the other four. The proposal waits for you in the
# dashboard above, with its "why"; unattended (as when these notebooks are tested), the
# fallback accepts it.

# %%
gepa_history = await gepa_program.fit(
    x_train[:4], y_train[:4], epochs=1, batch_size=4, verbose=0,
    validation_data=(x_train[4:], y_train[4:]), callbacks=[gepa_dashboard],
    approval=sn.ApprovalPolicy("human", timeout=300, on_timeout="reject"),
)

# %% [markdown]
# What was proposed, how it scored, and why:

# %%
for p in gepa_history.proposals:  # NBVAL_CHECK_OUTPUT
    print(f"{p['note']}: batch {p['reward_before']:.2f} -> {p['reward_after']:.2f}, "
          f"validation {p['val_reward_before']:.2f} -> {p['val_reward_after']:.2f}")
    print("why:", p["rationale"])
    print("new instructions:", p["after"]["instructions"])

# %% [markdown]
# The record keeps the reflection, the scores and the version the proposal was derived from
# (`parent_version`); each version says where it came from and who let it in.

# %%
gepa_variable = gepa_program.get_variable("answer/instructions")
[(v.index, v.source, v.decided_by, v.val_reward_after) for v in gepa_variable.versions]  # NBVAL_CHECK_OUTPUT

# %%
if headless_override is not None:  # leave the environment as we found it
    os.environ["SYNALINKS_NB_APPROVAL"] = headless_override

# %% [markdown]
# ## Recap
# - The approval policy sits between "proposal scored" and "variable changed":
#   `"auto"`, `"human"`, `"accept"`, `"reject"`, a function, or an `ApprovalPolicy` with
#   `timeout`, `on_timeout` and `fallback`.
# - In the dashboard: **Accept**, **Edit**, **Reject**, **Accept all remaining**, **Stop**,
#   and **Revert** on any version. Clicks reach a running `fit` on ipykernel ≥ 7.4 (any
#   frontend) or 7.0–7.3 with JupyterLab ≥ 4.4 / Notebook 7; otherwise use
#   `sn.notebook.run_in_background`.
# - `SYNALINKS_NB_APPROVAL` overrides everything for unattended runs.
# - Every change is a validated version with its source and decider; `revert(i)` goes back.
# - `GEPA` proposes instructions from the rewards' feedback and says why; the card shows
#   that reflection with the batch and validation scores.
# - Next: [5. Saving and sharing](05_saving_and_sharing.ipynb).
