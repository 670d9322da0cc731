"""LanguageModel construction, configuration, and the litellm request for each provider family.

Nothing here sends a request.
"""

from __future__ import annotations

import json

import pytest

from synalinks_nb.language_models import LanguageModel
from synalinks_nb.language_models.litellm_backend import _structured_request, structured_output_mode

ASK = [{"role": "user", "content": "What is the capital of France?"}]
ANSWER = {
    "title": "Answer",
    "type": "object",
    "properties": {"answer": {"type": "string"}, "confidence": {"type": "integer"}},
    "required": ["answer", "confidence"],
    "additionalProperties": False,
}


def test_structured_output_mode_per_provider_family() -> None:
    assert structured_output_mode("openai/gpt-4o-mini") == "json_schema"
    assert structured_output_mode("ollama/llama3") == "json_schema"
    assert structured_output_mode("anthropic/claude-3-5-haiku-latest") == "tool"
    assert structured_output_mode("groq/llama3-8b-8192") == "tool"


def test_forced_tool_call_carries_the_schema() -> None:
    request = _structured_request("tool", ANSWER, ASK)
    assert request["tools"][0]["function"]["parameters"] == ANSWER
    assert request["tool_choice"] == {"type": "function",
                                      "function": {"name": "structured_output"}}


def test_json_object_mode_puts_the_schema_in_a_system_message() -> None:
    request = _structured_request("json_object", ANSWER, ASK)
    assert request["response_format"] == {"type": "json_object"}
    assert request["messages"][0]["role"] == "system"
    assert json.dumps(ANSWER) in request["messages"][0]["content"]
    assert request["messages"][1:] == ASK


def test_non_strict_schema_is_sent_without_strict_mode() -> None:
    loose = {"type": "object", "properties": {"a": {"type": "string"}}}
    request = _structured_request("json_schema", loose, ASK)
    assert request["response_format"]["json_schema"]["strict"] is False


def test_config_never_contains_the_api_key_and_round_trips() -> None:
    lm = LanguageModel("openai/gpt-4o-mini", api_key="sk-very-secret", temperature=0.2,
                       retry=2, fallback="anthropic/claude-3-5-haiku-latest")
    config = lm.get_config()
    assert "sk-very-secret" not in json.dumps(config)
    again = LanguageModel.from_config(config)
    assert again.get_config() == config
    assert repr(again) == "LanguageModel(model='openai/gpt-4o-mini')"


def test_unknown_setting_fails_loudly() -> None:
    with pytest.raises(TypeError, match="temprature"):
        LanguageModel("openai/gpt-4o-mini", temprature=0.2)


def test_local_options_are_only_for_local_models_and_round_trip() -> None:
    with pytest.raises(TypeError, match="n_ctx"):
        LanguageModel("openai/gpt-4o-mini", n_ctx=2048)
    lm = LanguageModel("local/smollm2", n_ctx=2048, n_threads=1, seed=3)
    config = lm.get_config()
    assert (config["n_ctx"], config["n_threads"], config["sampling"]) == (2048, 1, {"seed": 3})
    assert LanguageModel.from_config(config).get_config() == config
    assert lm.max_concurrency is None  # the worker thread serialises local calls anyway
    assert LanguageModel("openai/gpt-4o-mini").max_concurrency == 16


def test_synalinks_constructor_arguments_are_accepted(tmp_path: object) -> None:
    lm = LanguageModel(model="ollama/mistral", api_base="http://localhost:11434", timeout=30,
                       retry=5, caching=False)
    assert lm.retry.max_retries == 5
    assert lm.cache is None
    assert lm.backend.litellm_model == "ollama_chat/mistral"  # type: ignore[union-attr]
