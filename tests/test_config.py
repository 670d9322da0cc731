from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ConfigError


def test_home_follows_the_environment(tmp_path: Path) -> None:
    assert sn.config.home == tmp_path / "home"
    assert sn.config.home.is_dir()


def test_unwritable_home_falls_back_to_a_temp_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNALINKS_NB_HOME", "/proc/not-writable")
    sn.config.reset()
    assert sn.config.home.is_dir()
    assert not str(sn.config.home).startswith("/proc")


def test_config_file_is_read_once_and_setters_win(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "synalinks.json").write_text(json.dumps({"default_language_model": "ollama/x"}))
    assert sn.config.default_language_model_id == "ollama/x"
    sn.config.set_default_language_model("openai/gpt-4o-mini")
    assert sn.config.default_language_model_id == "openai/gpt-4o-mini"
    assert json.loads((home / "synalinks.json").read_text()) == {
        "default_language_model": "ollama/x"}


def test_default_model_is_the_embedded_one() -> None:
    assert sn.config.default_language_model_id == "local/smollm2"


def test_bad_config_file_is_a_typed_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "synalinks.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"synalinks\.json"):
        _ = sn.config.default_language_model_id


def test_seed_and_session_names() -> None:
    sn.set_seed(3)
    first = [sn.config.rng.random() for _ in range(3)]
    sn.set_seed(3)
    assert [sn.config.rng.random() for _ in range(3)] == first
    assert sn.get_seed() == 3
    with pytest.raises(ConfigError, match="seed"):
        sn.set_seed("3")  # type: ignore[arg-type]
    assert [sn.Identity().name, sn.Identity().name] == ["identity", "identity_1"]
    sn.clear_session()
    assert sn.Identity().name == "identity"


def test_approval_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sn.config.approval is None
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "Accept")
    assert sn.config.approval == "accept"
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "maybe")
    with pytest.raises(ConfigError, match="SYNALINKS_NB_APPROVAL"):
        _ = sn.config.approval


async def test_enable_logging_shows_language_model_calls_at_the_chosen_level(
        capsys: pytest.CaptureFixture[str]) -> None:
    lm = sn.ScriptedLanguageModel(responses=["hi"])
    sn.config.enable_logging("info")
    await lm([{"role": "user", "content": "hello"}])
    assert "call to scripted" not in capsys.readouterr().err  # a debug record
    sn.config.enable_logging()  # Synalinks' default level: debug
    await lm([{"role": "user", "content": "hello"}])
    err = capsys.readouterr().err
    assert "inference call to scripted" in err and "DEBUG" in err
    sn.config.reset()  # forgets the handler: nothing printed any more
    await lm([{"role": "user", "content": "hello"}])
    assert capsys.readouterr().err == ""


def test_enable_logging_to_file_and_bad_level(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sn.config.enable_logging("warning", log_to_file=True)
    logging.getLogger("synalinks_nb.somewhere").warning("careful")
    sn.config.reset()  # closes the file handler
    assert "WARNING - careful" in (tmp_path / "synalinks.log").read_text()
    with pytest.raises(ConfigError, match="log_level"):
        sn.config.enable_logging("verbose")


async def test_default_language_model_accepts_a_model_object() -> None:
    class Answer(sn.DataModel):
        answer: str

    lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
    sn.config.set_default_language_model(lm)
    assert sn.config.default_language_model() is lm
    out = await sn.Generator(data_model=Answer)(Answer(answer="?"))  # no model given
    assert out["answer"] == "Paris" and len(lm.calls) == 1
    sn.config.set_default_language_model("openai/gpt-4o-mini")
    assert sn.config.default_language_model().model == "openai/gpt-4o-mini"
    sn.config.set_default_language_model(None)
    assert sn.config.default_language_model_id == "local/smollm2"
    with pytest.raises(ConfigError, match="model id"):
        sn.config.set_default_language_model(42)


def test_synalinks_config_functions() -> None:
    assert sn.config.api_base() is None
    sn.config.set_api_base("http://127.0.0.1:8000/v1")
    assert sn.config.api_base() == "http://127.0.0.1:8000/v1"
    assert sn.config.backend() == "pydantic" and sn.config.floatx() == "float32"
    sn.config.set_floatx("float64")
    sn.config.set_epsilon(1e-3)
    assert (sn.config.floatx(), sn.config.epsilon()) == ("float64", 1e-3)
    with pytest.raises(ConfigError, match="floatx"):
        sn.config.set_floatx("int8")
    with pytest.raises(ConfigError, match="backend"):
        sn.config.set_backend("jax")
    assert sn.config.synalinks_home() == str(sn.config.home)
    assert sn.config.is_observability_enabled() is False
    sn.config.disable_interactive_logging()
    assert not sn.config.is_interactive_logging_enabled()
    sn.config.reset()
    assert sn.config.api_base() is None and sn.config.is_interactive_logging_enabled()


def test_record_traces_writes_each_model_call_under_program_and_module(tmp_path: Path) -> None:
    class Query(sn.DataModel):
        query: str

    class Answer(sn.DataModel):
        answer: str

    async def ask_twice() -> None:
        lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        x = sn.Input(data_model=Query)
        y = await sn.Generator(data_model=Answer, language_model=lm, name="answerer")(x)
        program = sn.Program(inputs=x, outputs=y, name="quiz")
        await program(Query(query="Capital of France?"))
        await program(Query(query="Capital of Italy?"))

    assert not sn.is_trace_recording_enabled()
    assert sn.backend.trace_recording_dir() == sn.config.synalinks_home()
    sn.record_traces(base_dir=tmp_path)
    assert sn.is_trace_recording_enabled() and sn.config.trace_recording_dir() == str(tmp_path)
    asyncio.run(ask_twice())
    [path] = list(tmp_path.glob("quiz/answerer/answerer_*.jsonl"))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["program"] for line in lines] == ["quiz", "quiz"]
    assert lines[1]["messages"][-2]["content"] == '{"query": "Capital of Italy?"}'
    assert lines[1]["messages"][-1] == {"role": "assistant", "content": '{"answer": "Paris"}'}
    assert lines[0]["outputs"] == {"answer": "Paris"} and lines[0]["usage"] is not None
    assert lines[0]["inputs_hash"] != lines[1]["inputs_hash"]
    sn.config.reset()
    assert not sn.is_trace_recording_enabled() and sn.config.traces.writer is None


def test_enable_unsafe_deserialization_is_accepted_and_says_it_changes_nothing(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="synalinks_nb"):
        sn.config.enable_unsafe_deserialization()
    assert "has no effect" in caplog.text
