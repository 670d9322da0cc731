"""``BatchReward`` subclassed the way Synalinks' guide does it (no ``fn``: ``call`` on lists)."""

from __future__ import annotations

from typing import Any

import pytest

from synalinks_nb import rewards


class GroupRelative(rewards.BatchReward):
    """Synalinks' guide: each sample's score relative to the batch mean."""

    async def call(self, y_true: Any, y_pred: Any) -> list[float]:
        raw = [float(t["answer"] == p["answer"]) for t, p in zip(y_true, y_pred, strict=True)]
        mean = sum(raw) / max(1, len(raw))
        return [r - mean for r in raw]


TRUES = [{"answer": "a"}] * 4
PREDS = [{"answer": "a"}, {"answer": "b"}, {"answer": "a"}, {"answer": "a"}]


async def test_a_subclass_receives_the_whole_batch_and_scores_each_sample() -> None:
    reward = GroupRelative()
    assert await reward.batch(TRUES, PREDS) == [0.25, -0.75, 0.25, 0.25]
    assert await reward.compute_batch(TRUES, PREDS) == [0.25, -0.75, 0.25, 0.25]
    assert reward.name == "group_relative"


async def test_awaiting_it_on_lists_reduces_the_batch_and_on_one_sample_scores_it_alone() -> None:
    assert await GroupRelative(reduction="sum")(TRUES, PREDS) == pytest.approx(0.0)
    assert await GroupRelative()({"answer": "a"}, {"answer": "a"}) == 0.0  # its own mean


async def test_masks_apply_before_the_subclass_sees_the_batch() -> None:
    seen: list[Any] = []

    class Spy(rewards.BatchReward):
        async def call(self, y_true: Any, y_pred: Any) -> list[float]:
            seen.extend(y_pred)
            return [1.0] * len(y_pred)

    await Spy(in_mask=["answer"]).batch([None], [{"answer": "a", "thinking": "t"}])
    assert seen == [{"answer": "a"}]


def test_without_fn_a_subclass_must_implement_call_and_its_config_has_no_fn() -> None:
    with pytest.raises(TypeError, match="Expected fn, or a subclass"):
        rewards.BatchReward()
    config = GroupRelative(name="rel").get_config()
    assert "fn" not in config
    assert GroupRelative.from_config(config).name == "rel"
