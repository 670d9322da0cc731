"""The litellm path, against a real OpenAI-compatible HTTP server on 127.0.0.1.

All tests share one event loop so litellm's cached HTTP clients are closed
cleanly at the end (litellm keys its clients by event loop).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from openai_server import OpenAIServer, Reply

import synalinks_nb as sn
from synalinks_nb.errors import (
    AuthenticationError,
    CacheMissError,
    ConfigError,
    LanguageModelTimeoutError,
    ProviderError,
    ProviderUnavailableError,
    RateLimitError,
    StructuredOutputError,
)
from synalinks_nb.language_models import (
    Cache,
    LanguageModel,
    RetryPolicy,
    streaming_to,
    usage_phase,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ASK = [{"role": "user", "content": "What is the capital of France?"}]
ANSWER = {
    "title": "Answer",
    "type": "object",
    "properties": {"answer": {"type": "string"}, "confidence": {"type": "integer"}},
    "required": ["answer", "confidence"],
    "additionalProperties": False,
}
FAST = RetryPolicy(max_retries=3, initial_delay=0.01)


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def _close_litellm_clients() -> AsyncIterator[None]:
    yield
    from synalinks_nb.language_models.litellm_backend import import_litellm

    await import_litellm().close_litellm_async_clients()


def make_lm(server: OpenAIServer, **kwargs: Any) -> LanguageModel:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeout", 10)
    return LanguageModel("openai/test-model", api_base=server.api_base, api_key="sk-test",
                         **kwargs)


async def test_structured_answer_is_parsed_validated_and_counted(server: OpenAIServer) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    lm = make_lm(server)
    out = await lm(ASK, schema=ANSWER, temperature=0.0)
    assert out.get_json() == {"answer": "Paris", "confidence": 9}
    [request] = server.requests
    assert request.body["messages"] == ASK
    assert request.body["temperature"] == 0.0
    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Answer", "schema": ANSWER, "strict": True},
    }
    usage = lm.usage["inference"]
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (1, 11, 7)
    assert usage.failures == 0
    assert "sk-test" not in json.dumps(request.body)


async def test_chat_answer_without_schema(server: OpenAIServer) -> None:
    server.script(Reply(content="Paris."))
    out = await make_lm(server)(ASK)
    assert out.get_json() == {"role": "assistant", "content": "Paris."}
    assert "response_format" not in server.requests[0].body


async def test_429_waits_for_retry_after_then_succeeds(server: OpenAIServer) -> None:
    server.script(
        Reply(status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "1"}),
        Reply(content='{"answer": "Paris", "confidence": 9}'),
    )
    lm = make_lm(server)
    out = await lm(ASK, schema=ANSWER)
    assert out["answer"] == "Paris"
    first, second = server.requests
    assert second.time - first.time >= 1.0
    assert lm.history[-1].attempts == 2


async def test_429_until_the_budget_runs_out_raises_rate_limit_error(
    server: OpenAIServer,
) -> None:
    server.script(Reply(status=429, body={"error": {"message": "slow down"}}))
    lm = make_lm(server, retry=RetryPolicy(max_retries=2, initial_delay=0.01))
    with pytest.raises(RateLimitError) as info:
        await lm(ASK, schema=ANSWER)
    assert info.value.status_code == 429
    assert len(server.requests) == 3
    assert lm.usage.total.failures == 1


async def test_500_is_retried(server: OpenAIServer) -> None:
    server.script(
        Reply(status=500, body={"error": {"message": "internal"}}),
        Reply(content='{"answer": "Paris", "confidence": 9}'),
    )
    out = await make_lm(server)(ASK, schema=ANSWER)
    assert out["answer"] == "Paris"
    assert len(server.requests) == 2


async def test_persistent_500_raises_provider_unavailable(server: OpenAIServer) -> None:
    server.script(Reply(status=503, body={"error": {"message": "overloaded"}}))
    with pytest.raises(ProviderUnavailableError, match="test-model") as info:
        await make_lm(server, retry=RetryPolicy(max_retries=1, initial_delay=0.01))(ASK)
    assert info.value.status_code == 503
    assert len(server.requests) == 2


async def test_401_is_not_retried(server: OpenAIServer) -> None:
    server.script(Reply(status=401, body={"error": {"message": "bad key"}}))
    with pytest.raises(AuthenticationError):
        await make_lm(server)(ASK)
    assert len(server.requests) == 1


async def test_400_is_a_provider_error_without_retry(server: OpenAIServer) -> None:
    server.script(Reply(status=400, body={"error": {"message": "bad request"}}))
    with pytest.raises(ProviderError) as info:
        await make_lm(server)(ASK)
    assert info.value.status_code == 400
    assert len(server.requests) == 1


async def test_malformed_json_then_valid_json_on_repair(server: OpenAIServer) -> None:
    server.script(
        Reply(content='{"answer": "Paris", "confidence": '),
        Reply(content='{"answer": "Paris", "confidence": 9}'),
    )
    lm = make_lm(server)
    out = await lm(ASK, schema=ANSWER)
    assert out.get_json() == {"answer": "Paris", "confidence": 9}
    repair = server.requests[1].body["messages"]
    assert repair[:-2] == ASK
    assert repair[-2] == {"role": "assistant", "content": '{"answer": "Paris", "confidence": '}
    assert "Expected the answer to be a JSON object" in repair[-1]["content"]
    assert lm.usage.total.calls == 1
    assert lm.usage.total.prompt_tokens == 22  # both attempts are counted


async def test_schema_invalid_twice_raises_structured_output_error(server: OpenAIServer) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": "very"}'))
    lm = make_lm(server)
    with pytest.raises(StructuredOutputError, match="confidence") as info:
        await lm(ASK, schema=ANSWER)
    assert info.value.raw == '{"answer": "Paris", "confidence": "very"}'
    assert len(server.requests) == 2
    assert lm.usage.total.failures == 1


async def test_hung_server_hits_the_timeout(server: OpenAIServer) -> None:
    server.script(Reply(hang_s=5))
    lm = make_lm(server, timeout=0.5)
    start = time.perf_counter()
    with pytest.raises(LanguageModelTimeoutError, match=r"within 0\.5 s"):
        await lm(ASK, schema=ANSWER)
    assert 0.5 <= time.perf_counter() - start < 2.0
    assert len(server.requests) == 1  # timeouts are not retried by default


async def test_fallback_answers_when_the_model_keeps_failing(server: OpenAIServer) -> None:
    server.script(
        Reply(status=500, body={"error": {"message": "down"}}),
        Reply(content='{"answer": "Paris", "confidence": 9}'),
    )
    backup = LanguageModel("openai/backup-model", api_base=server.api_base, api_key="sk-test")
    lm = make_lm(server, retry=RetryPolicy(max_retries=0), fallback=backup)
    out = await lm(ASK, schema=ANSWER)
    assert out["answer"] == "Paris"
    assert [r.body["model"] for r in server.requests] == ["test-model", "backup-model"]
    assert lm.history[-1].model == "openai/backup-model"


async def test_known_model_cost_is_counted_per_phase(server: OpenAIServer) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    lm = LanguageModel("openai/gpt-4o-mini", api_base=server.api_base, api_key="sk-test")
    with usage_phase("reward"):
        await lm(ASK, schema=ANSWER)
    assert lm.usage["reward"].cost > 0
    assert lm.usage["inference"].cost == 0


# -- cache -----------------------------------------------------------------------------


async def test_second_identical_call_does_not_reach_the_server(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    lm = make_lm(server, cache=Cache(tmp_path))
    first = await lm(ASK, schema=ANSWER, temperature=0.0)
    second = await lm(ASK, schema=ANSWER, temperature=0.0)
    assert first == second
    assert len(server.requests) == 1
    assert lm.usage.total.calls == 2
    assert lm.usage.total.cache_hits == 1
    assert lm.history[-1].cached
    assert lm.history[-1].prompt_tokens == 0


@pytest.mark.parametrize("change", ["messages", "schema", "temperature", "seed", "model"])
async def test_changing_any_key_part_misses(
    server: OpenAIServer, tmp_path: Path, change: str
) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    cache = Cache(tmp_path)
    await make_lm(server, cache=cache)(ASK, schema=ANSWER, temperature=0.0, seed=1)
    model, messages, schema = "openai/test-model", ASK, ANSWER
    kwargs: dict[str, Any] = {"temperature": 0.0, "seed": 1}
    if change == "messages":
        messages = [{"role": "user", "content": "And of Italy?"}]
    elif change == "schema":
        schema = {**ANSWER, "title": "Other"}
    elif change in ("temperature", "seed"):
        kwargs[change] = 0.5 if change == "temperature" else 2
    else:
        model = "openai/other-model"
    lm = LanguageModel(model, api_base=server.api_base, api_key="sk-test", cache=cache)
    await lm(messages, schema=schema, **kwargs)
    assert len(server.requests) == 2
    assert len(cache) == 2


async def test_replay_only_serves_hits_and_raises_on_a_miss(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    await make_lm(server, cache=Cache(tmp_path))(ASK, schema=ANSWER)
    replay = make_lm(server, cache=Cache(tmp_path, mode="replay"))
    assert (await replay(ASK, schema=ANSWER))["answer"] == "Paris"
    other = [{"role": "user", "content": "And of Italy?"}]
    with pytest.raises(CacheMissError, match="And of Italy"):
        await replay(other, schema=ANSWER)
    assert len(server.requests) == 1
    assert replay.usage.total.failures == 1


async def test_cache_off_always_reaches_the_server(server: OpenAIServer, tmp_path: Path) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    lm = make_lm(server, cache=Cache(tmp_path, mode="off"))
    await lm(ASK, schema=ANSWER)
    await lm(ASK, schema=ANSWER)
    assert len(server.requests) == 2


async def test_retry_after_beyond_the_budget_fails_at_once(server: OpenAIServer) -> None:
    server.script(Reply(status=429, body={"error": {"message": "later"}},
                        headers={"Retry-After": "120"}))
    lm = make_lm(server, retry=RetryPolicy(max_retries=3, budget_s=5))
    start = time.perf_counter()
    with pytest.raises(RateLimitError):
        await lm(ASK)
    assert time.perf_counter() - start < 2
    assert len(server.requests) == 1



async def test_retry_max_wait_caps_the_retry_after_wait(server: OpenAIServer) -> None:
    # Synalinks' retry_max_wait=: without the cap this would wait the 120 s asked for.
    server.script(Reply(status=429, body={"error": {"message": "later"}},
                        headers={"Retry-After": "120"}),
                  Reply(content='{"answer": "Paris", "confidence": 9}'))
    lm = make_lm(server, retry=RetryPolicy(max_retries=1, budget_s=300), retry_max_wait=0)
    assert (await lm(ASK, schema=ANSWER))["answer"] == "Paris"
    assert len(server.requests) == 2 and lm.retry.max_retry_after == 0


async def test_cache_dir_keeps_answers_on_disk_as_synalinks(
    server: OpenAIServer, tmp_path: Path
) -> None:
    server.script(Reply(content='{"answer": "Paris", "confidence": 9}'))
    await make_lm(server, cache_dir=tmp_path)(ASK, schema=ANSWER)
    again = make_lm(server, cache_dir=tmp_path, description="the quiz model")
    assert (await again(ASK, schema=ANSWER))["answer"] == "Paris"
    assert len(server.requests) == 1
    assert again.get_config()["description"] == "the quiz model"
    with pytest.raises(ConfigError, match="cache_dir"):
        make_lm(server, cache=Cache(tmp_path), cache_dir=tmp_path)


async def test_reasoning_effort_is_passed_to_litellm(server: OpenAIServer) -> None:
    server.script(Reply(content="Paris."))
    await make_lm(server, reasoning_effort="low")(ASK)
    assert server.requests[0].body.get("reasoning_effort") == "low"


async def test_a_patched_acompletion_may_answer_with_plain_dicts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from synalinks_nb.language_models.litellm_backend import import_litellm

    async def acompletion(**request: Any) -> dict[str, Any]:
        return {"choices": [{"message": {"role": "assistant",
                                         "content": '{"answer": "Paris", "confidence": 9}'}}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 3}}

    monkeypatch.setattr(import_litellm(), "acompletion", acompletion)
    lm = LanguageModel("openai/gpt-4o-mini", retry=FAST)
    out = await lm(ASK, schema=ANSWER)
    assert out.get_json() == {"answer": "Paris", "confidence": 9}
    assert (lm.usage["inference"].prompt_tokens, lm.usage["inference"].completion_tokens) == (5, 3)


async def test_provider_cache_reasoning_tokens_and_fallbacks_are_counted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from synalinks_nb.language_models.litellm_backend import import_litellm

    async def acompletion(**request: Any) -> dict[str, Any]:
        if request["model"] == "openai/down":
            raise import_litellm().APIConnectionError(message="down", llm_provider="openai",
                                                      model="down")
        return {"choices": [{"message": {"role": "assistant", "content": "Paris."}}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 8,
                          "prompt_tokens_details": {"cached_tokens": 6},
                          "completion_tokens_details": {"reasoning_tokens": 5},
                          "cache_creation_input_tokens": 2}}

    monkeypatch.setattr(import_litellm(), "acompletion", acompletion)
    lm = LanguageModel("openai/down", retry=RetryPolicy(max_retries=0),
                       fallback=LanguageModel("openai/up", retry=FAST))
    await lm(ASK)
    used = lm.usage["inference"]
    assert (used.cached_tokens, used.reasoning_tokens, used.cache_creation_tokens) == (6, 5, 2)
    assert used.fallback_activations == 1 and used.failures == 0
    assert used.busy_s > 0


async def test_a_patched_aembedding_may_answer_with_plain_dicts_and_requests_get_embeddings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from synalinks_nb.language_models.litellm_backend import import_litellm

    async def aembedding(**request: object) -> dict[str, object]:
        return {"data": [{"embedding": [0.0, 0.1]}], "usage": {"prompt_tokens": 4}}

    monkeypatch.setattr(import_litellm(), "aembedding", aembedding)
    model = sn.EmbeddingModel("ollama/all-minilm", retry=0)
    result = await model(sn.EmbeddingRequest(texts=["What is the capital of France?"]))
    assert isinstance(result, sn.Embeddings)
    assert result.get_json() == {"embeddings": [[0.0, 0.1]]}
    assert model.usage["inference"].prompt_tokens == 4
    with pytest.raises(TypeError, match="list of strings"):
        await model([1, 2])  # type: ignore[list-item]


# litellm's stream reader touches pydantic in ways pydantic warns about (a deprecated
# instance attribute, a ReadOnly TypedDict item); under filterwarnings=error those warnings
# would end the stream inside litellm. The answers are what these tests check.
stream_warnings = pytest.mark.filterwarnings("ignore::DeprecationWarning",
                                             "ignore::UserWarning")


@stream_warnings
async def test_a_streamed_answer_arrives_piece_by_piece_from_the_server(
        server: OpenAIServer) -> None:
    # The server sends the first piece, then waits until the client has shown it: a client
    # that read the whole response before showing anything would never open the gate.
    gate = threading.Event()
    reply = Reply(content="Paris is the capital.", gate=gate)
    server.script(reply)
    lm = make_lm(server)
    seen: list[str] = []

    def show(label: str, text: str) -> None:
        seen.append(text)
        gate.set()

    with streaming_to(show):
        out = await lm(ASK, streaming=True)
    assert reply.gate_opened is True
    assert seen == ["Paris", " is", " the", " capital."]
    assert out.get_json() == {"role": "assistant", "content": "Paris is the capital."}
    [request] = server.requests
    assert request.body["stream"] is True
    assert request.body["stream_options"] == {"include_usage": True}
    usage = lm.usage["inference"]
    assert (usage.prompt_tokens, usage.completion_tokens, usage.streamed_calls) == (11, 4, 1)
    assert usage.ttft_s <= usage.ttlt_s


@stream_warnings
async def test_a_streamed_structured_answer_is_validated_and_repaired(
        server: OpenAIServer) -> None:
    server.script(Reply(content='{"answer": "Paris"}'),  # confidence missing: repaired
                  Reply(content='{"answer": "Paris", "confidence": 9}'))
    seen: list[str] = []
    with streaming_to(lambda label, text: seen.append(text)):
        out = await make_lm(server)(ASK, schema=ANSWER, streaming=True)
    assert out.get_json() == {"answer": "Paris", "confidence": 9}
    assert "".join(seen) == '{"answer": "Paris"}{"answer": "Paris", "confidence": 9}'
    assert [r.body["stream"] for r in server.requests] == [True, True]
    assert server.requests[0].body["response_format"]["type"] == "json_schema"


@stream_warnings
async def test_a_refused_streamed_request_raises_the_same_typed_error(
        server: OpenAIServer) -> None:
    server.script(Reply(status=401, body={"error": {"message": "bad key"}}))
    with streaming_to(lambda label, text: None), pytest.raises(AuthenticationError):
        await make_lm(server)(ASK, streaming=True)


@stream_warnings
async def test_a_patched_acompletion_may_stream_plain_dict_chunks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from synalinks_nb.language_models.litellm_backend import import_litellm

    async def acompletion(**request: Any) -> list[dict[str, Any]]:
        assert request["stream"] is True
        return [{"choices": [{"delta": {"content": piece}}]} for piece in ("Par", "is.")] + [
            {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2}}]

    monkeypatch.setattr(import_litellm(), "acompletion", acompletion)
    lm = LanguageModel("openai/gpt-4o-mini", retry=FAST)
    seen: list[str] = []
    with streaming_to(lambda label, text: seen.append(text)):
        out = await lm(ASK, streaming=True)
    assert (out["content"], seen) == ("Paris.", ["Par", "is."])
    usage = lm.usage["inference"]
    assert (usage.prompt_tokens, usage.completion_tokens) == (5, 2)
    assert usage.cost > 0.0  # gpt-4o-mini is in litellm's price table
