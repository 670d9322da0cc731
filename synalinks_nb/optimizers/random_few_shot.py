"""``RandomFewShot``: few-shot examples sampled from the scored training predictions."""

from __future__ import annotations

import json
import math
from typing import Any

from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, Optimizer
from synalinks_nb.utils.registry import register_builtin

__all__ = ["RandomFewShot"]

_SAMPLINGS = ("softmax", "best", "random")


@register_builtin
class RandomFewShot(Optimizer):
    """Propose few-shot examples drawn from a pool of scored predictions.

    The pool (in the optimizer state, never in the variable) keeps up to
    ``pool_size`` predictions of the variable's module, best rewards first.
    Each batch it proposes between ``nb_min_examples`` and
    ``nb_max_examples`` distinct examples, drawn by

    * ``"softmax"`` — probability proportional to ``exp(reward / temperature)``;
    * ``"best"`` — the highest rewards;
    * ``"random"`` — uniformly.

    Args:
        nb_min_examples, nb_max_examples: how many examples to propose.
        sampling: ``"softmax"``, ``"best"`` or ``"random"``.
        sampling_temperature: softmax temperature.
        pool_size: predictions kept in the state.
        name, only_improvements: as for every optimizer.

    Example:
        >>> RandomFewShot(nb_max_examples=3).get_config()["sampling"]
        'softmax'
    """

    def __init__(self, nb_min_examples: int = 1, nb_max_examples: int = 3,
                 sampling: str = "softmax", sampling_temperature: float = 1.0,
                 pool_size: int = 100, name: str | None = None,
                 only_improvements: bool = True) -> None:
        super().__init__(name=name, only_improvements=only_improvements)
        if not 0 <= nb_min_examples <= nb_max_examples:
            raise ValueError(
                "Expected 0 <= nb_min_examples <= nb_max_examples. Received: "
                f"nb_min_examples={nb_min_examples}, nb_max_examples={nb_max_examples}")
        if sampling not in _SAMPLINGS:
            raise ValueError(f"Expected sampling in {_SAMPLINGS}. Received: {sampling!r}")
        self._seen: dict[str, tuple[list[dict[str, Any]], set[str]]] = {}
        self.nb_min_examples = nb_min_examples
        self.nb_max_examples = nb_max_examples
        self.sampling = sampling
        self.sampling_temperature = float(sampling_temperature)
        self.pool_size = int(pool_size)

    def _update_pool(self, variable: Any, context: BatchContext) -> list[dict[str, Any]]:
        state = self.variable_state(variable)
        pool: list[dict[str, Any]] = state.setdefault("pool", [])
        # The same sample answered the same way (another epoch, a repeated input) is one
        # example: pooled once, so a proposal never shows an example twice. The keys of
        # what was pooled are kept beside the (JSON) state, rebuilt when the pool is
        # replaced (set_state); an example that left the pool had the lowest rewards and
        # would score the same again, so it stays out.
        cached = self._seen.get(variable.path)
        if cached is None or cached[0] is not pool:
            cached = self._seen[variable.path] = (pool, {_example_key(e) for e in pool})
        seen = cached[1]
        for p in context.predictions:
            if p.outputs is None:
                continue
            entry = {"inputs": p.inputs, "outputs": p.outputs, "reward": p.reward}
            key = _example_key(entry)
            if key not in seen:
                seen.add(key)
                pool.append(entry)
        pool.sort(key=lambda e: -float(e["reward"]))  # stable: ties keep arrival order
        del pool[self.pool_size:]
        return pool

    def _draw(self, pool: list[dict[str, Any]], k: int, context: BatchContext) -> list[int]:
        indices = list(range(len(pool)))
        if self.sampling == "best":
            return indices[:k]
        if self.sampling == "random":
            return sorted(context.rng.sample(indices, k))
        chosen: list[int] = []
        temperature = max(self.sampling_temperature, 1e-6)
        for _ in range(k):
            left = [i for i in indices if i not in chosen]
            weights = [math.exp(float(pool[i]["reward"]) / temperature) for i in left]
            chosen.append(context.rng.choices(left, weights=weights)[0])
        return sorted(chosen)

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        pool = self._update_pool(variable, context)
        if not pool:
            return None
        k = min(len(pool), context.rng.randint(self.nb_min_examples, self.nb_max_examples))
        examples = [pool[i] for i in self._draw(pool, k, context)]
        value = variable.get_json()
        value["examples"] = [dict(e) for e in examples]
        mean = sum(float(e["reward"]) for e in examples) / len(examples) if examples else 0.0
        return Candidate(value, note=f"{len(examples)} example(s) by {self.sampling} sampling "
                                     f"(mean reward {mean:.2f})")

    def get_config(self) -> dict[str, Any]:
        return {"nb_min_examples": self.nb_min_examples, "nb_max_examples": self.nb_max_examples,
                "sampling": self.sampling, "sampling_temperature": self.sampling_temperature,
                "pool_size": self.pool_size, **super().get_config()}


def _example_key(entry: dict[str, Any]) -> str:
    return json.dumps([entry["inputs"], entry["outputs"]], sort_keys=True)
