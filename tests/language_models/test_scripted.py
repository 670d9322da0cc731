"""ScriptedLanguageModel and the behaviour every backend inherits from BaseLanguageModel."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from synalinks_nb.errors import ProviderUnavailableError, StructuredOutputError
from synalinks_nb.language_models import (
    RetryPolicy,
    SamplingSettings,
    ScriptedLanguageModel,
    TransientError,
    usage_phase,
)

ASK = [{"role": "user", "content": "What is the capital of France?"}]
ANSWER = {
    "title": "Answer",
    "type": "object",
    "properties": {"answer": {"type": "string"}},
    "required": ["answer"],
    "additionalProperties": False,
}


async def test_responses_cycle_in_order() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "a"}, {"answer": "b"}])
    got = [(await lm(ASK, schema=ANSWER))["answer"] for _ in range(3)]
    assert got == ["a", "b", "a"]


async def test_without_schema_answers_a_chat_message() -> None:
    lm = ScriptedLanguageModel(responses=["Paris."])
    out = await lm(ASK)
    assert out.get_json() == {"role": "assistant", "content": "Paris."}


async def test_sync_and_async_handlers_see_messages_and_schema() -> None:
    seen: list[Any] = []

    def sync_handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> str:
        seen.append(schema)
        return '{"answer": "sync"}'

    async def async_handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        await asyncio.sleep(0)
        return {"answer": messages[-1]["content"][:5]}

    assert (await ScriptedLanguageModel(handler=sync_handler)(ASK, schema=ANSWER))["answer"] == (
        "sync"
    )
    assert seen == [ANSWER]
    assert (await ScriptedLanguageModel(handler=async_handler)(ASK, schema=ANSWER))["answer"] == (
        "What "
    )


async def test_handler_exception_propagates_and_counts_as_failure() -> None:
    def broken(messages: Any, schema: Any) -> Any:
        raise RuntimeError("model exploded")

    lm = ScriptedLanguageModel(handler=broken)
    with pytest.raises(RuntimeError, match="model exploded"):
        await lm(ASK)
    assert lm.usage.total.failures == 1
    assert lm.usage.total.calls == 1


async def test_calls_record_messages_schema_and_kwargs() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "x"}])
    await lm(ASK, schema=ANSWER, temperature=0.2, seed=3)
    [call] = lm.calls
    assert call.messages == ASK
    assert call.schema == ANSWER
    assert call.kwargs == {"temperature": 0.2, "seed": 3}
    assert call["messages"] == ASK


async def test_unknown_keyword_argument_fails_loudly() -> None:
    lm = ScriptedLanguageModel()
    with pytest.raises(TypeError, match="temprature"):
        await lm(ASK, temprature=0.0)


async def test_output_is_validated_against_the_schema() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": 42}, {"wrong": "field"}])
    with pytest.raises(StructuredOutputError, match="Answer") as info:
        await lm(ASK, schema=ANSWER)
    # One repair attempt was made, with the validation error fed back.
    assert len(lm.calls) == 2
    assert "rejected" in lm.calls[1].messages[-1]["content"]
    assert info.value.raw == '{"wrong": "field"}'


async def test_malformed_json_is_repaired_by_the_next_answer() -> None:
    lm = ScriptedLanguageModel(responses=["not json at all", '```json\n{"answer": "ok"}\n```'])
    out = await lm(ASK, schema=ANSWER)
    assert out["answer"] == "ok"
    assert lm.calls[1].messages[-2] == {"role": "assistant", "content": "not json at all"}
    assert lm.usage.total.calls == 1  # the repair is part of the same request


async def test_latency_is_awaited_concurrently() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "x"}], latency=0.2)
    start = time.perf_counter()
    await asyncio.gather(*(lm(ASK, schema=ANSWER) for _ in range(5)))
    elapsed = time.perf_counter() - start
    assert 0.2 <= elapsed < 0.35


async def test_max_concurrency_bounds_requests_in_flight() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "x"}], latency=0.1)
    lm.max_concurrency = 2
    start = time.perf_counter()
    await asyncio.gather(*(lm(ASK, schema=ANSWER) for _ in range(4)))
    assert time.perf_counter() - start >= 0.2


async def test_default_answer_is_valid_for_the_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "label": {"type": "string", "enum": ["yes", "no"]},
            "n": {"type": "integer", "minimum": 3},
            "inner": {"$ref": "#/$defs/Inner"},
        },
        "required": ["label", "n", "inner"],
        "$defs": {"Inner": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
    }
    out = await ScriptedLanguageModel()(ASK, schema=schema)
    assert out.get_json() == {"label": "yes", "n": 3, "inner": {"ok": False}}


async def test_usage_is_counted_per_phase() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "x"}])
    await lm(ASK, schema=ANSWER)
    with usage_phase("optimizer"):
        await asyncio.gather(lm(ASK, schema=ANSWER), lm(ASK, schema=ANSWER))
    assert lm.usage["inference"].calls == 1
    assert lm.usage["optimizer"].calls == 2
    assert lm.usage.total.calls == 3
    assert lm.usage.to_dict()["total"]["calls"] == 3


def test_usage_phase_rejects_unknown_phase() -> None:
    with pytest.raises(ValueError, match="training"), usage_phase("training"):  # type: ignore[arg-type]
        pass


async def test_transient_errors_are_retried_by_the_policy() -> None:
    failures = [TransientError(ProviderUnavailableError("boom", status_code=503))] * 2

    def flaky(messages: Any, schema: Any) -> Any:
        if failures:
            raise failures.pop()
        return {"answer": "finally"}

    lm = ScriptedLanguageModel(handler=flaky)
    lm.retry = RetryPolicy(max_retries=3, initial_delay=0.01)
    assert (await lm(ASK, schema=ANSWER))["answer"] == "finally"
    assert lm.history[-1].attempts == 3


async def test_transient_errors_raise_the_typed_error_after_the_budget() -> None:
    def down(messages: Any, schema: Any) -> Any:
        raise TransientError(ProviderUnavailableError("still down", status_code=503))

    lm = ScriptedLanguageModel(handler=down)
    lm.retry = RetryPolicy(max_retries=2, initial_delay=0.01)
    with pytest.raises(ProviderUnavailableError, match="still down") as info:
        await lm(ASK)
    assert info.value.status_code == 503
    assert len(lm.calls) == 3


async def test_default_sampling_settings_are_merged_with_call_kwargs() -> None:
    lm = ScriptedLanguageModel()
    lm.sampling = SamplingSettings(temperature=0.0, seed=1)
    await lm(ASK, seed=2)
    assert lm.calls[0].kwargs == {"temperature": 0.0, "seed": 2}


def test_config_round_trip_and_repr() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "x"}], latency=0.5, name="fake")
    again = ScriptedLanguageModel.from_config(lm.get_config())
    assert again.get_config() == lm.get_config()
    assert repr(lm) == "ScriptedLanguageModel(responses=1, latency=0.5, name='fake')"


def test_constructor_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="list of dicts or strings"):
        ScriptedLanguageModel(responses="just one")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="latency=-1"):
        ScriptedLanguageModel(latency=-1)


async def test_chat_messages_data_model_is_accepted_as_messages() -> None:
    from synalinks_nb.data_models import ChatMessages

    lm = ScriptedLanguageModel(responses=["hi"])
    out = await lm(ChatMessages(messages=[{"role": "user", "content": "hello"}]))
    assert out["content"] == "hi"
    assert lm.calls[0].messages == [{"role": "user", "content": "hello"}]


async def test_messages_must_be_chat_dicts() -> None:
    lm = ScriptedLanguageModel()
    with pytest.raises(TypeError, match="non-empty list"):
        await lm("hello")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"messages\[0\]"):
        await lm([{"content": "no role"}])


async def test_a_handler_returning_none_is_an_error_not_a_made_up_answer() -> None:
    lm = ScriptedLanguageModel(handler=lambda messages, schema: None)
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    with pytest.raises(TypeError, match="Received: None"):
        await lm([{"role": "user", "content": "hi"}], schema=schema)


def test_the_busy_clock_counts_overlapping_calls_once() -> None:
    from synalinks_nb.language_models.usage import BusyClock

    clock = BusyClock()
    clock.start("reward")
    clock.start("reward")
    clock.start("inference")
    assert clock.stop("reward") == 0.0  # the other reward call is still in flight
    assert clock.stop("inference") > 0.0
    assert clock.stop("reward") > 0.0  # the reward interval closes with its last call
