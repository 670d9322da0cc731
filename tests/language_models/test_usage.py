"""Which models a program's usage is summed over (BudgetStopping, the dashboard)."""

from __future__ import annotations

import asyncio

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ProviderUnavailableError
from synalinks_nb.language_models.usage import language_models_of
from tests.data_models.models import Answer, Query


async def test_models_of_modules_nested_programs_optimizer_and_reward_count_once() -> None:
    answerer = sn.ScriptedLanguageModel(responses=[{"answer": "a"}])
    proposer = sn.ScriptedLanguageModel(responses=[{"instructions": "x"}])
    judge = sn.ScriptedLanguageModel(responses=[{"score": 1.0}])
    inputs = sn.Input(data_model=Query)
    inner_in = sn.Input(data_model=Query)
    inner = sn.Program(inputs=inner_in, name="inner", outputs=await sn.Generator(
        data_model=Answer, language_model=answerer)(inner_in))
    first = await inner(inputs)
    second = await sn.Generator(data_model=Answer, language_model=answerer)(inputs)
    program = sn.Program(inputs=inputs, outputs=[first, second], name="outer")
    program.compile(reward=sn.rewards.LMAsJudge(language_model=judge),
                    optimizer=sn.optimizers.OMEGA(language_model=proposer))
    assert {id(m) for m in language_models_of(program)} == {id(answerer), id(proposer), id(judge)}
    assert len(language_models_of(program)) == 3


def test_unresolved_model_ids_are_skipped_not_created() -> None:
    gen = sn.Generator(data_model=Answer, language_model="openai/gpt-4o-mini")
    assert language_models_of(gen) == []


class _Holder:
    """A module, metric, reward or optimizer: anything with attributes."""

    def __init__(self, **attrs: object) -> None:
        self.__dict__.update(attrs)


def test_one_walker_finds_every_model_a_program_holds() -> None:
    def lm(name: str) -> sn.ScriptedLanguageModel:
        return sn.ScriptedLanguageModel(responses=[], name=name)

    main, backup, nested, judge, rewarder, proposer = (
        lm(n) for n in ("main", "backup", "nested", "judge", "rewarder", "proposer"))
    main.fallback = [backup]  # type: ignore[attr-defined]
    inner = _Holder(modules=[], critic_model=nested)  # any attribute, not only language_model
    program = _Holder(
        modules=[_Holder(modules=[inner], language_model=main), inner],
        metrics=[_Holder(judge=judge)],
        reward=_Holder(language_model=rewarder),
        optimizer=_Holder(language_model=proposer),
    )
    found = language_models_of(program)
    assert sorted(m.name for m in found) == sorted(
        ["main", "backup", "nested", "judge", "rewarder", "proposer"])
    assert len(found) == len({id(m) for m in found})  # each once, though held twice


def test_saving_and_usage_share_the_walker() -> None:
    from synalinks_nb.saving import saving_api

    assert saving_api.language_models_of is language_models_of


async def test_embedding_failures_count_and_a_cancelled_call_leaves_the_busy_clock() -> None:
    class Stalls(sn.EmbeddingModel):
        fail = False
        started = asyncio.Event()

        async def _embed(self, batch: list[str]) -> tuple[list[list[float]], int]:
            if self.fail:
                raise ProviderUnavailableError("down", model=self.model)
            self.started.set()
            await asyncio.Event().wait()  # until cancelled
            return [], 0

    model = Stalls("hashing/4", retry=0)
    stalled = asyncio.create_task(model(["a"]))
    await model.started.wait()
    stalled.cancel()
    await asyncio.gather(stalled, return_exceptions=True)
    model.fail = True
    with pytest.raises(ProviderUnavailableError):
        await model(["b"])
    usage = model.usage["inference"]
    assert (usage.calls, usage.failures) == (1, 1)  # the cancelled call is not counted
    # Had the cancelled call stayed in flight, the failed one would add no busy time.
    assert usage.busy_s > 0
