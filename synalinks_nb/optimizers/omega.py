"""``OMEGA``: evolutionary optimization of a variable's JSON by a language model.

OMEGA is an :class:`~.evolutionary_optimizer.EvolutionaryOptimizer` (population,
selection, mutation or crossover, growing crossover rate) whose language model writes
the new values:

* a **mutation** of the selected member, shown this batch's inputs, predictions,
  ground truths and rewards (worst first);
* a **crossover** of the selected member and the member most different from it.

When the population is full (``algorithm="dns"``, Dominated Novelty Search), the member
with the lowest ``reward + diversity * novelty`` goes, novelty being the mean distance
to the ``k_nearest_fitter`` closest members scoring at least as well; with
``algorithm="ga"`` the lowest reward goes. The best always stays. Distances are cosine
distances of the members' embeddings when an ``embedding_model`` is given, else
word-level Jaccard distances.

Which member evolves is ``selection``'s choice: ``"best"`` (the default here),
``"random"``, or ``"softmax"`` (Synalinks' default). ``use_chain_of_thought=True`` asks
the model to think before it writes the value (Synalinks' default; off here, so a
model answers with the value alone).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from synalinks_nb.optimizers.evolutionary_optimizer import EvolutionaryOptimizer, word_distance
from synalinks_nb.optimizers.optimizer import BatchContext
from synalinks_nb.utils.registry import register_builtin

__all__ = [
    "CROSSOVER_INSTRUCTIONS", "MUTATION_INSTRUCTIONS", "OMEGA", "cosine_distance", "distance",
]

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
# The word-level distance, under the name this module has always exported.
distance = word_distance


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
class OMEGA(EvolutionaryOptimizer):
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
        super().__init__(language_model=language_model,
                         mutation_temperature=mutation_temperature,
                         crossover_temperature=crossover_temperature, selection=selection,
                         selection_temperature=selection_temperature,
                         merging_rate=merging_rate, population_size=population_size, name=name,
                         description=description, only_improvements=only_improvements)
        if algorithm not in ("dns", "ga"):
            raise ValueError(
                f"Expected algorithm in ['dns', 'ga']. Received: algorithm={algorithm!r}")
        if k_nearest_fitter < 1:
            raise ValueError(f"Expected k_nearest_fitter >= 1. Received: {k_nearest_fitter}")
        self.instructions = instructions or ""
        self.embedding_model = embedding_model
        self.diversity = float(diversity)
        self.k_nearest_fitter = int(k_nearest_fitter)
        self.distance_function = distance_function
        self.nb_examples = int(nb_examples)
        self.reasoning_effort = reasoning_effort
        self.use_chain_of_thought = bool(use_chain_of_thought)
        self.algorithm = algorithm
        # Embeddings of member values, by value: a cache (recomputed, never saved).
        self._descriptors: dict[str, list[float]] = {}

    def _examples(self, context: BatchContext) -> list[dict[str, Any]]:
        ranked = sorted(context.predictions, key=lambda p: p.reward)[: self.nb_examples]
        return [{"inputs": p.inputs, "prediction": p.outputs, "ground_truth": p.y_true,
                 "reward": p.reward} for p in ranked]

    async def before_proposal(self, values: list[Any]) -> None:
        """Embed the values not embedded yet (only with an embedding model)."""
        missing = [v for v in values if _key(v) not in self._descriptors]
        if self.embedding_model is None or not missing:
            return
        result = await self.embedding_model([_key(v) for v in missing])
        vectors = result["embeddings"] if isinstance(result, dict) else result
        for value, vector in zip(missing, vectors, strict=True):
            self._descriptors[_key(value)] = [float(x) for x in vector]

    def distance(self, a: Any, b: Any) -> float:
        va, vb = self._descriptors.get(_key(a)), self._descriptors.get(_key(b))
        if va is None or vb is None:  # no embedding model, or an edited value not seen yet
            return distance(a, b)
        return float((self.distance_function or cosine_distance)(va, vb))

    def _messages(self, system: str, payload: dict[str, Any]) -> list[dict[str, str]]:
        if self.instructions:
            system = f"{system}\n\nAbout the task: {self.instructions}"
        return [{"role": "system", "content": system},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]

    async def mutate_candidate(self, variable: Any, parent: Any, context: BatchContext) -> Any:
        payload = {"variable": parent, "examples": self._examples(context)}
        return await self._write(self._messages(MUTATION_INSTRUCTIONS, payload), variable.schema,
                                 self.mutation_temperature)

    async def merge_candidate(self, variable: Any, parent: Any, other: Any,
                              context: BatchContext) -> Any:
        payload = {"parent_1": parent, "parent_2": other, "examples": self._examples(context)}
        return await self._write(self._messages(CROSSOVER_INSTRUCTIONS, payload),
                                 variable.schema, self.crossover_temperature)

    async def _write(self, messages: list[dict[str, str]], schema: dict[str, Any],
                     temperature: float) -> Any:
        kwargs: dict[str, Any] = {"temperature": temperature}
        if self.reasoning_effort is not None:
            kwargs["reasoning_effort"] = self.reasoning_effort
        if not self.use_chain_of_thought:
            return (await self.writer()(messages, schema=schema, **kwargs)).get_json()
        # The thinking comes first so the value is written after it; only the value is kept.
        thinking = {"type": "string", "description": "Your step by step thinking"}
        with_thinking = {**schema, "properties": {"thinking": thinking, **schema["properties"]},
                         "required": ["thinking", *schema.get("required", [])]}
        answer = (await self.writer()(messages, schema=with_thinking, **kwargs)).get_json()
        answer.pop("thinking", None)
        return answer

    def prune(self, population: list[dict[str, Any]]) -> None:
        if self.algorithm == "ga":
            super().prune(population)
            return
        while len(population) > self.population_size:
            best = max(population, key=lambda m: m["reward"])

            def fitness(member: dict[str, Any]) -> float:
                peers = [m for m in population if m is not member and m["reward"] >= member[
                    "reward"]]
                nearest = sorted(self.distance(member["value"], m["value"]) for m in peers)
                nearest = nearest[: self.k_nearest_fitter]
                novelty = sum(nearest) / len(nearest) if nearest else 1.0
                return float(member["reward"]) + self.diversity * novelty

            worst = min((m for m in population if m is not best), key=fitness)
            population.remove(worst)

    def get_config(self) -> dict[str, Any]:
        model = self.embedding_model
        return {**super().get_config(), "instructions": self.instructions,
                "embedding_model": model.get_config() if hasattr(model, "get_config") else None,
                "diversity": self.diversity, "k_nearest_fitter": self.k_nearest_fitter,
                "nb_examples": self.nb_examples, "reasoning_effort": self.reasoning_effort,
                "use_chain_of_thought": self.use_chain_of_thought, "algorithm": self.algorithm}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> OMEGA:
        config = dict(config)
        if isinstance(config.get("embedding_model"), dict):
            from synalinks_nb.language_models import EmbeddingModel

            config["embedding_model"] = EmbeddingModel.from_config(config["embedding_model"])
        omega = super().from_config(config)
        assert isinstance(omega, OMEGA)
        return omega
