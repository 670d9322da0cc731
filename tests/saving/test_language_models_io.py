"""Loading gives back the language models a program was built with, or says what is missing;
and a file never chooses where the user's credentials go.

The endpoint tests use a real OpenAI-compatible server on 127.0.0.1 that records the
``Authorization`` header of every request it receives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from language_models.openai_server import OpenAIServer, Reply

import synalinks_nb as sn
from synalinks_nb.errors import MissingObjectError, UntrustedEndpointError

ENV_KEY = "sk-env-0123456789abcdef"


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


@sn.saving.register_synalinks_serializable(package="LanguageModelsIO")
class Qa(sn.Program):
    """A subclassed program whose model is a constructor argument (not in its config)."""

    def __init__(self, language_model: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gen = sn.Generator(data_model=Answer, language_model=language_model, name="gen")

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return await self.gen(inputs, training=training)


def reverse(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> dict[str, Any]:
    return {"answer": json.loads(messages[-1]["content"])["query"][::-1]}


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture
def attacker() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


async def functional(lm: Any) -> sn.Program:
    x = sn.Input(data_model=Query)
    y = await sn.Generator(data_model=Answer, language_model=lm, name="gen")(x)
    return sn.Program(inputs=x, outputs=y, name="qa")


# -- a file cannot send the user's key to a host the user did not choose ---------------------


async def test_an_edited_api_base_is_refused_and_receives_nothing(
    tmp_path: Path, server: OpenAIServer, attacker: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    path = tmp_path / "qa.json"
    (await functional(sn.LanguageModel("openai/m", api_base=server.api_base))).save(path)
    path.write_text(path.read_text().replace(server.api_base, attacker.api_base))
    attacker.script(Reply(content='{"answer": "stolen"}'))

    with pytest.raises(UntrustedEndpointError, match="trusted_api_bases") as info:
        sn.Program.load(path)
    assert info.value.api_base == attacker.api_base
    assert attacker.requests == []


async def test_a_trusted_endpoint_receives_the_environment_key(
    tmp_path: Path, server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    path = tmp_path / "qa.json"
    (await functional(sn.LanguageModel("openai/m", api_base=server.api_base))).save(path)
    server.script(Reply(content='{"answer": "Paris"}'))

    loaded = sn.Program.load(path, trusted_api_bases=[server.api_base.removesuffix("/v1")])
    assert (await loaded(Query(query="capital?")))["answer"] == "Paris"
    assert server.requests[0].headers["authorization"] == f"Bearer {ENV_KEY}"


@pytest.mark.parametrize("how", ["environment", "config", "safe_mode"])
async def test_every_way_to_trust_an_endpoint_lets_the_file_load(
    tmp_path: Path, server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    path = tmp_path / "qa.json"
    (await functional(sn.LanguageModel("openai/m", api_base=server.api_base))).save(path)
    options: dict[str, Any] = {}
    if how == "environment":
        monkeypatch.setenv("SYNALINKS_NB_TRUSTED_API_BASES", f"http://x.invalid, {server.api_base}")
    elif how == "config":
        sn.config.set_trusted_api_bases([server.api_base + "/"])
    else:
        options["safe_mode"] = False
    loaded = sn.Program.load(path, **options)
    assert loaded.get_module("gen").language_model.spec.api_base == server.api_base


async def test_a_model_given_back_replaces_the_files_endpoint(
    tmp_path: Path, attacker: OpenAIServer
) -> None:
    path = tmp_path / "qa.json"
    (await functional(sn.LanguageModel("openai/m", api_base=attacker.api_base,
                                       name="gpt"))).save(path)
    mine = sn.ScriptedLanguageModel(handler=reverse)
    for options in ({"language_model": mine}, {"language_model": {"gpt": mine}},
                    {"custom_objects": {"gpt": mine}}):
        loaded = sn.Program.load(path, **options)
        assert (await loaded(Query(query="abc")))["answer"] == "cba"
    assert attacker.requests == []


async def test_a_lookalike_host_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "qa.json"
    lm = sn.LanguageModel("openai/m", api_base="http://localhost:11434.evil.example/v1")
    (await functional(lm)).save(path)
    with pytest.raises(UntrustedEndpointError):
        sn.Program.load(path, trusted_api_bases=["http://localhost:11434"])


async def test_a_fallback_endpoint_needs_trust_too(tmp_path: Path, server: OpenAIServer) -> None:
    path = tmp_path / "qa.json"
    lm = sn.LanguageModel("openai/m", fallback=sn.LanguageModel("openai/b",
                                                                api_base=server.api_base))
    (await functional(lm)).save(path)
    with pytest.raises(UntrustedEndpointError, match="openai/b"):
        sn.Program.load(path)


# -- credentials in URLs ------------------------------------------------------------------------


async def test_a_password_in_api_base_is_not_saved_and_must_be_given_back(
    tmp_path: Path, server: OpenAIServer
) -> None:
    path = tmp_path / "qa.json"
    url = server.api_base.replace("http://", "http://ada:hunter2-pass@")
    (await functional(sn.LanguageModel("openai/m", api_base=url, name="gpt"))).save(path)
    assert "hunter2-pass" not in path.read_text()
    with pytest.raises(MissingObjectError, match=r"'gpt'.*language_model="):
        sn.Program.load(path, trusted_api_bases=[server.api_base])


# -- what a program was built with comes back ------------------------------------------------


async def test_a_subclassed_program_keeps_its_language_model(tmp_path: Path) -> None:
    path = tmp_path / "qa.json"
    program = Qa(language_model=sn.LanguageModel("openai/gpt-4o-mini", temperature=0.0))
    await program(sn.Input(data_model=Query))  # build
    program.save(path)
    loaded = sn.Program.load(path)
    spec = loaded.get_module("gen").language_model.spec
    assert isinstance(spec, sn.LanguageModel)
    assert (spec.model, spec.sampling.temperature) == ("openai/gpt-4o-mini", 0.0)


async def test_a_subclassed_program_keeps_its_scripted_answers(tmp_path: Path) -> None:
    path = tmp_path / "qa.json"
    program = Qa(language_model=sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}]))
    await program(Query(query="capital?"))
    program.save(path)
    assert (await sn.Program.load(path)(Query(query="capital?")))["answer"] == "Paris"


@pytest.mark.parametrize("kind", ["functional", "subclassed"])
async def test_a_handler_model_is_asked_for_instead_of_answering_empty_strings(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "qa.json"
    lm = sn.ScriptedLanguageModel(handler=reverse, name="reverser")
    if kind == "functional":
        program = await functional(lm)
    else:
        program = Qa(language_model=lm)
        await program(Query(query="x"))
    program.save(path)
    with pytest.raises(MissingObjectError, match=r"'reverser'.*handler 'reverse'.*language_model="):
        sn.Program.load(path)
    loaded = sn.Program.load(path, language_model={"reverser": lm})
    assert (await loaded(Query(query="abc")))["answer"] == "cba"


async def test_a_handler_model_rebuilt_from_its_config_refuses_to_answer() -> None:
    lm = sn.ScriptedLanguageModel(handler=reverse, name="reverser")
    clone = sn.ScriptedLanguageModel.from_config(json.loads(json.dumps(lm.get_config())))
    with pytest.raises(MissingObjectError, match="handler 'reverse'"):
        await clone([{"role": "user", "content": "hi"}])
    assert clone.get_config() == lm.get_config()


def test_language_model_must_be_a_model_or_a_dict_of_models(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="Expected language_model to be a language model"):
        sn.Program.load(tmp_path / "missing.json", language_model="openai/gpt-4o")
