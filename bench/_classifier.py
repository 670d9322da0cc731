"""The benchmarks' task: label an item with its category, learnable from few-shot examples.

The scripted model is right only when its prompt holds an example of the query's
category, so an optimizer that proposes examples really changes the answers.
"""

from __future__ import annotations

import json
from typing import Any

import synalinks_nb as sn

CATEGORIES = ["fruit", "tool", "animal", "color"]


class Query(sn.DataModel):
    category: str
    item: str


class Label(sn.DataModel):
    label: str


def label(messages: list[dict[str, str]], schema: dict[str, Any] | None) -> dict[str, Any]:
    """Right only when the prompt holds an example of the query's category."""
    query = json.loads(messages[-1]["content"])
    known = any(f'"category": "{query["category"]}"' in m["content"] for m in messages[:-1])
    return {"label": query["category"].upper() if known else "UNKNOWN"}


def dataset(n: int) -> tuple[list[Query], list[Label]]:
    """``n`` queries cycling through the categories, and their labels."""
    xs = [Query(category=CATEGORIES[i % 4], item=f"item-{i}") for i in range(n)]
    return xs, [Label(label=x.category.upper()) for x in xs]


async def classifier(latency: float = 0.0) -> tuple[sn.Program, sn.ScriptedLanguageModel]:
    """A one-Generator program over :func:`label`, and its scripted model."""
    lm = sn.ScriptedLanguageModel(handler=label, latency=latency)
    inputs = sn.Input(data_model=Query)
    outputs = await sn.Generator(data_model=Label, language_model=lm)(inputs)
    return sn.Program(inputs=inputs, outputs=outputs), lm
