"""fit() learns: RandomFewShot raises validation reward on a seeded scripted task."""

from __future__ import annotations

from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import optimizers, rewards


async def test_random_few_shot_raises_validation_reward() -> None:
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await make_program(lm)
    program.compile(reward=rewards.ExactMatch(),
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=8))
    xs, ys = dataset(40)
    before = await program.evaluate(xs[32:], ys[32:], verbose=0)
    assert before["reward"] <= 0.2
    history = await program.fit(xs, ys, epochs=3, batch_size=8, validation_split=0.2,
                                verbose=0, approval="accept")
    assert history.history["val_reward"][-1] >= 0.8
    examples = program.trainable_variables[0].get_json()["examples"]
    assert {e["inputs"]["category"] for e in examples} == {"fruit", "animal", "color", "country"}
    assert len(history.batches) == 12
    assert all(v.source in ("init", "optimizer") for v in program.trainable_variables[0].versions)
