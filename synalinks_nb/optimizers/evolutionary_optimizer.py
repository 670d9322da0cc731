"""``EvolutionaryOptimizer``: the base of optimizers that evolve a population of values.

Per variable, the optimizer state holds a population of values with the reward each
scored (the current value first). Each batch one member is selected (``selection``:
``"best"``, ``"random"``, or ``"softmax"`` over rewards at ``selection_temperature``)
and either **mutated** or **merged** (crossover) with the member most distant from it;
the scored candidate joins the population after the decision, and the population is
pruned to ``population_size`` (by default the lowest reward goes; the best always stays).

The crossover probability is ``merging_rate * (1 + epochs)``, capped at 0.5 so mutation
keeps exploring: it grows with the epochs the trainer counts (Synalinks multiplies by an
epoch counter that never advances, so its crossovers never happen).

A module's ``seed_instructions`` (``Generator(seed_instructions=[...])``) and a
variable's ``seed_candidates`` (partial values given to a ``Trainable``, as in Synalinks)
are proposed first, one per batch, before any evolution: each is scored and decided like
any proposal and joins the population when scored.

Subclasses implement ``mutate_candidate`` and ``merge_candidate``, as in Synalinks, and
may override ``prune`` (OMEGA keeps novel members) and ``distance``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from synalinks_nb.modules.core.language_model_ref import (
    deserialize_language_model,
    serialize_language_model,
)
from synalinks_nb.optimizers._program_model import OptimizerModel
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, Optimizer

__all__ = ["SELECTIONS", "EvolutionaryOptimizer", "word_distance"]

SELECTIONS = ("best", "random", "softmax")
_WORD = re.compile(r"\w+")


def _words(value: Any) -> set[str]:
    return {w.lower() for w in _WORD.findall(json.dumps(value, ensure_ascii=False))}


def word_distance(a: Any, b: Any) -> float:
    """Word-level Jaccard distance between two JSON values.

    Example:
        >>> word_distance({"i": "be brief"}, {"i": "be brief"})
        0.0
        >>> word_distance({"i": "a"}, {"j": "b"})
        1.0
    """
    wa, wb = _words(a), _words(b)
    union = wa | wb
    return 1.0 - len(wa & wb) / len(union) if union else 0.0


class EvolutionaryOptimizer(Optimizer):
    """Base class of optimizers evolving a population of values (see the module doc).

    Subclass contract: implement ``async mutate_candidate(variable, parent, context)``
    and ``async merge_candidate(variable, parent, other, context)``, each returning a
    new value (JSON valid for the variable's schema); ``self.writer()`` is the language
    model to write with.

    Args:
        language_model: the model writing candidates (object or id); ``None`` uses the
            model of the program being trained (its first Generator's).
        mutation_temperature, crossover_temperature: sampling temperatures.
        selection: ``"best"``, ``"random"`` or ``"softmax"``.
        selection_temperature: the softmax temperature.
        merging_rate: base crossover probability (grows with epochs, capped at 0.5).
        population_size: members kept per variable.
        name, description, only_improvements: as for every optimizer.

    Example:
        An optimizer that appends a word, and merges by joining:

        >>> import asyncio, random, synalinks_nb as sn
        >>> from synalinks_nb.optimizers import BatchContext
        >>> class Louder(EvolutionaryOptimizer):
        ...     async def mutate_candidate(self, variable, parent, context):
        ...         return {**parent, "instructions": parent["instructions"] + " Louder."}
        ...     async def merge_candidate(self, variable, parent, other, context):
        ...         joined = parent["instructions"] + " " + other["instructions"]
        ...         return {**parent, "instructions": joined}
        >>> var = sn.Variable(sn.Instructions(instructions="Speak."), data_model=sn.Instructions)
        >>> context = BatchContext(0, 0, [], random.Random(0), reward=0.5)
        >>> asyncio.run(Louder(merging_rate=0.0).propose(var, context)).value["instructions"]
        'Speak. Louder.'
    """

    def __init__(self, language_model: Any = None, mutation_temperature: float = 1.0,
                 crossover_temperature: float = 1.0, selection: str = "best",
                 selection_temperature: float = 0.3, merging_rate: float = 0.3,
                 population_size: int = 8, name: str | None = None,
                 description: str | None = None, only_improvements: bool = True) -> None:
        super().__init__(name=name, only_improvements=only_improvements,
                         description=description)
        if selection not in SELECTIONS:
            raise ValueError(f"Expected selection in {list(SELECTIONS)}. "
                             f"Received: selection={selection!r}")
        if isinstance(population_size, bool) or not isinstance(population_size, int) or (
                population_size < 2):
            raise ValueError(f"Expected population_size >= 2. Received: {population_size!r}")
        self._writer = OptimizerModel(language_model)
        self.language_model = self._writer.ref
        self.mutation_temperature = float(mutation_temperature)
        self.crossover_temperature = float(crossover_temperature)
        self.selection = selection
        self.selection_temperature = float(selection_temperature)
        self.merging_rate = float(merging_rate)
        self.population_size = population_size
        # Each variable's seeds (partial values), found when fit begins.
        self._seeds: dict[str, list[dict[str, Any]]] = {}

    # -- what subclasses implement ----------------------------------------------------

    async def mutate_candidate(self, variable: Any, parent: Any, context: BatchContext) -> Any:
        """A new value derived from ``parent`` (a member's value)."""
        raise NotImplementedError(f"{type(self).__name__} must implement mutate_candidate.")

    async def merge_candidate(self, variable: Any, parent: Any, other: Any,
                              context: BatchContext) -> Any:
        """A new value combining ``parent`` and ``other``."""
        raise NotImplementedError(f"{type(self).__name__} must implement merge_candidate.")

    def distance(self, a: Any, b: Any) -> float:
        """How different two values are (word-level Jaccard by default)."""
        return word_distance(a, b)

    def prune(self, population: list[dict[str, Any]]) -> None:
        """Drop members until ``population_size`` remain; default: the lowest rewards."""
        while len(population) > self.population_size:
            best = max(population, key=lambda m: m["reward"])
            population.remove(min((m for m in population if m is not best),
                                  key=lambda m: m["reward"]))

    # -- the loop ---------------------------------------------------------------------

    def on_train_begin(self, program: Any) -> None:
        """Without a model of its own, the optimizer writes with the program's; the
        modules' ``seed_instructions`` are noted."""
        self._writer.bind(program)
        self._seeds = {}
        for variable in program.trainable_variables:
            texts = getattr(program.owner_of(variable), "seed_instructions", None) or []
            seeds = [{"instructions": text} for text in texts]
            seeds += list(getattr(variable, "seed_candidates", None) or [])
            if seeds:
                self._seeds[variable.path] = seeds

    def writer(self) -> Any:
        """The language model to write candidates with."""
        return self._writer.get()

    def population(self, variable: Any, context: BatchContext) -> list[dict[str, Any]]:
        """The variable's members (``value``, ``reward``, ``origin``), created with its value."""
        state = self.variable_state(variable)
        state.setdefault("mutations", 0)
        state.setdefault("crossovers", 0)
        members: list[dict[str, Any]] = state.setdefault("population", [])
        if not members:
            members.append({"value": variable.get_json(), "reward": context.reward,
                            "origin": "initial"})
        return members

    def select_candidate(self, population: list[dict[str, Any]],
                         context: BatchContext) -> dict[str, Any]:
        """The member to evolve, by ``selection``."""
        if self.selection == "random":
            return context.rng.choice(population)
        if self.selection == "softmax":
            top = max(float(m["reward"]) for m in population)
            temperature = max(self.selection_temperature, 1e-6)
            weights = [math.exp((float(m["reward"]) - top) / temperature) for m in population]
            return context.rng.choices(population, weights=weights)[0]
        return max(population, key=lambda m: m["reward"])

    def select_evolving_strategy(self, population: list[dict[str, Any]],
                                 context: BatchContext) -> str:
        """``"crossover"`` with the growing merging probability, else ``"mutation"``."""
        rate = min(0.5, self.merging_rate * (1 + int(self.state["epochs"])))
        if len(population) >= 2 and context.rng.random() < rate:
            return "crossover"
        return "mutation"

    def _next_seed(self, variable: Any) -> Candidate | None:
        """The next seed instructions not proposed yet (the count is in the saved state)."""
        seeds = self._seeds.get(variable.path, [])
        state = self.variable_state(variable)
        tried = int(state.get("seeds_tried", 0))
        value = variable.get_json()
        if tried >= len(seeds) or not isinstance(value, dict) or not set(seeds[tried]) <= set(
                value):
            return None
        state["seeds_tried"] = tried + 1
        return Candidate({**value, **seeds[tried]}, note="seed", extra={"origin": "seed"})

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        population = self.population(variable, context)
        seed = self._next_seed(variable)
        if seed is not None:
            return seed
        await self.before_proposal([m["value"] for m in population])
        parent = self.select_candidate(population, context)
        op = self.select_evolving_strategy(population, context)
        if op == "crossover":
            other = max((m for m in population if m is not parent),
                        key=lambda m: self.distance(m["value"], parent["value"]))
            value = await self.merge_candidate(variable, parent["value"], other["value"],
                                               context)
        else:
            value = await self.mutate_candidate(variable, parent["value"], context)
        await self.before_proposal([value])
        self.variable_state(variable)[f"{op}s"] += 1
        return Candidate(value, note=op, extra={"origin": op})

    async def before_proposal(self, values: list[Any]) -> None:
        """A hook run on the members before selection, and on the new value (no-op here)."""

    def on_decision(self, variable: Any, proposal: Any, decision: Any) -> None:
        super().on_decision(variable, proposal, decision)
        if proposal.reward_after is None:
            return
        population = self.variable_state(variable).setdefault("population", [])
        population.append({"value": proposal.after, "reward": proposal.reward_after,
                           "origin": proposal.note})
        self.prune(population)

    def get_config(self) -> dict[str, Any]:
        return {"language_model": serialize_language_model(self.language_model),
                "mutation_temperature": self.mutation_temperature,
                "crossover_temperature": self.crossover_temperature,
                "selection": self.selection, "selection_temperature": self.selection_temperature,
                "merging_rate": self.merging_rate, "population_size": self.population_size,
                **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> EvolutionaryOptimizer:
        config = dict(config)
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)
