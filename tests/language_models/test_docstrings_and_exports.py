"""The docstring examples of synalinks_nb.language_models run, and the public names are pinned."""

from __future__ import annotations

import doctest
import importlib

import pytest

import synalinks_nb.language_models as language_models
from synalinks_nb.errors import UnknownObjectError

MODULES = [
    "base", "cache", "embedded", "embedding_model", "language_model", "litellm_backend",
    "registry", "scripted", "settings", "usage", "streaming",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"synalinks_nb.language_models.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_names_are_pinned() -> None:
    assert sorted(language_models.__all__) == sorted([
        "BaseLanguageModel", "Cache", "CallUsage", "Completion", "EmbeddingModel",
        "LanguageModel", "RetryPolicy", "SamplingSettings", "ScriptedCall",
        "ScriptedLanguageModel", "TransientError", "Usage", "UsageReport", "current_phase",
        "usage_phase",
        "deserialize", "get", "serialize",  # Synalinks' registry functions
        "CallbackSink", "TokenSink", "TokenStream", "WriterSink", "quiet_streams",
        "streaming_to", "trajectory_scope",  # streamed answers
    ])
    for name in language_models.__all__:
        assert getattr(language_models, name) is not None


def test_importing_the_package_loads_no_heavy_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys, synalinks_nb.language_models; "
        "print([m for m in ('litellm', 'llama_cpp', 'jsonschema', 'numpy') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_registry_functions_follow_synalinks() -> None:
    scripted = language_models.ScriptedLanguageModel(responses=["hi"], name="judge")
    assert language_models.get(scripted) is scripted
    restored = language_models.get(language_models.serialize(scripted))
    assert type(restored) is language_models.ScriptedLanguageModel and restored.name == "judge"
    assert language_models.get("openai/gpt-4o-mini").model == "openai/gpt-4o-mini"
    with pytest.raises(UnknownObjectError, match="Evil"):
        language_models.deserialize({"class_name": "Evil", "config": {}})
    with pytest.raises(TypeError, match="model id"):
        language_models.get(42)
