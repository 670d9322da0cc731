"""The notebook the browser tests open, written with nbformat into the server's root.

A program that classifies items into four categories, with a scripted model
(deterministic, no network): ``classify`` (trainable Generator) answers
correctly only when its prompt holds enough few-shot examples of the item's
category, so RandomFewShot's proposals move the reward; ``explain`` is a
frozen Generator, so every batch brings exactly one proposal, for
``classify/instructions``: 3 epochs of 4 batches (24 training examples in
batches of 6, 8 for validation). Every scripted call waits ``LATENCY`` seconds:
a batch takes about four of them (forward pass, then the proposal's score),
so the fit cell runs for several seconds besides the human decisions.

Cells print one ``TAG {json}`` line each that the tests parse
(:func:`tagged`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat

from .jupyterlab_server import KERNEL_NAME

__all__ = ["CELL", "LATENCY", "tagged", "write_notebook"]

LATENCY = 0.15

SETUP = """\
import json, sys
import synalinks_nb as sn
from synalinks_nb import optimizers

sn.config.set_seed(4)
ITEMS = {
    "fruit": ["apple", "mango", "kiwi", "plum", "fig", "pear", "lime", "date"],
    "animal": ["otter", "lynx", "heron", "yak", "newt", "ibis", "mole", "wren"],
    "color": ["teal", "amber", "ochre", "cyan", "mauve", "navy", "rust", "jade"],
    "country": ["Chile", "Nepal", "Ghana", "Peru", "Laos", "Oman", "Fiji", "Chad"],
}

class Query(sn.DataModel):
    item: str = sn.Field(description="The item to classify")

class Label(sn.DataModel):
    label: str = sn.Field(description="The item's category, in capitals")

class Explanation(sn.DataModel):
    explanation: str = sn.Field(description="One sentence saying why")

def category_of(item):
    return next(c for c, items in ITEMS.items() if item in items)

def teacher(messages, schema):
    \"\"\"Right when the prompt shows enough rightly labelled examples of the category.\"\"\"
    query = json.loads(messages[-1]["content"])
    category = category_of(query["item"])
    if "explanation" in schema["properties"]:
        return {"explanation": f"{query['item']} is a kind of {category}."}
    shown = messages[0]["content"].count(f'"{category.upper()}"')
    needed = ITEMS[category].index(query["item"]) % 3
    return {"label": category.upper() if shown >= needed else "UNKNOWN"}

lm = sn.ScriptedLanguageModel(handler=teacher, latency=LATENCY)
inputs = sn.Input(data_model=Query)
label = await sn.Generator(data_model=Label, language_model=lm, name="classify",
                           instructions="Name the category of the item.")(inputs)
explanation = await sn.Generator(data_model=Explanation, language_model=lm, name="explain",
                                 instructions="Explain the label in one sentence.",
                                 trainable=False)(inputs & label)
program = sn.Program(inputs=inputs, outputs=label & explanation, name="item_classifier")
program.compile(reward=sn.rewards.ExactMatch(in_mask=["label"]),
                optimizer=optimizers.RandomFewShot(nb_min_examples=3, nb_max_examples=6,
                                                   sampling_temperature=0.3,
                                                   only_improvements=False))
# Categories interleaved: the validation split (the last quarter) holds all four.
xs = [Query(item=items[i]) for i in range(8) for items in ITEMS.values()]
ys = [Label(label=category_of(x.item).upper()) for x in xs]
var = program.get_variable("classify/instructions")
print("SETUP", json.dumps({"python": sys.executable,
                           "nodes": [n["id"] for n in program.graph()["nodes"]],
                           "value": var.get_json()}))
"""

GRAPH = "program"

DASHBOARD = """\
dash = sn.notebook.TrainingDashboard(program)
dash
"""

FIT = """\
history = await program.fit(xs, ys, epochs=3, batch_size=6, validation_split=0.25, verbose=0,
                            callbacks=[dash], approval="human")
print("FIT", json.dumps(history.approval))
"""

REPORT = """\
print("REPORT", json.dumps({
    "versions": [{"index": v.index, "source": v.source, "decided_by": v.decided_by,
                  "value": v.value} for v in var.versions],
    "proposals": {p["id"]: p["status"] for p in dash.proposals},
    "series": dash.series,
}))
"""

VALUE = """\
print("VALUE", json.dumps({"value": var.get_json(), "versions": len(var.versions),
                           "last_source": var.versions[-1].source}))
"""

INSPECT = """\
results = await program.evaluate(xs[:8], ys[:8], batch_size=8, verbose=0, return_results=True)
print("INSPECT", json.dumps({"failures": [r.index for r in results.failures()],
                             "items": [r.inputs["item"] for r in results]}))
sn.notebook.TraceViewer(results)
"""

AGENT = """\
def double(x: int) -> int:
    '''Double a number.'''
    return 2 * x

agent_lm = sn.ScriptedLanguageModel(responses=[
    {"thinking": "double it", "tool_calls": [{"name": "double", "arguments": {"x": 21}}]},
    {"thinking": "done", "tool_calls": []}, "It is 42."])
agent = sn.FunctionCallingAgent(tools=[double], language_model=agent_lm, name="doubler")
await agent(sn.ChatMessages(messages=[{"role": "user", "content": "Double 21."}]))
sn.notebook.TraceViewer(agent)
"""

CELL = {"setup": 0, "graph": 1, "dashboard": 2, "fit": 3, "report": 4, "value": 5, "inspect": 6,
        "agent": 7}
"""Index of each cell in the notebook."""

_SOURCES = [SETUP.replace("LATENCY", repr(LATENCY)), GRAPH, DASHBOARD, FIT, REPORT, VALUE,
            INSPECT, AGENT]


def write_notebook(path: Path) -> None:
    """Write the notebook, bound to the ``synalinks-e2e`` kernel spec."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(src) for src in _SOURCES],
        metadata={
            "kernelspec": {
                "name": KERNEL_NAME,
                "display_name": "synalinks_nb (e2e)",
                "language": "python",
            }
        },
    )
    nbformat.write(nb, str(path))


def tagged(output: str, tag: str) -> Any:
    """The JSON printed after ``tag`` in a cell's output."""
    for line in output.splitlines():
        if line.startswith(f"{tag} "):
            return json.loads(line[len(tag) + 1 :])
    raise AssertionError(
        f"Expected a line starting with {tag!r} in the output. Received:\n{output}"
    )
