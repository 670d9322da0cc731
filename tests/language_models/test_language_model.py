"""LanguageModel construction and configuration.

Nothing here sends a request.
"""

from __future__ import annotations

import json

import pytest

from synalinks_nb.errors import ConfigError
from synalinks_nb.language_models import LanguageModel


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


def test_structured_output_choice_is_checked_and_round_trips() -> None:
    lm = LanguageModel("openai/smollm2", api_base="http://127.0.0.1:1/v1",
                       structured_output="tool")
    config = lm.get_config()
    assert config["structured_output"] == "tool"
    assert LanguageModel.from_config(config).backend.mode == "tool"  # type: ignore[union-attr]
    assert "structured_output" not in LanguageModel("openai/gpt-4o-mini").get_config()
    with pytest.raises(ConfigError, match=r"'auto' or one of .*Received: structured_output='xml'"):
        LanguageModel("openai/gpt-4o-mini", structured_output="xml")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="local model"):
        LanguageModel("local/smollm2", structured_output="prompt")
