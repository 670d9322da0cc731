"""``GreedyOptimizer``: the base of optimizers that show the best examples seen so far.

Examples come from two sources, pooled per variable in the optimizer state
(never in the variable):

* **successful predictions** — what the variable's module answered on a
  training sample whose reward reached ``success_threshold`` (a bootstrapped
  demo, in DSPy's words). In a program of several Generators each module's
  own input and output on that sample are recorded, so every Generator gets
  examples of its own step;
* **labels** — the module's input on a training sample with the label ``y``
  as its output, when the label has fields of the module's output (typically
  the last Generator). A label may be partial: a ChainOfThought then sees the
  answer without its thinking.

Failed predictions (reward below the threshold) are never examples: shown to
a small model they teach it the wrong answer. Successful predictions rank
before labels (they show every output field), higher rewards first.
:meth:`GreedyOptimizer.sample_best_predictions` draws from the pool; subclasses
(``RandomFewShot``, ``BootstrapRandomSearch``) decide what to propose with them,
as Synalinks' subclasses of its ``GreedyOptimizer`` do.
"""

from __future__ import annotations

import json
import math
from typing import Any

from synalinks_nb.optimizers.optimizer import BatchContext, Optimizer

__all__ = ["GreedyOptimizer", "label_outputs"]

_SAMPLINGS = ("softmax", "best", "random")


def label_outputs(y_true: dict[str, Any] | None,
                  output_schema: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a label that a module with this output schema answers, or ``None``.

    Example:
        >>> schema = {"properties": {"thinking": {}, "answer": {}}}
        >>> label_outputs({"answer": "Paris"}, schema)
        {'answer': 'Paris'}
        >>> label_outputs({"city": "Paris"}, schema) is None
        True
    """
    if not isinstance(y_true, dict) or not output_schema:
        return None
    fields = output_schema.get("properties") or {}
    shared = {k: v for k, v in y_true.items() if k in fields}
    return shared or None


class GreedyOptimizer(Optimizer):
    """Base class of optimizers proposing few-shot examples drawn from a pool of the best.

    Examples are drawn (:meth:`draw`) by

    * ``"softmax"`` — probability proportional to ``exp(reward / temperature)``
      (a label counts as reward 1);
    * ``"best"`` — the first of the pool (best predictions, then labels);
    * ``"random"`` — uniformly.

    Subclass contract: implement ``async propose(variable, context)``, usually with
    :meth:`sample_best_predictions`.

    Args:
        nb_min_examples, nb_max_examples: how many examples to propose.
        sampling: ``"softmax"``, ``"best"`` or ``"random"``.
        sampling_temperature: softmax temperature (Synalinks' default, 0.3).
        population_size: examples kept in the pool per variable.
        name, description: as for every optimizer.
        success_threshold: the reward from which a prediction is an example.
        use_labels: also make examples of the labels ``y`` given to ``fit``.
        only_improvements: as for every optimizer.

    Example:
        Propose the best examples with instructions that announce them:

        >>> import asyncio, random, synalinks_nb as sn
        >>> from synalinks_nb.optimizers import BatchContext, Candidate, ScoredPrediction
        >>> class Announced(GreedyOptimizer):
        ...     async def propose(self, variable, context):
        ...         examples = self.sample_best_predictions(variable, context)
        ...         if not examples:
        ...             return None
        ...         value = {"instructions": f"See the {len(examples)} examples.",
        ...                  "examples": examples}
        ...         return Candidate(value, note="announced")
        >>> var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
        >>> good = ScoredPrediction(0, {"q": "2+2"}, {"a": "4"}, reward=1.0)
        >>> context = BatchContext(0, 0, [good], random.Random(0))
        >>> asyncio.run(Announced(sampling="best").propose(var, context)).value["instructions"]
        'See the 1 examples.'
    """

    def __init__(self, nb_min_examples: int = 1, nb_max_examples: int = 3,
                 sampling: str = "softmax", sampling_temperature: float = 0.3,
                 population_size: int = 20, name: str | None = None,
                 description: str | None = None, success_threshold: float = 0.5,
                 use_labels: bool = True, only_improvements: bool = True) -> None:
        super().__init__(name=name, description=description,
                         only_improvements=only_improvements)
        for arg, value in (("nb_min_examples", nb_min_examples),
                           ("nb_max_examples", nb_max_examples),
                           ("population_size", population_size)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Expected {arg} to be an int. Received: {arg}={value!r}")
        for arg, number in (("sampling_temperature", sampling_temperature),
                            ("success_threshold", success_threshold)):
            if isinstance(number, bool) or not isinstance(number, int | float) \
                    or not math.isfinite(number):
                raise TypeError(f"Expected {arg} to be a finite number. Received: "
                                f"{arg}={number!r}")
        if not 0 <= nb_min_examples <= nb_max_examples:
            raise ValueError(
                "Expected 0 <= nb_min_examples <= nb_max_examples. Received: "
                f"nb_min_examples={nb_min_examples}, nb_max_examples={nb_max_examples}")
        if sampling not in _SAMPLINGS:
            raise ValueError(f"Expected sampling in {_SAMPLINGS}. Received: {sampling!r}")
        if population_size < 1:
            raise ValueError("Expected population_size to be a positive int. Received: "
                             f"population_size={population_size!r}")
        self._seen: dict[str, tuple[list[dict[str, Any]], set[str]]] = {}
        self.nb_min_examples = nb_min_examples
        self.nb_max_examples = nb_max_examples
        self.sampling = sampling
        self.sampling_temperature = float(sampling_temperature)
        self.population_size = population_size
        self.success_threshold = float(success_threshold)
        self.use_labels = bool(use_labels)

    # -- the pool ---------------------------------------------------------------------------

    def _entries(self, context: BatchContext) -> list[dict[str, Any]]:
        """This batch's examples: successful predictions, then labels."""
        found = []
        for p in context.predictions:
            if p.outputs is not None and p.reward >= self.success_threshold:
                found.append({"inputs": p.inputs, "outputs": p.outputs,
                              "reward": p.reward, "source": "prediction"})
            elif self.use_labels:
                outputs = label_outputs(p.y_true, context.output_schema)
                if outputs is not None:
                    found.append({"inputs": p.inputs, "outputs": outputs, "reward": None,
                                  "source": "label"})
        return found

    def update_pool(self, variable: Any, context: BatchContext) -> list[dict[str, Any]]:
        """Add this batch's examples to the variable's pool; returns the pool, best first."""
        state = self.variable_state(variable)
        pool: list[dict[str, Any]] = state.setdefault("pool", [])
        # The same input answered the same way (another epoch, a label equal to a
        # prediction) is one example, so a proposal never shows an example twice. The keys
        # are kept beside the JSON state and rebuilt when the pool is replaced (set_state).
        cached = self._seen.get(variable.path)
        if cached is None or cached[0] is not pool:
            cached = self._seen[variable.path] = (pool, {_example_key(e) for e in pool})
        seen = cached[1]
        for entry in self._entries(context):
            key = _example_key(entry)
            if key not in seen:
                seen.add(key)
                pool.append(entry)
        pool.sort(key=_rank)  # stable: ties keep arrival order
        del pool[self.population_size:]
        return pool

    def draw(self, pool: list[dict[str, Any]], k: int, context: BatchContext,
             sampling: str | None = None) -> list[dict[str, Any]]:
        """``k`` distinct pool entries as examples for the variable value."""
        indices = list(range(len(pool)))
        sampling = sampling or self.sampling
        if sampling == "best":
            chosen = indices[:k]
        elif sampling == "random":
            chosen = sorted(context.rng.sample(indices, k))
        else:
            chosen = []
            temperature = max(self.sampling_temperature, 1e-6)
            for _ in range(k):
                left = [i for i in indices if i not in chosen]
                weights = [math.exp(_reward(pool[i]) / temperature) for i in left]
                chosen.append(context.rng.choices(left, weights=weights)[0])
            chosen.sort()
        return [{"inputs": pool[i]["inputs"], "outputs": pool[i]["outputs"],
                 "reward": pool[i]["reward"]} for i in chosen]

    def sample_best_predictions(self, variable: Any,
                                context: BatchContext) -> list[dict[str, Any]]:
        """Pool this batch's examples, then draw between ``nb_min_examples`` and
        ``nb_max_examples`` of them (fewer when the pool is smaller)."""
        pool = self.update_pool(variable, context)
        if not pool:
            return []
        k = min(len(pool), context.rng.randint(self.nb_min_examples, self.nb_max_examples))
        return self.draw(pool, k, context)

    def get_config(self) -> dict[str, Any]:
        return {"nb_min_examples": self.nb_min_examples, "nb_max_examples": self.nb_max_examples,
                "sampling": self.sampling, "sampling_temperature": self.sampling_temperature,
                "population_size": self.population_size,
                "success_threshold": self.success_threshold, "use_labels": self.use_labels,
                **super().get_config()}


def _reward(entry: dict[str, Any]) -> float:
    reward = entry.get("reward")
    return 1.0 if reward is None else float(reward)


def _rank(entry: dict[str, Any]) -> tuple[int, float]:
    return (entry.get("source") == "label", -_reward(entry))


def _example_key(entry: dict[str, Any]) -> str:
    return json.dumps([entry["inputs"], entry["outputs"]], sort_keys=True)
