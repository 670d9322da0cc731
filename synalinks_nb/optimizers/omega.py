"""``OMEGA``: evolutionary optimization of a variable's JSON by a language model.

OMEGA keeps, per variable, a population of candidate values with the reward
each scored on its minibatch (in the optimizer state, not in the variable).
Each batch it asks its language model for one new candidate, either

* a **mutation** of the best member, shown this batch's inputs, predictions,
  ground truths and rewards (worst first), or
* a **crossover** of the best member and the member most different from it,

and after the decision adds the scored candidate to the population. The
crossover probability ``merging_rate * (1 + epochs)`` (capped at 0.5, so
mutation keeps exploring) grows with the epochs counted by the trainer, so
crossover does happen (Synalinks never advances that counter). When the
population is full, the member with the lowest ``reward + diversity * novelty``
goes, novelty being the word-level Jaccard distance to the closest member
scoring at least as well; the best always stays.
"""

from __future__ import annotations

import json
import re
from typing import Any

from synalinks_nb.modules.core.language_model_ref import (
    deserialize_language_model,
    serialize_language_model,
)
from synalinks_nb.optimizers._program_model import OptimizerModel
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, Optimizer
from synalinks_nb.utils.registry import register_builtin

__all__ = ["CROSSOVER_INSTRUCTIONS", "MUTATION_INSTRUCTIONS", "OMEGA"]

MUTATION_INSTRUCTIONS = (
    "You optimize a program variable (mutate it). Given the current variable JSON and examples "
    "of inputs, predictions, ground truths and rewards, answer with an improved variable JSON "
    "that matches the schema and fixes the mistakes."
)
CROSSOVER_INSTRUCTIONS = (
    "You optimize a program variable (crossover). Combine the strengths of the two parent "
    "variables into one child variable JSON that matches the schema, using the examples of "
    "inputs, predictions, ground truths and rewards."
)
_WORD = re.compile(r"\w+")


def _words(value: Any) -> set[str]:
    return {w.lower() for w in _WORD.findall(json.dumps(value, ensure_ascii=False))}


def distance(a: Any, b: Any) -> float:
    """Word-level Jaccard distance between two JSON values.

    Example:
        >>> distance({"i": "be brief"}, {"i": "be brief"}), distance({"i": "a"}, {"j": "b"})
        (0.0, 1.0)
    """
    wa, wb = _words(a), _words(b)
    union = wa | wb
    return 1.0 - len(wa & wb) / len(union) if union else 0.0


@register_builtin
class OMEGA(Optimizer):
    """Evolve a variable with LM-driven mutation and crossover over a diverse population.

    Args:
        language_model: the model writing candidates (object or id); ``None``
            uses the model of the program being trained (its first Generator's),
            so a program on a hosted model is not optimized by the embedded one.
        population_size: members kept per variable.
        merging_rate: base crossover probability (grows with epochs, capped at 0.5).
        diversity: weight of novelty when pruning the population.
        nb_examples: predictions shown to the model per proposal.
        mutation_temperature, crossover_temperature: sampling temperatures.
        name, only_improvements: as for every optimizer.

    Example:
        >>> import synalinks_nb as sn
        >>> OMEGA(sn.ScriptedLanguageModel(), population_size=4).get_config()["population_size"]
        4
    """

    def __init__(self, language_model: Any = None, population_size: int = 8,
                 merging_rate: float = 0.3, diversity: float = 0.2, nb_examples: int = 4,
                 mutation_temperature: float = 1.0, crossover_temperature: float = 1.0,
                 name: str | None = None, only_improvements: bool = True,
                 description: str | None = None) -> None:
        super().__init__(name=name, only_improvements=only_improvements,
                         description=description)
        if population_size < 2:
            raise ValueError(f"Expected population_size >= 2. Received: {population_size}")
        self._writer = OptimizerModel(language_model)
        self.language_model = self._writer.ref
        self.population_size = int(population_size)
        self.merging_rate = float(merging_rate)
        self.diversity = float(diversity)
        self.nb_examples = int(nb_examples)
        self.mutation_temperature = float(mutation_temperature)
        self.crossover_temperature = float(crossover_temperature)

    def on_train_begin(self, program: Any) -> None:
        """Without a model of its own, OMEGA writes with the program's."""
        self._writer.bind(program)

    def _model(self) -> Any:
        return self._writer.get()

    def _population(self, variable: Any, context: BatchContext) -> list[dict[str, Any]]:
        state = self.variable_state(variable)
        state.setdefault("mutations", 0)
        state.setdefault("crossovers", 0)
        population: list[dict[str, Any]] = state.setdefault("population", [])
        if not population:
            population.append({"value": variable.get_json(), "reward": context.reward,
                               "origin": "initial"})
        return population

    def _examples(self, context: BatchContext) -> list[dict[str, Any]]:
        ranked = sorted(context.predictions, key=lambda p: p.reward)[: self.nb_examples]
        return [{"inputs": p.inputs, "prediction": p.outputs, "ground_truth": p.y_true,
                 "reward": p.reward} for p in ranked]

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        population = self._population(variable, context)
        state = self.variable_state(variable)
        best = max(population, key=lambda m: m["reward"])
        rate = min(0.5, self.merging_rate * (1 + int(self.state["epochs"])))
        if len(population) >= 2 and context.rng.random() < rate:
            other = max((m for m in population if m is not best),
                        key=lambda m: distance(m["value"], best["value"]))
            payload = {"parent_1": best["value"], "parent_2": other["value"]}
            system, temperature, op = CROSSOVER_INSTRUCTIONS, self.crossover_temperature, \
                "crossover"
        else:
            payload = {"variable": best["value"]}
            system, temperature, op = MUTATION_INSTRUCTIONS, self.mutation_temperature, \
                "mutation"
        payload["examples"] = self._examples(context)
        messages = [{"role": "system", "content": system},
                    {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]
        result = await self._model()(messages, schema=variable.schema,
                                                 temperature=temperature)
        state[f"{op}s"] += 1
        return Candidate(result.get_json(), note=op, extra={"origin": op})

    def on_decision(self, variable: Any, proposal: Any, decision: Any) -> None:
        super().on_decision(variable, proposal, decision)
        if proposal.reward_after is None:
            return
        population = self.variable_state(variable).setdefault("population", [])
        population.append({"value": proposal.after, "reward": proposal.reward_after,
                           "origin": proposal.note})
        self._prune(population)

    def _prune(self, population: list[dict[str, Any]]) -> None:
        while len(population) > self.population_size:
            best = max(population, key=lambda m: m["reward"])

            def fitness(member: dict[str, Any]) -> float:
                peers = [m for m in population if m is not member and m["reward"] >= member[
                    "reward"]]
                novelty = min((distance(member["value"], m["value"]) for m in peers),
                              default=1.0)
                return float(member["reward"]) + self.diversity * novelty

            worst = min((m for m in population if m is not best), key=fitness)
            population.remove(worst)

    def get_config(self) -> dict[str, Any]:
        return {"language_model": serialize_language_model(self.language_model),
                "population_size": self.population_size, "merging_rate": self.merging_rate,
                "diversity": self.diversity, "nb_examples": self.nb_examples,
                "mutation_temperature": self.mutation_temperature,
                "crossover_temperature": self.crossover_temperature, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> OMEGA:
        config = dict(config)
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)
