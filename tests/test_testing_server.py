"""OpenAICompatibleServer: a local provider stand-in, driven over HTTP and through litellm.

The litellm tests share one event loop so litellm's cached HTTP clients are
closed cleanly at the end (litellm keys its clients by event loop).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import synalinks_nb as sn
from synalinks_nb.errors import ProviderUnavailableError
from synalinks_nb.language_models import Cache, LanguageModel, ScriptedLanguageModel
from synalinks_nb.testing import OpenAICompatibleServer, estimate_tokens

pytestmark = pytest.mark.asyncio(loop_scope="module")

ASK = [{"role": "user", "content": "What is the capital of France?"}]
ANSWER = {
    "title": "Answer",
    "type": "object",
    "properties": {"answer": {"type": "string"}},
    "required": ["answer"],
    "additionalProperties": False,
}


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def _close_litellm_clients() -> AsyncIterator[None]:
    yield
    from synalinks_nb.language_models.litellm_backend import import_litellm

    await import_litellm().close_litellm_async_clients()


@pytest.fixture
def backing() -> ScriptedLanguageModel:
    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        if schema is None:
            return "Paris, of course."
        return {"answer": "Paris"}

    return ScriptedLanguageModel(handler=handler)


@pytest.fixture
def server(backing: ScriptedLanguageModel) -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer(backing) as running:
        yield running


def post(server: OpenAICompatibleServer, body: Any, path: str = "/chat/completions"
         ) -> tuple[int, dict[str, Any]]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(server.api_base + path, data=data,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def provider(server: OpenAICompatibleServer, **kwargs: Any) -> LanguageModel:
    kwargs.setdefault("retry", 0)
    return LanguageModel("openai/gpt-4o-mini", api_base=server.api_base, api_key="sk-local",
                         **kwargs)


# -- through litellm ---------------------------------------------------------------------


async def test_structured_answer_through_litellm_is_priced_from_estimated_tokens(
    server: OpenAICompatibleServer, backing: ScriptedLanguageModel
) -> None:
    lm = provider(server)
    out = await lm(ASK, schema=ANSWER, temperature=0.0)
    assert out.get_json() == {"answer": "Paris"}
    [body] = server.requests
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"]["type"] == "json_schema"
    assert backing.calls[0].kwargs == {"temperature": 0.0}
    assert backing.calls[0].schema == ANSWER
    usage = lm.usage["inference"]
    prompt = estimate_tokens(ASK[0]["content"] + json.dumps(ANSWER))
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (
        1, prompt, estimate_tokens('{"answer": "Paris"}'))
    assert usage.cost > 0
    assert "sk-local" not in json.dumps(body)


async def test_a_program_runs_on_the_stand_in_and_the_cache_spares_the_server(
    server: OpenAICompatibleServer, tmp_path: Path
) -> None:
    class Question(sn.DataModel):
        question: str

    class Answer(sn.DataModel):
        answer: str

    lm = provider(server, cache=Cache(tmp_path))
    inputs = sn.Input(data_model=Question)
    program = sn.Program(inputs=inputs, outputs=await sn.Generator(
        data_model=Answer, language_model=lm)(inputs))
    for _ in range(2):
        assert (await program(Question(question="Capital of France?")))["answer"] == "Paris"
    assert len(server.requests) == 1
    assert lm.usage.total.cache_hits == 1


async def test_a_failing_backing_model_is_a_server_error() -> None:
    def broken(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        raise RuntimeError("model crashed")

    with OpenAICompatibleServer(ScriptedLanguageModel(handler=broken)) as server:
        with pytest.raises(ProviderUnavailableError, match="model crashed"):
            await provider(server)(ASK, schema=ANSWER)
        assert len(server.requests) == 1


# -- over plain HTTP ---------------------------------------------------------------------


async def test_a_forced_tool_is_answered_with_a_tool_call(server: OpenAICompatibleServer) -> None:
    status, body = post(server, {
        "model": "some-model", "messages": ASK,
        "tools": [{"type": "function", "function": {"name": "structured_output",
                                                     "parameters": ANSWER}}],
        "tool_choice": {"type": "function", "function": {"name": "structured_output"}},
    })
    assert status == 200
    choice = body["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]["function"]
    assert call["name"] == "structured_output"
    assert json.loads(call["arguments"]) == {"answer": "Paris"}
    assert body["model"] == "some-model"


async def test_without_a_schema_the_answer_is_text(server: OpenAICompatibleServer) -> None:
    status, body = post(server, {"model": "m", "messages": ASK})
    assert status == 200
    assert body["choices"][0]["message"]["content"] == "Paris, of course."
    assert body["usage"]["completion_tokens"] == estimate_tokens("Paris, of course.")


@pytest.mark.parametrize(("path", "payload", "status"), [
    ("/models", {"model": "m", "messages": ASK}, 404),
    ("/chat/completions", b"not json", 400),
    ("/chat/completions", [1, 2], 400),
    ("/chat/completions", {"model": "m", "messages": []}, 400),
])
async def test_bad_requests_are_refused_with_a_reason(
    server: OpenAICompatibleServer, path: str, payload: Any, status: int
) -> None:
    code, body = post(server, payload, path)
    assert code == status
    assert body["error"]["message"]


async def test_close_releases_the_port(backing: ScriptedLanguageModel) -> None:
    server = OpenAICompatibleServer(backing).start()
    assert server.running and "running" in repr(server)
    server.close()
    assert not server.running
    with pytest.raises(urllib.error.URLError):
        post(server, {"model": "m", "messages": ASK})


async def test_the_backing_model_must_be_callable() -> None:
    with pytest.raises(TypeError, match="Expected a language model"):
        OpenAICompatibleServer("openai/gpt-4o-mini")
