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
population is full (``algorithm="dns"``, Dominated Novelty Search), the member with
the lowest ``reward + diversity * novelty`` goes, novelty being the mean distance to
the ``k_nearest_fitter`` closest members scoring at least as well; with
``algorithm="ga"`` the lowest reward goes. The best always stays. Distances are
cosine distances of the members' embeddings when an ``embedding_model`` is given,
else word-level Jaccard distances.

Which member evolves is ``selection``'s choice: ``"best"`` (the default here),
``"random"``, or ``"softmax"`` over rewards at ``selection_temperature`` (Synalinks'
default). ``use_chain_of_thought=True`` asks the model to think before it writes the
value (Synalinks' default; off here, so a model answers with the value alone).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from synalinks_nb.modules.core.language_model_ref import (
    deserialize_language_model,
    serialize_language_model,
)
from synalinks_nb.optimizers._program_model import OptimizerModel
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, Optimizer
from synalinks_nb.utils.registry import register_builtin

__all__ = ["CROSSOVER_INSTRUCTIONS", "MUTATION_INSTRUCTIONS", "OMEGA", "cosine_distance"]

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


def cosine_distance(a: list[float], b: list[float]) -> float:
    """``1 - cosine similarity`` of two vectors (1.0 when one is all zeros).

    Example:
        >>> cosine_distance([1.0, 0.0], [2.0, 0.0]), cosine_distance([1.0, 0.0], [0.0, 1.0])
        (0.0, 1.0)
    """
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return 1.0 - sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 1.0


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@register_builtin
class OMEGA(Optimizer):
    """Evolve a variable with LM-driven mutation and crossover over a diverse population.

    Args:
        language_model: the model writing candidates (object or id); ``None``
            uses the model of the program being trained (its first Generator's),
            so a program on a hosted model is not optimized by the embedded one.
        instructions: more instructions about the task, given to the model with its own.
        embedding_model: embeds members to measure their novelty (``None``: word overlap).
        population_size: members kept per variable.
        merging_rate: base crossover probability (grows with epochs, capped at 0.5).
        diversity: weight of novelty when pruning the population.
        k_nearest_fitter: fitter members a novelty is measured against.
        distance_function: ``f(vector_a, vector_b) -> float`` replacing the cosine
            distance of embeddings (not saved with the optimizer).
        nb_examples: predictions shown to the model per proposal.
        mutation_temperature, crossover_temperature: sampling temperatures.
        reasoning_effort: passed to the model's calls.
        use_chain_of_thought: let the model think before it writes the value.
        algorithm: ``"dns"`` (prune by reward and novelty) or ``"ga"`` (by reward).
        selection, selection_temperature: which member evolves (see the module doc).
        name, description, only_improvements: as for every optimizer.

    Example:
        >>> import synalinks_nb as sn
        >>> omega = OMEGA(sn.ScriptedLanguageModel(), population_size=4, algorithm="ga")
        >>> omega.get_config()["population_size"], omega.get_config()["algorithm"]
        (4, 'ga')
    """

    def __init__(self, language_model: Any = None, population_size: int = 8,
                 merging_rate: float = 0.3, diversity: float = 0.2, nb_examples: int = 4,
                 mutation_temperature: float = 1.0, crossover_temperature: float = 1.0,
                 name: str | None = None, only_improvements: bool = True,
                 description: str | None = None, *, instructions: str | None = None,
                 embedding_model: Any = None, k_nearest_fitter: int = 5,
                 distance_function: Callable[[Any, Any], float] | None = None,
                 reasoning_effort: str | None = None, use_chain_of_thought: bool = False,
                 algorithm: str = "dns", selection: str = "best",
                 selection_temperature: float = 0.3) -> None:
        super().__init__(name=name, only_improvements=only_improvements,
                         description=description)
        _check_choice("algorithm", algorithm, ("dns", "ga"))
        _check_choice("selection", selection, ("best", "random", "softmax"))
        if population_size < 2:
            raise ValueError(f"Expected population_size >= 2. Received: {population_size}")
        if k_nearest_fitter < 1:
            raise ValueError(f"Expected k_nearest_fitter >= 1. Received: {k_nearest_fitter}")
        self._writer = OptimizerModel(language_model)
        self.language_model = self._writer.ref
        self.instructions = instructions or ""
        self.embedding_model = embedding_model
        self.population_size = int(population_size)
        self.merging_rate = float(merging_rate)
        self.diversity = float(diversity)
        self.k_nearest_fitter = int(k_nearest_fitter)
        self.distance_function = distance_function
        self.nb_examples = int(nb_examples)
        self.mutation_temperature = float(mutation_temperature)
        self.crossover_temperature = float(crossover_temperature)
        self.reasoning_effort = reasoning_effort
        self.use_chain_of_thought = bool(use_chain_of_thought)
        self.algorithm = algorithm
        self.selection = selection
        self.selection_temperature = float(selection_temperature)
        # Embeddings of member values, by value: a cache (recomputed, never saved).
        self._descriptors: dict[str, list[float]] = {}

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

    def _select(self, population: list[dict[str, Any]], context: BatchContext) -> Any:
        if self.selection == "random":
            return context.rng.choice(population)
        if self.selection == "softmax":
            top = max(float(m["reward"]) for m in population)
            weights = [math.exp((float(m["reward"]) - top) / max(self.selection_temperature,
                                                                  1e-6)) for m in population]
            return context.rng.choices(population, weights=weights)[0]
        return max(population, key=lambda m: m["reward"])

    async def _describe(self, values: list[Any]) -> None:
        """Embed the values not embedded yet (only with an embedding model)."""
        missing = [v for v in values if _key(v) not in self._descriptors]
        if self.embedding_model is None or not missing:
            return
        result = await self.embedding_model([_key(v) for v in missing])
        vectors = result["embeddings"] if isinstance(result, dict) else result
        for value, vector in zip(missing, vectors, strict=True):
            self._descriptors[_key(value)] = [float(x) for x in vector]

    def _distance(self, a: Any, b: Any) -> float:
        va, vb = self._descriptors.get(_key(a)), self._descriptors.get(_key(b))
        if va is None or vb is None:  # no embedding model, or an edited value not seen yet
            return distance(a, b)
        return float((self.distance_function or cosine_distance)(va, vb))

    def _messages(self, system: str, payload: dict[str, Any]) -> list[dict[str, str]]:
        if self.instructions:
            system = f"{system}\n\nAbout the task: {self.instructions}"
        return [{"role": "system", "content": system},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        population = self._population(variable, context)
        await self._describe([m["value"] for m in population])
        state = self.variable_state(variable)
        parent = self._select(population, context)
        rate = min(0.5, self.merging_rate * (1 + int(self.state["epochs"])))
        if len(population) >= 2 and context.rng.random() < rate:
            other = max((m for m in population if m is not parent),
                        key=lambda m: self._distance(m["value"], parent["value"]))
            payload = {"parent_1": parent["value"], "parent_2": other["value"]}
            system, temperature, op = CROSSOVER_INSTRUCTIONS, self.crossover_temperature, \
                "crossover"
        else:
            payload = {"variable": parent["value"]}
            system, temperature, op = MUTATION_INSTRUCTIONS, self.mutation_temperature, \
                "mutation"
        payload["examples"] = self._examples(context)
        value = await self._write(self._messages(system, payload), variable.schema, temperature)
        await self._describe([value])
        state[f"{op}s"] += 1
        return Candidate(value, note=op, extra={"origin": op})

    async def _write(self, messages: list[dict[str, str]], schema: dict[str, Any],
                     temperature: float) -> Any:
        kwargs: dict[str, Any] = {"temperature": temperature}
        if self.reasoning_effort is not None:
            kwargs["reasoning_effort"] = self.reasoning_effort
        if not self.use_chain_of_thought:
            return (await self._model()(messages, schema=schema, **kwargs)).get_json()
        # The thinking comes first so the value is written after it; only the value is kept.
        thinking = {"type": "string", "description": "Your step by step thinking"}
        with_thinking = {**schema, "properties": {"thinking": thinking, **schema["properties"]},
                         "required": ["thinking", *schema.get("required", [])]}
        answer = (await self._model()(messages, schema=with_thinking, **kwargs)).get_json()
        answer.pop("thinking", None)
        return answer

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
                if self.algorithm == "ga":
                    return float(member["reward"])
                peers = [m for m in population if m is not member and m["reward"] >= member[
                    "reward"]]
                nearest = sorted(self._distance(member["value"], m["value"]) for m in peers)
                nearest = nearest[: self.k_nearest_fitter]
                novelty = sum(nearest) / len(nearest) if nearest else 1.0
                return float(member["reward"]) + self.diversity * novelty

            worst = min((m for m in population if m is not best), key=fitness)
            population.remove(worst)

    def get_config(self) -> dict[str, Any]:
        model = self.embedding_model
        return {"language_model": serialize_language_model(self.language_model),
                "instructions": self.instructions,
                "embedding_model": model.get_config() if hasattr(model, "get_config") else None,
                "population_size": self.population_size, "merging_rate": self.merging_rate,
                "diversity": self.diversity, "k_nearest_fitter": self.k_nearest_fitter,
                "nb_examples": self.nb_examples,
                "mutation_temperature": self.mutation_temperature,
                "crossover_temperature": self.crossover_temperature,
                "reasoning_effort": self.reasoning_effort,
                "use_chain_of_thought": self.use_chain_of_thought, "algorithm": self.algorithm,
                "selection": self.selection,
                "selection_temperature": self.selection_temperature, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> OMEGA:
        config = dict(config)
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        if isinstance(config.get("embedding_model"), dict):
            from synalinks_nb.language_models import EmbeddingModel

            config["embedding_model"] = EmbeddingModel.from_config(config["embedding_model"])
        return cls(**config)


def _check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"Expected {name} in {list(allowed)}. Received: {name}={value!r}")
