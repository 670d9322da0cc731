"""``Mean`` / ``Sum`` take Synalinks' ``update_state(values)``: one number or one per sample."""

from __future__ import annotations

import synalinks_nb as sn


async def test_mean_counts_each_sample_of_a_batch_of_values() -> None:
    mean = sn.metrics.Mean()
    await mean.update_state(values=[1.0, 0.0, 0.5])
    await mean.update_state(1.0)
    assert mean.result() == 2.5 / 4


async def test_a_sample_given_as_several_numbers_counts_once_as_their_mean_or_sum() -> None:
    mean, total = sn.metrics.Mean(), sn.metrics.Sum()
    for metric in (mean, total):
        await metric.update_state([[1.0, 0.0], [1.0, 1.0]])
    assert mean.result() == (0.5 + 1.0) / 2
    assert total.result() == 3.0


def test_set_seed_takes_synalinks_keyword_and_makes_choices_repeat() -> None:
    sn.config.set_seed(value=7)
    first = [sn.config.rng.random() for _ in range(3)]
    sn.config.set_seed(7)
    assert [sn.config.rng.random() for _ in range(3)] == first
    assert sn.config.get_seed() == 7
