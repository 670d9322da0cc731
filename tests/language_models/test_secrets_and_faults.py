"""Secrets stay out of errors and configs; transport faults become the right typed errors.

Against a real OpenAI-compatible server on 127.0.0.1 (``openai_server.py``).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from openai_server import OpenAIServer, Reply

import synalinks_nb as sn
from synalinks_nb.errors import (
    AuthenticationError,
    MissingObjectError,
    ProviderError,
    ProviderUnavailableError,
)
from synalinks_nb.language_models import LanguageModel, RetryPolicy, SamplingSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")

ASK = [{"role": "user", "content": "What is the capital of France?"}]
ENV_KEY = "sk-env-0123456789abcdef"
GIVEN_KEY = "sk-given-0123456789"


@pytest_asyncio.fixture(loop_scope="module", scope="module", autouse=True)
async def _close_litellm_clients() -> AsyncIterator[None]:
    yield
    from synalinks_nb.language_models.litellm_backend import import_litellm

    await import_litellm().close_litellm_async_clients()


def _lm(server: OpenAIServer, **kwargs: Any) -> LanguageModel:
    kwargs.setdefault("retry", RetryPolicy(max_retries=2, initial_delay=0.01))
    return LanguageModel("openai/test-model", api_base=server.api_base, **kwargs)


def _everything_shown(error: BaseException) -> str:
    """What a user (or a log) can see of an error: message, notes, chained errors."""
    return "".join(traceback.format_exception(error))


# -- keys echoed by the provider ------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 400, 500])
async def test_a_key_echoed_in_an_error_body_is_redacted(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    echo = f"Incorrect API key provided: {ENV_KEY} (also tried {GIVEN_KEY})"
    server.script(Reply(status=status, body={"error": {"message": echo}}))
    with pytest.raises(ProviderError) as info:
        await _lm(server, api_key=GIVEN_KEY, retry=0)(ASK)
    shown = _everything_shown(info.value)
    assert ENV_KEY not in shown and GIVEN_KEY not in shown
    assert "<redacted>" in str(info.value)
    assert info.value.status_code == status


async def test_an_echoed_key_does_not_reach_prediction_failures(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    server.script(Reply(status=401, body={"error": {"message": f"bad key {ENV_KEY}"}}))

    class Query(sn.DataModel):
        query: str

    x = sn.Input(data_model=Query)
    y = await sn.Generator(language_model=_lm(server, retry=0))(x)
    program = sn.Program(inputs=x, outputs=y)
    [output] = await program.predict([Query(query="hi")], verbose=0)
    assert isinstance(output, sn.PredictionFailure)
    assert isinstance(output.error, AuthenticationError)
    assert ENV_KEY not in output.message and ENV_KEY not in _everything_shown(output.error)


# -- credentials inside api_base --------------------------------------------------------------


async def test_url_credentials_are_used_but_never_shown(server: OpenAIServer) -> None:
    host = server.api_base.removeprefix("http://")
    lm = LanguageModel("openai/test-model", api_base=f"http://ada:hunter2-pass@{host}?key=q-secret9")
    shown = repr(lm) + str(lm.get_config()) + repr(lm.backend)
    assert "hunter2-pass" not in shown and "q-secret9" not in shown and "ada" not in shown
    assert lm.api_base == f"http://<redacted>@{host}?key=<redacted>"


async def test_an_embedding_models_url_credentials_and_key_are_never_shown() -> None:
    model = sn.EmbeddingModel("openai/text-embedding-3-small", api_key=GIVEN_KEY,
                              api_base="http://ada:hunter2-pass@gpu-box:8000/v1?key=q-secret9")
    shown = repr(model) + str(model.get_config())
    assert not any(secret in shown for secret in ("hunter2-pass", "q-secret9", GIVEN_KEY))
    assert model.api_base == "http://<redacted>@gpu-box:8000/v1?key=<redacted>"
    assert {GIVEN_KEY, "hunter2-pass", "q-secret9"} <= set(model.secrets)


async def test_url_credentials_are_sent_to_the_server(server: OpenAIServer) -> None:
    url = server.api_base.replace("http://", "http://ada:hunter2-pass@")
    request = LanguageModel("openai/test-model", api_base=url).backend._request(
        ASK, None, SamplingSettings(), None)
    assert request["api_base"] == url


async def test_a_redacted_api_base_refuses_to_send_rather_than_call_another_url(
    server: OpenAIServer,
) -> None:
    host = server.api_base.removeprefix("http://")
    saved = LanguageModel("openai/test-model", api_base=f"http://ada:pw-123456@{host}")
    loaded = LanguageModel.from_config(saved.get_config())
    with pytest.raises(MissingObjectError, match="credentials in a URL are never saved"):
        await loaded(ASK)
    assert server.requests == []


# -- connection faults ----------------------------------------------------------------------


async def test_a_connection_reset_is_retried_at_once(server: OpenAIServer) -> None:
    server.script(Reply(reset=True), Reply(content="Paris"))
    # The default timeout (600 s): a reset taken for a hang would stall this test.
    out = await _lm(server, api_key="sk-test", timeout=600)(ASK)
    assert out.get_json()["content"] == "Paris"
    assert len(server.requests) == 2


async def test_a_persistent_reset_says_the_connection_failed_not_http_500(
    server: OpenAIServer,
) -> None:
    server.script(Reply(reset=True))
    with pytest.raises(ProviderUnavailableError) as info:
        await _lm(server, api_key="sk-test")(ASK)
    assert "connection failed" in str(info.value) and "HTTP 500" not in str(info.value)
    assert info.value.status_code is None
    assert len(server.requests) == 3  # the first attempt and two retries
    assert "Gave up after 3 attempt(s)." in info.value.__notes__


# litellm warns through pydantic while it reads the bad answer; the answer is what matters.
@pytest.mark.filterwarnings("ignore::UserWarning")
async def test_a_malformed_200_answer_is_not_reported_as_http_500(server: OpenAIServer) -> None:
    server.script(Reply(status=200, body={"id": "x", "choices": "not a list"}))
    with pytest.raises(ProviderError, match="malformed answer") as info:
        await _lm(server, api_key="sk-test")(ASK)
    assert "HTTP 500" not in str(info.value)
    assert len(server.requests) == 1


async def test_an_answer_without_choices_is_a_provider_error(server: OpenAIServer) -> None:
    server.script(Reply(status=200, body={"id": "x", "object": "chat.completion",
                                          "created": 1, "model": "m", "choices": []}))
    with pytest.raises(ProviderError, match="at least one choice"):
        await _lm(server, api_key="sk-test")(ASK)


@pytest.mark.parametrize("name", ["ANTHROPIC_API_KEY", "AWS_SECRET_ACCESS_KEY", "HF_TOKEN",
                                  "AZURE_OPENAI_PASSWORD", "GOOGLE_PRIVATE_KEY"])
async def test_environment_keys_under_the_usual_names_are_redacted_from_messages(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from synalinks_nb.utils.secrets import redact_text

    monkeypatch.setenv(name, "value-0123456789")
    monkeypatch.setenv("SOME_SETTING", "visible-0123456789")
    shown = redact_text("got value-0123456789 and visible-0123456789")
    assert shown == "got <redacted> and visible-0123456789"


async def test_the_first_import_of_litellm_does_not_count_against_the_timeout(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from synalinks_nb.language_models import language_model, litellm_backend

    real = litellm_backend.import_litellm
    imported: list[bool] = []

    def slow_first_import() -> Any:  # what a cold import costs on a busy machine
        if not imported:
            time.sleep(4)
        imported.append(True)
        return real()

    monkeypatch.setattr(litellm_backend, "import_litellm", slow_first_import)
    monkeypatch.setattr(language_model, "import_litellm", slow_first_import)
    server.script(Reply(content="Paris"))
    out = await _lm(server, api_key="sk-test", timeout=3, retry=0)(ASK)
    assert out.get_json()["content"] == "Paris"


# -- a refused key ends fit at once ---------------------------------------------------------


async def test_a_wrong_key_stops_fit_at_the_first_batch_not_after_every_epoch(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    server.script(Reply(status=401, body={"error": {"message": "Incorrect API key provided"}}))

    class Query(sn.DataModel):
        query: str

    class Answer(sn.DataModel):
        answer: str

    x = sn.Input(data_model=Query)
    y = await sn.Generator(data_model=Answer, language_model=_lm(server))(x)
    program = sn.Program(inputs=x, outputs=y)
    program.compile(reward="exact_match", optimizer="random_few_shot")
    xs = [Query(query=f"q{i}") for i in range(24)]
    ys = [Answer(answer="a")] * 24
    history = sn.callbacks.History()
    with pytest.raises(AuthenticationError, match="Incorrect API key"):
        await program.fit(xs, ys, epochs=3, batch_size=8, verbose=0, callbacks=[history])
    # One batch of 8 requests at most (401 is never retried), not 3 epochs x 18 samples.
    assert 1 <= len(server.requests) <= 8
    assert history.history == {}
