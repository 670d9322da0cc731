"""Programs of every kind, using every built-in module, and a deterministic scripted model."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import synalinks_nb as sn
from synalinks_nb.language_models.scripted import example_from_schema
from synalinks_nb.utils.tree import map_structure

LM_NAME = "scripted_lm"


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


class Text(sn.DataModel):
    text: str


def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> dict[str, Any]:
    """Answers that depend on the whole prompt, so changed instructions change outputs."""
    digest = hashlib.sha256(json.dumps(messages).encode()).hexdigest()
    answer = example_from_schema(schema) if schema else {}
    props = (schema or {}).get("properties", {})
    for position, (key, spec) in enumerate(props.items()):
        if "enum" in spec:
            answer[key] = spec["enum"][int(digest[position], 16) % len(spec["enum"])]
        elif spec.get("type") == "string":
            answer[key] = f"{key}-{digest[:8]}"
        elif spec.get("type") == "integer":
            answer[key] = int(digest[position], 16)
    return answer


def scripted() -> sn.ScriptedLanguageModel:
    return sn.ScriptedLanguageModel(handler=handler, name=LM_NAME)


def multiply(a: int, b: int) -> int:
    """Multiply two integers.

    Args:
        a: The first number.
        b: The second number.
    """
    return a * b


def shout(x: Any) -> dict[str, Any]:
    return {"text": x.get_json()["answer"].upper()}


def echo(x: Any) -> dict[str, Any]:
    return {"text": json.dumps(x.get_json())}


def custom_objects(lm: sn.ScriptedLanguageModel) -> dict[str, Any]:
    return {LM_NAME: lm, "multiply": multiply, "shout": shout, "echo": echo}


async def functional(lm: Any) -> sn.Program:
    """A functional program calling every built-in module and operator step."""
    x = sn.Input(data_model=Query, name="query")
    gen = await sn.Generator(data_model=Answer, language_model=lm, name="gen",
                             instructions="Be brief.")(x)
    cot = await sn.ChainOfThought(data_model=Answer, language_model=lm, name="cot", k=2)(x)
    critique = await sn.SelfCritique(language_model=lm, name="critique")(gen)
    decision = await sn.Decision(question="Is it easy?", labels=["easy", "hard"],
                                 language_model=lm, name="decide")(x)
    easy, hard = await sn.Branch(
        question="Which route?", labels=["easy", "hard"], language_model=lm, name="route",
        branches=[sn.Generator(data_model=Answer, language_model=lm, name="easy_gen"),
                  sn.Identity(name="hard_identity")],
        return_decision=False)(x)
    action = await sn.Action(multiply, language_model=lm, name="act")(x)
    loud = await sn.Lambda(shout, data_model=Text, name="shout")(gen)
    off = await sn.Not(name="off")(gen)
    either = await sn.Or(name="either")([easy, hard])
    one = await sn.Xor(name="one")([off, loud])
    both = await sn.And(name="both")([gen, loud])
    joined = await sn.Concat(name="joined")([gen, cot])
    kept = await sn.InMask(mask=["answer"], name="keep")(joined)
    dropped = await sn.OutMask(mask=["thinking"], name="drop")(cot)
    same = await sn.Identity(name="same")(decision)
    ops = (gen + critique) & (easy | hard)
    ops_xor = (gen ^ ~gen)
    masked = await sn.ops.prefix(await sn.ops.in_mask(cot, mask=["answer"]), prefix="p")
    return sn.Program(
        inputs=x,
        outputs={"either": either, "one": one, "both": both, "kept": kept, "dropped": dropped,
                 "same": same, "ops": ops, "ops_xor": ops_xor, "masked": masked,
                 "pair": (action, easy)},
        name="everything", description="Every built-in module, for the saving tests.")


def sequential(lm: Any) -> sn.Sequential:
    return sn.Sequential(
        [sn.Input(data_model=Query),
         sn.ChainOfThought(data_model=Answer, language_model=lm, name="think"),
         sn.OutMask(mask=["thinking"], name="drop"),
         sn.Generator(data_model=Answer, language_model=lm, name="polish")],
        name="chain", description="A Sequential chain.")


LM = scripted()  # subclassed programs make their modules in __init__, from here


@sn.saving.register_synalinks_serializable(package="SavingTests")
class Pipeline(sn.Program):
    """A subclassed program; its modules get automatic names."""

    def __init__(self, label: str = "x", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.think = sn.ChainOfThought(data_model=Answer, language_model=LM)
        self.mask = sn.InMask(mask=["answer"])
        self.check = sn.SelfCritique(language_model=LM)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        answer = await self.mask(await self.think(inputs))
        return await self.check(answer)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "label": self.label}


@sn.saving.register_synalinks_serializable(package="SavingTests")
class Mixed(sn.Program):
    """A mixed program: modules are created in build, then the functional init."""

    async def build(self, inputs: Any) -> None:
        answer = await sn.Generator(data_model=Answer, language_model=LM)(inputs)
        checked = await sn.SelfCritique(language_model=LM)(answer)
        super().__init__(inputs=inputs, outputs=checked, name=self.name)


def as_json(outputs: Any) -> Any:
    """Outputs as plain JSON, to compare two programs' results."""
    return map_structure(lambda v: None if v is None else v.get_json(), outputs)


QUERIES = [Query(query=q) for q in ("What is 2+2?", "Capital of France?", "Why is the sky blue?")]


async def run_all(program: sn.Program) -> list[Any]:
    return [as_json(await program(q)) for q in QUERIES]


def history(program: sn.Program) -> dict[str, Any]:
    return {v.path: [x.to_dict() for x in v.versions] for v in program.variables}
