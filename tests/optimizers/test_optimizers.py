"""Optimizers: OMEGA converges with real crossovers; RandomFewShot sampling; state round trip."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.optimizers import BatchContext, ScoredPrediction

PHRASES = ["Be brief.", "Use capitals.", "Answer in one word.", "Think step by step."]


class Question(sn.DataModel):
    question: str


class Answer(sn.DataModel):
    answer: str


@pytest.fixture(autouse=True)
def seeded() -> Iterator[None]:
    sn.config.reset()
    sn.set_seed(3)
    yield
    sn.config.reset()


def _omega_model() -> Any:
    state = {"mutations": 0}

    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        system, user = messages[0]["content"], messages[-1]["content"]
        if "instructions" in (schema or {}).get("properties", {}):
            payload = json.loads(user)
            if "crossover" in system:
                text = (payload["parent_1"]["instructions"] + " "
                        + payload["parent_2"]["instructions"]).strip()
                return {"instructions": text, "examples": []}
            phrase = PHRASES[state["mutations"] % len(PHRASES)]
            state["mutations"] += 1
            return {"instructions": phrase, "examples": []}
        return {"answer": "42" if "step by step" in system else "?"}

    return sn.ScriptedLanguageModel(handler=handler)


async def test_omega_converges_to_the_rewarded_phrase_with_crossover() -> None:
    lm = _omega_model()
    x = sn.Input(data_model=Question)
    y = await sn.Generator(data_model=Answer, language_model=lm, name="gen")(x)
    program = sn.Program(inputs=x, outputs=y)
    omega = optimizers.OMEGA(language_model=lm, population_size=4, merging_rate=0.5)
    program.compile(reward="exact_match", optimizer=omega)
    xs = [Question(question=f"q{i}") for i in range(12)]
    ys = [Answer(answer="42")] * 12
    history = await program.fit(xs, ys, epochs=3, batch_size=4, verbose=0)
    instructions = program.trainable_variables[0].get_json()["instructions"]
    assert "step by step" in instructions
    assert history.history["reward"][-1] == 1.0
    state = omega.get_state()["variables"]["gen/instructions"]
    assert state["crossovers"] >= 1
    assert any("crossover" in c.messages[0]["content"] for c in lm.calls)
    assert 2 <= len(state["population"]) <= 4
    assert len({json.dumps(m["value"]) for m in state["population"]}) >= 2


async def test_omega_synalinks_arguments_reach_the_model_and_the_population() -> None:
    writer = sn.ScriptedLanguageModel(handler=lambda messages, schema: {
        "thinking": "shorter", "instructions": "Be brief.", "examples": []})
    embedded: list[list[str]] = []

    async def embed(texts: list[str]) -> dict[str, list[list[float]]]:
        embedded.append(list(texts))
        return {"embeddings": [[1.0, float("brief" in t)] for t in texts]}

    omega = optimizers.OMEGA(language_model=writer, instructions="Answers are numbers.",
                             embedding_model=embed, use_chain_of_thought=True,
                             reasoning_effort="low", selection="softmax", algorithm="dns")
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    candidate = await omega.propose(var, _context([0.0, 1.0]))
    assert candidate is not None and candidate.value == {"instructions": "Be brief.",
                                                         "examples": []}
    call = writer.calls[0]
    assert "About the task: Answers are numbers." in call.messages[0]["content"]
    assert call.schema is not None and next(iter(call.schema["properties"])) == "thinking"
    assert call.kwargs.get("reasoning_effort") == "low"
    assert len(embedded) == 2  # the initial member, then the candidate
    assert omega.distance(var.get_json(), candidate.value) == pytest.approx(1 - 1 / 2**0.5)
    config = omega.get_config()
    assert (config["algorithm"], config["selection"], config["k_nearest_fitter"]) == (
        "dns", "softmax", 5)
    with pytest.raises(ValueError, match="algorithm='nsga'"):
        optimizers.OMEGA(algorithm="nsga")


def test_omega_ga_prunes_by_reward_alone() -> None:
    omega = optimizers.OMEGA(population_size=2, algorithm="ga", diversity=10.0)
    population = [{"value": {"i": "a"}, "reward": 0.9}, {"value": {"i": "a"}, "reward": 0.5},
                  {"value": {"i": "far away"}, "reward": 0.4}]
    omega.prune(population)
    assert [m["reward"] for m in population] == [0.9, 0.5]
    dns = optimizers.OMEGA(population_size=2, diversity=10.0)
    population = [{"value": {"i": "a"}, "reward": 0.9}, {"value": {"i": "a"}, "reward": 0.5},
                  {"value": {"i": "far away"}, "reward": 0.4}]
    dns.prune(population)  # the novel one stays: a duplicate of the best is worth less
    assert [m["reward"] for m in population] == [0.9, 0.4]


async def test_evolutionary_and_greedy_base_classes_run_a_custom_subclass() -> None:
    class Joiner(optimizers.EvolutionaryOptimizer):
        async def mutate_candidate(self, variable: Any, parent: Any, context: Any) -> Any:
            return {**parent, "instructions": parent["instructions"] + "!"}

        async def merge_candidate(self, variable: Any, parent: Any, other: Any,
                                  context: Any) -> Any:
            return {**parent, "instructions": parent["instructions"] + other["instructions"]}

    opt = Joiner(merging_rate=1.0, population_size=2)
    var = sn.Variable(sn.Instructions(instructions="a"), data_model=sn.Instructions)
    first = await opt.propose(var, _context([0.5]))
    assert first is not None and (first.note, first.value["instructions"]) == ("mutation", "a!")
    opt.population(var, _context([0.5])).append({"value": first.value, "reward": 0.9,
                                                  "origin": "mutation"})
    # Two members now: crossover with probability 0.5 (the cap); this draw is 0.13.
    second = await opt.propose(var, BatchContext(0, 0, [], random.Random(1), reward=0.5))
    assert second is not None and second.note == "crossover"
    assert second.value["instructions"] in ("a!a", "aa!")
    assert isinstance(optimizers.OMEGA(), optimizers.EvolutionaryOptimizer)
    assert isinstance(optimizers.RandomFewShot(), optimizers.GreedyOptimizer)


def _context(rewards: list[float]) -> BatchContext:
    preds = [ScoredPrediction(sample_id=i, inputs={"q": str(i)}, outputs={"a": str(i)},
                              reward=r) for i, r in enumerate(rewards)]
    return BatchContext(epoch=0, batch=0, predictions=preds, rng=random.Random(0))


async def test_random_few_shot_best_sampling_and_bounds() -> None:
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    opt = optimizers.RandomFewShot(nb_min_examples=2, nb_max_examples=2, sampling="best")
    candidate = await opt.propose(var, _context([0.1, 0.9, 0.5, 0.7]))
    assert candidate is not None
    assert [e["reward"] for e in candidate.value["examples"]] == [0.9, 0.7]
    assert var.get_json()["examples"] == []  # proposing never touches the variable
    assert "pool" not in var.get_json()


async def test_random_few_shot_never_proposes_the_same_example_twice() -> None:
    # Two epochs over the same two samples, answered the same way: the pool holds each
    # example once, so a proposal of up to 3 examples has 2 distinct ones.
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    opt = optimizers.RandomFewShot(nb_min_examples=3, nb_max_examples=3, sampling="random")
    for _ in range(2):
        candidate = await opt.propose(var, _context([1.0, 0.5]))
    assert candidate is not None
    examples = candidate.value["examples"]
    assert sorted(e["inputs"]["q"] for e in examples) == ["0", "1"]
    assert len(opt.get_state()["variables"]["gen/instructions"]["pool"]) == 2
    loaded = optimizers.RandomFewShot(nb_min_examples=3, nb_max_examples=3)
    loaded.set_state(json.loads(json.dumps(opt.get_state())))  # a saved program, reloaded
    await loaded.propose(var, _context([1.0, 0.5]))
    assert len(loaded.get_state()["variables"]["gen/instructions"]["pool"]) == 2


async def test_optimizer_state_round_trips_as_json() -> None:
    var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
    opt = optimizers.RandomFewShot()
    await opt.propose(var, _context([1.0, 0.0]))
    state = json.loads(json.dumps(opt.get_state()))
    again = optimizers.get("random_few_shot")
    again.set_state(state)
    assert again.get_state() == opt.get_state()
    assert len(state["variables"]["gen/instructions"]["pool"]) == 1  # the failure is not pooled


def test_registry_and_config_round_trip() -> None:
    omega = optimizers.get("omega")
    assert isinstance(omega, optimizers.OMEGA)
    config = optimizers.serialize(optimizers.RandomFewShot(nb_max_examples=5, sampling="random"))
    again = optimizers.deserialize(config)
    assert (again.nb_max_examples, again.sampling) == (5, "random")
    with pytest.raises(ValueError, match="sampling"):
        optimizers.RandomFewShot(sampling="greedy")


async def test_seed_instructions_are_proposed_first_and_saved() -> None:
    lm = _omega_model()
    x = sn.Input(data_model=Question)
    gen = sn.Generator(data_model=Answer, language_model=lm, name="gen",
                       seed_instructions=["Think step by step."])
    program = sn.Program(inputs=x, outputs=await gen(x))
    omega = optimizers.OMEGA(language_model=lm, population_size=4)
    program.compile(reward="exact_match", optimizer=omega)
    xs = [Question(question=f"q{i}") for i in range(8)]
    history = await program.fit(xs, [Answer(answer="42")] * 8, epochs=1, batch_size=4,
                                verbose=0)
    assert history.proposals[0]["note"] == "seed"
    assert program.trainable_variables[0].get_json()["instructions"] == "Think step by step."
    assert omega.get_state()["variables"]["gen/instructions"]["seeds_tried"] == 1
    assert gen.get_config()["seed_instructions"] == ["Think step by step."]
    with pytest.raises(TypeError, match="seed_instructions"):
        sn.Generator(data_model=Answer, seed_instructions="Be brief.")  # type: ignore[arg-type]
