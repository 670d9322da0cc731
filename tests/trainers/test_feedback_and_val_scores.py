"""What an optimizer is told: each prediction's reward feedback, and a confirmed candidate's
per-sample validation scores (its own and the current value's)."""

from __future__ import annotations

from typing import Any

from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.trainers import Proposal


class Recorder(optimizers.RandomFewShot):
    def __init__(self) -> None:
        super().__init__(nb_min_examples=4, nb_max_examples=4, sampling="best")
        self.contexts: list[optimizers.BatchContext] = []
        self.decided: list[Proposal] = []

    async def propose(self, variable: Any, context: optimizers.BatchContext) -> Any:
        self.contexts.append(context)
        return await super().propose(variable, context)

    def on_decision(self, variable: Any, proposal: Any, decision: Any) -> None:
        super().on_decision(variable, proposal, decision)
        self.decided.append(proposal)


async def test_the_optimizer_reads_each_predictions_feedback() -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    recorder = Recorder()
    program.compile(reward="exact_match", optimizer=recorder)
    xs, ys = dataset(8)
    await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, acceptance="batch")
    first = recorder.contexts[0].predictions
    assert {p.feedback for p in first} == {
        f'expected {{"label": "{c}"}}, got {{"label": "UNKNOWN"}}'
        for c in ("FRUIT", "ANIMAL", "COLOR", "COUNTRY")}


async def test_a_confirmed_proposal_keeps_per_sample_validation_scores() -> None:
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    recorder = Recorder()
    program.compile(reward="exact_match", optimizer=recorder)
    xs, ys = dataset(24)
    history = await program.fit(xs[:16], ys[:16], epochs=1, batch_size=8, verbose=0,
                                validation_data=(xs[16:], ys[16:]), approval="accept")
    confirmed = [p for p in recorder.decided if p.val_scores is not None]
    assert confirmed, "the examples make the first proposal win its batch"
    first = confirmed[0]
    assert first.val_scores_before == [0.0] * 8  # nothing is right before the examples
    assert len(first.val_scores) == 8 and first.val_scores.count(1.0) >= 2
    assert first.val_reward_after == sum(first.val_scores) / 8
    assert history.proposals[0]["val_scores"] == first.val_scores
