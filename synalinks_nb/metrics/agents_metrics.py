"""Sampling metrics of agents: ``pass@k``, ``pass^k`` and their gap (Synalinks' names).

Each is a :class:`~synalinks_nb.metrics.BatchMetric`: one batch holds the ``n`` samples
drawn for *one* problem (evaluate with ``batch_size=n`` on data repeating each problem
``n`` times). Every sample is scored against its label by a reward (``ExactMatch`` by
default); a sample whose reward reaches ``pass_threshold`` is correct. With ``c``
correct samples out of ``n``, and ``k`` clamped to ``n``:

- ``PassAtK``: ``1 - C(n-c, k) / C(n, k)``, the chance that at least one of ``k``
  samples is correct (the unbiased estimator of Chen et al. 2021, arXiv:2107.03374);
- ``PassHatK``: ``C(c, k) / C(n, k)``, the chance that all ``k`` are (tau-bench's
  ``pass^k``, Yao et al. 2024, arXiv:2406.12045);
- ``GapK``: the difference, how much success depends on the draw (lower is better).

The result is the mean over the batches (problems) seen since the last reset.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from synalinks_nb.metrics.batch_metric import BatchMetric
from synalinks_nb.rewards import ExactMatch, Reward
from synalinks_nb.rewards import deserialize as deserialize_reward
from synalinks_nb.rewards import serialize as serialize_reward
from synalinks_nb.utils.registry import register_builtin

__all__ = ["GapK", "PassAtK", "PassHatK", "SampledRewardMetric", "pass_at_k", "pass_hat_k"]


def pass_at_k(n: int, c: int, k: int) -> float:
    """``1 - C(n-c, k) / C(n, k)``: at least one of ``k`` draws among ``n`` is correct.

    Example:
        >>> pass_at_k(n=4, c=1, k=2)  # 1 - C(3,2)/C(4,2) = 1 - 3/6
        0.5
    """
    k = min(k, n)
    if k <= 0:
        return 0.0
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """``C(c, k) / C(n, k)``: all ``k`` draws among ``n`` are correct.

    Example:
        >>> pass_hat_k(n=4, c=3, k=2)  # C(3,2)/C(4,2) = 3/6
        0.5
    """
    k = min(k, n)
    if k <= 0 or c < k:
        return 0.0
    return math.comb(c, k) / math.comb(n, k)


class SampledRewardMetric(BatchMetric):
    """Base class: count the batch's correct samples, reduce ``(n, c)``, average per batch.

    Subclasses implement ``_estimate(n, c)``.

    Args:
        k: the ``k`` of ``@k`` (clamped to the batch's size); a positive int.
        reward: scores one sample against its label (default ``ExactMatch()``); give it
            masks to compare only some fields (``ExactMatch(in_mask=["answer"])``).
        pass_threshold: a sample is correct when its reward is at least this.
        name: the log key.
    """

    direction: ClassVar[str] = "up"

    def __init__(self, k: int = 1, reward: Reward | None = None, pass_threshold: float = 1.0,
                 name: str | None = None) -> None:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"Expected k to be a positive int. Received: k={k!r}")
        if reward is not None and not isinstance(reward, Reward):
            raise TypeError(f"Expected reward to be a Reward (e.g. ExactMatch()). "
                            f"Received: reward={reward!r}")
        super().__init__(name=name)
        self.k = k
        self.reward = reward if reward is not None else ExactMatch()
        self.pass_threshold = float(pass_threshold)
        self.total = 0.0
        self.count = 0

    async def _count(self, y_true: Any, y_pred: Any) -> tuple[int, int]:
        """``(n, c)``: the samples of the batch and how many are correct."""
        if not isinstance(y_pred, list | tuple):  # one sample (an evaluation's row)
            y_true, y_pred = [y_true], [y_pred]
        if not isinstance(y_true, list | tuple) or len(y_true) != len(y_pred):
            raise ValueError(
                f"Expected as many labels as predictions in the batch of {self.name!r}. "
                f"Received: {len(y_pred)} predictions and labels {y_true!r:.80}")
        correct = 0
        for label, prediction in zip(y_true, y_pred, strict=True):
            score = await self.reward(label, prediction)
            correct += score is not None and float(score) >= self.pass_threshold
        return len(y_pred), correct

    def _estimate(self, n: int, c: int) -> float:
        raise NotImplementedError(f"{type(self).__name__} must implement _estimate(n, c).")

    async def update_state(self, y_true: Any, y_pred: Any) -> None:
        n, c = await self._count(y_true, y_pred)
        self.total += self._estimate(n, c)
        self.count += 1

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "k": self.k, "reward": serialize_reward(self.reward),
                "pass_threshold": self.pass_threshold}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SampledRewardMetric:
        config = dict(config)
        if isinstance(config.get("reward"), dict):
            config["reward"] = deserialize_reward(config["reward"])
        return cls(**config)


@register_builtin
class PassAtK(SampledRewardMetric):
    """``pass@k``: the share of problems solved by at least one of ``k`` samples.

    Example:
        Two problems, four samples each (``batch_size=4``): one correct sample, then none.

        >>> import asyncio
        >>> m = PassAtK(k=2)
        >>> right, wrong = {"answer": "4"}, {"answer": "5"}
        >>> asyncio.run(m.update_state([right] * 4, [right, wrong, wrong, wrong]))
        >>> asyncio.run(m.update_state([right] * 4, [wrong] * 4))
        >>> m.result()  # (0.5 + 0.0) / 2
        0.25
    """

    def __init__(self, k: int = 1, reward: Reward | None = None, pass_threshold: float = 1.0,
                 name: str = "pass_at_k") -> None:
        super().__init__(k=k, reward=reward, pass_threshold=pass_threshold, name=name)

    def _estimate(self, n: int, c: int) -> float:
        return pass_at_k(n, c, self.k)


@register_builtin
class PassHatK(SampledRewardMetric):
    """``pass^k``: the share of problems solved by all of ``k`` samples (consistency).

    Example:
        >>> import asyncio
        >>> m = PassHatK(k=2)
        >>> right, wrong = {"answer": "4"}, {"answer": "5"}
        >>> asyncio.run(m.update_state([right] * 4, [right, right, right, wrong]))
        >>> m.result()  # C(3,2)/C(4,2)
        0.5
    """

    def __init__(self, k: int = 1, reward: Reward | None = None, pass_threshold: float = 1.0,
                 name: str = "pass_hat_k") -> None:
        super().__init__(k=k, reward=reward, pass_threshold=pass_threshold, name=name)

    def _estimate(self, n: int, c: int) -> float:
        return pass_hat_k(n, c, self.k)


@register_builtin
class GapK(SampledRewardMetric):
    """``gap-k = pass@k - pass^k``: how much a problem's success depends on the draw.

    0 when every problem is always or never solved; lower is more reliable.

    Example:
        >>> import asyncio
        >>> m = GapK(k=2)
        >>> right, wrong = {"answer": "4"}, {"answer": "5"}
        >>> asyncio.run(m.update_state([right] * 4, [right, right, wrong, wrong]))
        >>> round(m.result(), 4)  # (1 - 1/6) - 1/6
        0.6667
    """

    direction: ClassVar[str] = "down"

    def __init__(self, k: int = 1, reward: Reward | None = None, pass_threshold: float = 1.0,
                 name: str = "gap_k") -> None:
        super().__init__(k=k, reward=reward, pass_threshold=pass_threshold, name=name)

    def _estimate(self, n: int, c: int) -> float:
        return pass_at_k(n, c, self.k) - pass_hat_k(n, c, self.k)
