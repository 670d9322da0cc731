"""The tests' reflection task: the category task, learnable only from the reward's feedback.

The program's scripted model answers with the category in lower case unless its
instructions ask for upper case; the labels are upper case, so ExactMatch's feedback
(``expected {"label": "FRUIT"}, got {"label": "fruit"}``) says what is wrong. The
scripted reflection model finds the rule only in that feedback. One ``handler``
answers both, as one model serving the program and its optimizer would.
"""

from __future__ import annotations

import json
from typing import Any

RULE = "Answer with the category in UPPERCASE."


def task_answer(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The program's model: right only when its instructions ask for upper case."""
    query = json.loads(messages[-1]["content"])
    upper = "uppercase" in messages[0]["content"].lower()
    return {"label": query["category"].upper() if upper else query["category"]}


def reflect(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A reflection model that can learn the rule only from the feedback's words."""
    payload = json.loads(messages[-1]["content"])
    for sample in payload["samples"]:
        feedback = sample["feedback"] or ""
        got = (sample["answer"] or {}).get("label", "")
        if got and f'"label": "{got.upper()}"' in feedback and got != got.upper():
            return {"reflection": f"The feedback expects {got.upper()!r} where the answer was "
                                  f"{got!r}: labels must be upper case.", "instructions": RULE}
    return {"reflection": "Nothing in the feedback says what is wrong.",
            "instructions": payload["current_instructions"] + " Think again."}


def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    if "reflection" in (schema or {}).get("properties", {}):
        return reflect(messages)
    return task_answer(messages)
