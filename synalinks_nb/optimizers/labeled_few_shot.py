"""``LabeledFewShot``: ``k`` labelled training samples as the few-shot examples, no LM call.

DSPy's ``LabeledFewShot`` (not a Synalinks optimizer) is the cheapest thing that
works on a small model: show it a few inputs with their labels. Measured with the
embedded SmolLM2-135M (``bench/README.md``): 4 labels lift headline topics from
0.04 to about 0.5 and city extraction from 0.04 to about 0.75, with no LM call.

It needs no prediction (``needs_predictions = False``), so ``fit`` runs no forward
pass for it: each batch it draws ``k`` labels of the samples seen so far and proposes
them, until one proposal is accepted; after that it proposes nothing more. How a
proposal is accepted is ``fit``'s ``acceptance``:

* ``acceptance="batch"`` — offered unscored (there is no batch score without
  predictions): with no ``validation_data`` either, **``fit`` makes no LM call**;
* ``acceptance="validation"`` (the default) — confirmed on the validation data
  first (its calls), so a draw that does worse than the current value is
  discarded and the next batch draws again: a small random search over label sets.

A label gives examples to the modules whose outputs share fields with it. For a
module whose inputs are the program's inputs (typically the single Generator of a
program) that costs nothing. A module fed by another module (the last Generator of a
chain) has inputs that exist only after calls: with ``bootstrap_inputs=True``
(default) each step runs ``k`` labelled samples through the program (``k`` program
calls, a few per sample in a chain) and pairs the inputs that module received with
the labels; a sample the program got right also gives the upstream modules its
traced answers as examples. Measured on the bench's city → country chain (SmolLM2,
two Generators, labels give only the country): see ``bench/README.md``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from synalinks_nb.optimizers.greedy_optimizer import GreedyOptimizer
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate
from synalinks_nb.utils.registry import register_builtin

__all__ = ["LabeledFewShot"]

_SAMPLINGS = ("diverse", "random", "best")

_log = logging.getLogger(__name__)


@register_builtin
class LabeledFewShot(GreedyOptimizer):
    """Propose ``k`` labelled samples as examples, without calling the model.

    Args:
        k: examples per proposal (DSPy's default is 16, sized for large models;
            4 suits a small one).
        sampling: how the ``k`` labels are drawn from those seen: ``"diverse"``
            (default: at random, but each answer shown once before any is shown
            twice), ``"random"`` (uniformly) or ``"best"`` (the first ones).
            Measured on the shipped headline topics (SmolLM2, 48 test headlines,
            0.71 without examples): four labels of four different topics gave 0.90
            and 0.92, a uniform draw of technology, health and business twice gave
            0.19, the model answering mostly with the topics it was shown.
        population_size: labels kept per variable to draw from.
        bootstrap_inputs: for a module fed by another module, run ``k`` labelled
            samples through the program once per step (until a proposal is
            accepted) to learn its inputs. ``False``: such a module gets no
            example, and ``fit`` makes no call for this optimizer.
        name, description, only_improvements: as for every optimizer.

    Example:
        >>> import asyncio, random, synalinks_nb as sn
        >>> from synalinks_nb.optimizers import BatchContext, ScoredPrediction
        >>> var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
        >>> labelled = [ScoredPrediction(i, {"q": f"{i}+{i}"}, None, reward=0.0,
        ...                              y_true={"a": str(2 * i)}) for i in range(6)]
        >>> context = BatchContext(0, 0, labelled, random.Random(0),
        ...                        output_schema={"properties": {"a": {}}})
        >>> candidate = asyncio.run(LabeledFewShot(k=2).propose(var, context))
        >>> [e["outputs"]["a"] for e in candidate.value["examples"]]
        ['6', '10']
        >>> candidate.note
        '2 labelled example(s), drawn at random, distinct answers first, from 6 label(s)'
    """

    #: ``fit`` runs no forward pass for this optimizer (see the module docstring).
    needs_predictions = False

    def __init__(self, k: int = 4, sampling: str = "diverse", population_size: int = 200,
                 bootstrap_inputs: bool = True, name: str | None = None,
                 description: str | None = None, only_improvements: bool = True) -> None:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"Expected k to be a positive int. Received: k={k!r}")
        if sampling not in _SAMPLINGS:
            raise ValueError(f"Expected sampling in {_SAMPLINGS}. Received: {sampling!r}")
        super().__init__(nb_min_examples=k, nb_max_examples=k,
                         sampling="random" if sampling == "diverse" else sampling,
                         population_size=max(population_size, k), name=name,
                         description=description, use_labels=True,
                         only_improvements=only_improvements)
        self.k = k
        self.sampling = sampling
        self.bootstrap_inputs = bool(bootstrap_inputs)

    def wants_inputs(self, variable: Any) -> bool:
        """Whether ``fit`` should run a few labelled samples to learn the inputs of the
        module owning ``variable`` (fed by another module): until a proposal is accepted."""
        return self.bootstrap_inputs and not self.variable_state(variable).get("settled")

    def samples_to_run(self, labels: list[Any], rng: Any) -> list[int]:
        """The positions of the ``k`` labelled samples to run, distinct answers first (with
        ``sampling="best"``: the first ``k``)."""
        if self.sampling == "best":
            return list(range(min(self.k, len(labels))))
        return _diverse_order([json.dumps(y, sort_keys=True) for y in labels], self.k, rng)

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        state = self.variable_state(variable)
        if state.get("settled"):
            return None
        pool = self.update_pool(variable, context)
        if not pool:
            if not state.get("warned"):
                state["warned"] = True
                _log.warning("LabeledFewShot has no labelled example for %s: the labels do "
                             "not answer its module, or its inputs are not the program's "
                             "(bootstrap_inputs=%s).", variable.path, self.bootstrap_inputs)
            return None
        k = min(self.k, len(pool))
        if self.sampling == "diverse":
            examples = _diverse(pool, k, context)
        else:
            examples = self.draw(pool, k, context)
        value = variable.get_json()
        value["examples"] = examples
        how = {"diverse": "at random, distinct answers first", "random": "at random",
               "best": "first"}[self.sampling]
        return Candidate(value, note=f"{len(examples)} labelled example(s), drawn {how}, "
                                     f"from {len(pool)} label(s)")

    def on_decision(self, variable: Any, proposal: Any, decision: Any) -> None:
        super().on_decision(variable, proposal, decision)
        if getattr(decision, "accepted", False):
            self.variable_state(variable)["settled"] = True

    def get_config(self) -> dict[str, Any]:
        return {"k": self.k, "sampling": self.sampling, "population_size": self.population_size,
                "bootstrap_inputs": self.bootstrap_inputs,
                "name": self.name, "only_improvements": self.only_improvements,
                **({"description": self.description} if self.description else {})}


def _diverse(pool: list[dict[str, Any]], k: int, context: BatchContext) -> list[dict[str, Any]]:
    """``k`` entries in a random order where no answer repeats before every answer in the
    pool has been shown once: a classifier sees its classes, not one class twice."""
    answers = [json.dumps(entry["outputs"], sort_keys=True) for entry in pool]
    return [{"inputs": pool[i]["inputs"], "outputs": pool[i]["outputs"],
             "reward": pool[i]["reward"]} for i in _diverse_order(answers, k, context.rng)]


def _diverse_order(answers: list[str], k: int, rng: Any) -> list[int]:
    """``k`` positions of ``answers`` drawn at random, each answer once before any twice.

    Example:
        >>> import random
        >>> _diverse_order(["a", "a", "a", "b"], 2, random.Random(0))
        [1, 3]
    """
    order = rng.sample(range(len(answers)), len(answers))
    chosen: list[int] = []
    shown: set[str] = set()
    for repeat in (False, True):
        for i in order:
            if len(chosen) < k and i not in chosen and (repeat or answers[i] not in shown):
                chosen.append(i)
                shown.add(answers[i])
    return sorted(chosen)
