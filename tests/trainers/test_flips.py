"""A proposal carries the samples it fixed and broke, on its batch and on validation."""

from __future__ import annotations

from typing import Any

import pytest
from flip_task import fit_once

import synalinks_nb as sn
from synalinks_nb.trainers.flips import Outcomes, flips


async def test_a_proposal_lists_the_samples_it_fixed_and_broke() -> None:
    history = await fit_once()
    [decision] = history.proposals
    assert decision["accepted"]
    batch = decision["batch_flips"]
    assert (batch["fixed_count"], batch["broken_count"]) == (3, 2)
    assert [s["index"] for s in batch["fixed"]] == [3, 4, 5]
    assert [s["inputs"] for s in batch["broken"]] == [{"item": "s1"}, {"item": "s2"}]
    first_broken = batch["broken"][0]
    assert (first_broken["output_before"], first_broken["output_after"]) == (
        {"label": "S1"}, {"label": "?"})
    assert (first_broken["reward_before"], first_broken["reward_after"]) == (1.0, 0.0)
    assert first_broken["expected"] == {"label": "S1"}
    val = decision["val_flips"]
    assert [s["inputs"]["item"] for s in val["fixed"]] == ["s9", "s10"]
    assert [s["inputs"]["item"] for s in val["broken"]] == ["s8"]
    assert "fixes 3 · breaks 2 on its batch; fixes 2 · breaks 1 on validation" in \
        history._repr_html_()
    # Traces are off in a test run: no links, and nothing else is missing.
    assert first_broken["trace_before"] is None and first_broken["trace_after"] is None


async def test_with_traces_on_each_flipped_sample_links_both_calls() -> None:
    sn.config.traces.configure(enabled=True)
    history = await fit_once()
    [decision] = history.proposals
    by_id = {t.id: t for t in sn.config.traces.all()}
    for check in ("batch_flips", "val_flips"):
        for sample in decision[check]["fixed"] + decision[check]["broken"]:
            before, after = by_id[sample["trace_before"]], by_id[sample["trace_after"]]
            assert [u.candidate for u in used(before)] == [False]
            assert [u.candidate for u in used(after)] == [True]
            assert after.lm_calls[0].output == sample["output_after"]
            assert before.lm_calls[0].output == sample["output_before"]


async def test_sampled_tracing_is_not_forced_on_to_link_flipped_samples() -> None:
    sn.config.traces.configure(enabled=True, sample_rate=0.5)
    history = await fit_once()
    sample = history.proposals[0]["batch_flips"]["broken"][0]
    assert (sample["trace_before"], sample["trace_after"]) == (None, None)


def used(trace: Any) -> list[Any]:
    return [use for span in trace.spans for use in span.variables]


def test_flips_keep_the_first_ones_and_count_them_all() -> None:
    n = 50
    before = Outcomes(list(range(n)), [None] * n, ["x"] * n, [0.0] * 40 + [1.0] * 10)
    after = Outcomes(list(range(n)), [None] * n, ["y"] * n, [1.0] * 40 + [0.0] * 10)
    result = flips(before, after, limit=20)
    assert (result.fixed_count, result.broken_count) == (40, 10)
    assert [s.index for s in result.fixed] == list(range(20))
    assert len(result.broken) == 10


def test_outcomes_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="Expected as many inputs"):
        Outcomes([1, 2], [None], ["a", "b"], [0.0, 1.0])
