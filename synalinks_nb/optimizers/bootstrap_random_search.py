"""``BootstrapRandomSearch``: several few-shot example sets per step, the best on validation kept.

The anchor is DSPy's ``BootstrapFewShotWithRandomSearch``: build candidate
example sets from successful traces ("bootstrapped" examples) and from labels,
score each on validation data, keep the best. Here the search runs inside
``fit``'s loop, so it is watched and steered like every optimizer: each step
proposes ``num_candidates`` distinct sets of three kinds, in turn

* **bootstrapped** — successful predictions of the variable's own module only
  (every Generator of a multi-module program gets its own step's examples);
* **labelled** — the module's inputs with their labels only;
* **mixed** — successful predictions first, labels to fill;

of a random size between ``nb_min_examples`` and ``nb_max_examples``. The
trainer scores each on its batch, confirms the batch winners on the validation
data and offers the best one (see :mod:`synalinks_nb.trainers.acceptance`).
A set already tried for a variable is not proposed again.
"""

from __future__ import annotations

import json
from typing import Any

from synalinks_nb.optimizers.optimizer import BatchContext, Candidate
from synalinks_nb.optimizers.random_few_shot import RandomFewShot
from synalinks_nb.utils.registry import register_builtin

__all__ = ["BootstrapRandomSearch"]

_KINDS = ("bootstrapped", "labelled", "mixed")
_TRIED_KEPT = 200


@register_builtin
class BootstrapRandomSearch(RandomFewShot):
    """Propose several distinct few-shot sets per step; validation picks the winner.

    Args:
        num_candidates: example sets proposed per step and variable (each costs a
            batch of calls, and a validation run when it wins its batch).
        nb_min_examples, nb_max_examples: size of a set.
        success_threshold: the reward from which a prediction is an example.
        population_size: examples kept in the pool per variable.
        name, description, only_improvements: as for every optimizer.

    Example:
        >>> import asyncio, random, synalinks_nb as sn
        >>> from synalinks_nb.optimizers import BatchContext, ScoredPrediction
        >>> var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
        >>> preds = [ScoredPrediction(i, {"q": str(i)}, {"a": str(i)}, reward=1.0,
        ...                           y_true={"a": str(i)}) for i in range(4)]
        >>> context = BatchContext(0, 0, preds, random.Random(0),
        ...                        output_schema={"properties": {"a": {}}})
        >>> search = BootstrapRandomSearch(num_candidates=3)
        >>> sets = asyncio.run(search.propose_candidates(var, context))
        >>> len(sets), len({json.dumps(c.value) for c in sets})
        (3, 3)
    """

    def __init__(self, num_candidates: int = 3, nb_min_examples: int = 1,
                 nb_max_examples: int = 4, success_threshold: float = 0.5,
                 population_size: int = 20, name: str | None = None,
                 description: str | None = None, only_improvements: bool = True) -> None:
        super().__init__(nb_min_examples=nb_min_examples, nb_max_examples=nb_max_examples,
                         sampling="random", population_size=population_size, name=name,
                         description=description, success_threshold=success_threshold,
                         use_labels=True, only_improvements=only_improvements)
        if isinstance(num_candidates, bool) or not isinstance(num_candidates, int) \
                or num_candidates < 1:
            raise ValueError("Expected num_candidates to be a positive int. Received: "
                             f"num_candidates={num_candidates!r}")
        self.num_candidates = num_candidates

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        candidates = await self.propose_candidates(variable, context)
        return candidates[0] if candidates else None

    async def propose_candidates(self, variable: Any, context: BatchContext) -> list[Candidate]:
        pool = self.update_pool(variable, context)
        by_kind = {"bootstrapped": [e for e in pool if e.get("source") != "label"],
                   "labelled": [e for e in pool if e.get("source") == "label"]}
        by_kind["mixed"] = by_kind["bootstrapped"] + by_kind["labelled"]
        state = self.variable_state(variable)
        tried: list[str] = state.setdefault("tried", [])
        current = variable.get_json()
        seen = set(tried) | {_set_key(current.get("examples") or [])}
        out: list[Candidate] = []
        start = int(state.get("turn", 0))
        for attempt in range(self.num_candidates * 3):
            if len(out) == self.num_candidates:
                break
            kind = _KINDS[(start + attempt) % len(_KINDS)]
            source = by_kind[kind]
            if not source:
                continue
            k = min(len(source), context.rng.randint(self.nb_min_examples, self.nb_max_examples))
            examples = self.draw(source, k, context, sampling="random")
            key = _set_key(examples)
            if not examples or key in seen:
                continue
            seen.add(key)
            tried.append(key)
            value = dict(current, examples=examples)
            out.append(Candidate(value, note=f"{kind} set {len(out) + 1} of "
                                             f"{self.num_candidates}: {len(examples)} example(s)",
                                 extra={"kind": kind}))
        state["turn"] = start + 1
        del tried[:-_TRIED_KEPT]
        return out

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        for key in ("sampling", "sampling_temperature", "use_labels"):
            config.pop(key)
        return {"num_candidates": self.num_candidates, **config}


def _set_key(examples: list[dict[str, Any]]) -> str:
    return json.dumps(sorted(json.dumps([e["inputs"], e["outputs"]], sort_keys=True)
                             for e in examples))
