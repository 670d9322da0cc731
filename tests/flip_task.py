"""The tests' task for flipped samples: a candidate that fixes and breaks known samples.

With the starting instructions the scripted model is right on s0, s1, s2 (and s8); with
the instructions "v2" on s0, s3, s4, s5 (and s9, s10). Trained on s0..s7 in one batch and
validated on s8..s11, the "v2" candidate fixes s3, s4, s5 and breaks s1, s2 on its batch
(3/8 -> 4/8), and fixes s9, s10 and breaks s8 on validation (1/4 -> 2/4).
Tests import it as ``from flip_task import ...`` (``tests`` is on pytest's ``pythonpath``).
"""

from __future__ import annotations

import json
from typing import Any

import synalinks_nb as sn
from synalinks_nb import optimizers


class Item(sn.DataModel):
    item: str


class Label(sn.DataModel):
    label: str


RIGHT_BEFORE = {"s0", "s1", "s2", "s8"}
RIGHT_AFTER = {"s0", "s3", "s4", "s5", "s9", "s10"}


def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    item = json.loads(messages[-1]["content"])["item"]
    right = RIGHT_AFTER if "v2" in messages[0]["content"] else RIGHT_BEFORE
    return {"label": item.upper() if item in right else "?"}


class SayV2(optimizers.Optimizer):
    """Proposes the "v2" instructions once."""

    async def propose(self, variable: Any, context: Any) -> Any:
        value = variable.get_json()
        if "v2" in value["instructions"]:
            return None
        return optimizers.Candidate({**value, "instructions": "v2"}, note="v2")


async def make_program() -> Any:
    inputs = sn.Input(data_model=Item)
    lm = sn.ScriptedLanguageModel(handler=handler)
    outputs = await sn.Generator(data_model=Label, language_model=lm, name="gen")(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="flipper")
    program.compile(reward="exact_match", optimizer=SayV2())
    return program


def dataset() -> tuple[list[Item], list[Label]]:
    return [Item(item=f"s{i}") for i in range(12)], [Label(label=f"S{i}") for i in range(12)]


async def fit_once(**kwargs: Any) -> Any:
    """Fit on s0..s7 (one batch, in order), validated on s8..s11; returns the History."""
    program = await make_program()
    xs, ys = dataset()
    return await program.fit(xs[:8], ys[:8], epochs=1, batch_size=8, shuffle=False, verbose=0,
                             validation_data=(xs[8:], ys[8:]), **{"approval": "accept", **kwargs})
