"""The tests' shared task: label an item with its category, learnable from few-shot examples.

A one-Generator classifier whose scripted model is right only when its prompt holds an
example of the query's category. Tests import it as ``from category_task import ...``
(``tests`` is on pytest's ``pythonpath``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import synalinks_nb as sn

CATEGORIES = ["fruit", "animal", "color", "country"]


class Query(sn.DataModel):
    category: str
    item: str


class Label(sn.DataModel):
    label: str


def dataset(n: int = 40) -> tuple[list[Query], list[Label]]:
    xs = [Query(category=CATEGORIES[i % 4], item=f"item-{i}") for i in range(n)]
    ys = [Label(label=x.category.upper()) for x in xs]
    return xs, ys


def category_handler(fail: Callable[[str], bool] | None = None) -> Any:
    """Correct only when the prompt shows an example of the same category."""

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        query = json.loads(messages[-1]["content"])
        if fail is not None and fail(query["item"]):
            raise sn.errors.ProviderError("scripted outage", model="scripted", status_code=503)
        seen = any(f'"category": "{query["category"]}"' in m["content"] for m in messages[:-1])
        return {"label": query["category"].upper() if seen else "UNKNOWN"}

    return handler


async def make_program(lm: Any, name: str = "classifier") -> Any:
    inputs = sn.Input(data_model=Query)
    outputs = await sn.Generator(data_model=Label, language_model=lm, name="gen")(inputs)
    return sn.Program(inputs=inputs, outputs=outputs, name=name)
