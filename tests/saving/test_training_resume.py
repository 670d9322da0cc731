"""A compiled, trained program saved and loaded continues training exactly as the original."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb import metrics, optimizers, rewards


class Item(sn.DataModel):
    category: str
    item: str


class Label(sn.DataModel):
    label: str


CATEGORIES = ["fruit", "animal", "color", "country"]
XS = [Item(category=CATEGORIES[i % 4], item=f"item-{i}") for i in range(24)]
YS = [Label(label=x.category.upper()) for x in XS]


def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
    """Right only when the prompt holds an example of the same category."""
    query = json.loads(messages[-1]["content"])
    seen = any(f'"category": "{query["category"]}"' in m["content"] for m in messages[:-1])
    return {"label": query["category"].upper() if seen else "UNKNOWN"}


async def make_program(lm: Any) -> sn.Program:
    x = sn.Input(data_model=Item)
    y = await sn.Generator(data_model=Label, language_model=lm, name="classify")(x)
    return sn.Program(inputs=x, outputs=y, name="classifier", description="Learns labels.")


def without_timestamps(program: sn.Program) -> dict[str, Any]:
    return {v.path: [{**x.to_dict(), "timestamp": None} for x in v.versions]
            for v in program.variables}


async def fit_once(program: sn.Program) -> dict[str, list[Any]]:
    sn.set_seed(7)
    history = await program.fit(XS, YS, epochs=1, batch_size=6, verbose=0, approval="accept")
    return history.history


async def test_trained_program_resumes_training_identically(tmp_path: Path) -> None:
    lm = sn.ScriptedLanguageModel(handler=handler, name="labeller")
    program = await make_program(lm)
    program.compile(reward=rewards.ExactMatch(in_mask=["label"]),
                    optimizer=optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=2),
                    metrics=[metrics.get("accuracy")])
    sn.set_seed(1)
    await program.fit(XS, YS, epochs=1, batch_size=6, verbose=0, approval="accept")
    assert len(program.get_variable("classify/instructions").versions) > 1  # it learned
    program.save(tmp_path / "trained.json")

    loaded = sn.Program.load(tmp_path / "trained.json", custom_objects={"labeller": lm})
    assert loaded.compiled
    assert type(loaded.optimizer) is optimizers.RandomFewShot
    assert loaded.optimizer.get_config() == program.optimizer.get_config()
    assert loaded.optimizer.get_state() == program.optimizer.get_state()
    assert [type(m) for m in loaded.metrics] == [type(m) for m in program.metrics]
    assert without_timestamps(loaded) == without_timestamps(program)

    original_logs = await fit_once(program)
    loaded_logs = await fit_once(loaded)
    assert loaded_logs == original_logs
    assert without_timestamps(loaded) == without_timestamps(program)
    assert loaded.optimizer.get_state() == program.optimizer.get_state()


async def test_uncompiled_program_loads_uncompiled(tmp_path: Path) -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=handler))
    program.save(tmp_path / "p.json")
    document = json.loads((tmp_path / "p.json").read_text())
    assert document["compile_config"] is None and document["optimizer_state"] is None
    loaded = sn.Program.load(tmp_path / "p.json", language_model=sn.ScriptedLanguageModel())
    assert not getattr(loaded, "compiled", False)


@pytest.mark.parametrize("tamper", [
    {"iterations": "x"}, {"iterations": -3}, {"epochs": 1.5}, {"variables": []},
    {"unexpected": 1},
])
async def test_a_tampered_optimizer_state_is_refused_at_load(
    tmp_path: Path, tamper: dict[str, Any]
) -> None:
    lm = sn.ScriptedLanguageModel(handler=handler, name="labeller")
    program = await make_program(lm)
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot())
    await fit_once(program)
    document = json.loads(program.to_json())
    document["optimizer_state"].update(tamper)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(document))
    with pytest.raises(sn.errors.CorruptedFileError, match="expected the state of a RandomFewShot"):
        sn.Program.load(path, language_model=lm)
