"""Hooks see every module and model call, linked into a tree; Logger and Recorder write them."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import MissingDependencyError
from tests.hooks.helpers import Answer, Query, adder_agent, qa_program


class Calls(sn.hooks.Hook):
    """Keeps (event, module name, call id, parent call id, payload) for every call."""

    def __init__(self, log: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.log = log

    def on_call_begin(self, call_id: str, parent_call_id: str | None = None,
                      inputs: Any = None, kwargs: dict[str, Any] | None = None) -> None:
        self.log.append(("begin", self.module.name, call_id, parent_call_id, inputs))

    def on_call_end(self, call_id: str, parent_call_id: str | None = None,
                    outputs: Any = None, exception: str | None = None) -> None:
        self.log.append(("end", self.module.name, call_id, parent_call_id,
                         exception if exception else outputs))


def written(folder: Path) -> list[Path]:
    return list(folder.rglob("*"))


def watch(log: list[tuple[Any, ...]], *owners: Any) -> None:
    for owner in owners:
        owner.add_hook(Calls(log))


async def test_a_program_call_is_a_tree_of_calls_program_module_model() -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}], name="lm")
    program = await qa_program(lm)
    log: list[tuple[Any, ...]] = []
    watch(log, program, program.get_module("answerer"), lm)
    await program(Query(query="Capital of France?"))
    assert [(e, m) for e, m, *_ in log] == [
        ("begin", "qa"), ("begin", "answerer"), ("begin", "lm"),
        ("end", "lm"), ("end", "answerer"), ("end", "qa")]
    ids = {(e, m): (c, p) for e, m, c, p, _ in log}
    assert ids["begin", "qa"][1] is None
    assert ids["begin", "answerer"][1] == ids["begin", "qa"][0]
    assert ids["begin", "lm"][1] == ids["begin", "answerer"][0]
    assert all(ids["end", m] == ids["begin", m] for m in ("qa", "answerer", "lm"))
    assert log[-1][4].get_json() == {"answer": "Paris"}
    assert log[2][4][-1]["content"] == '{"query": "Capital of France?"}'  # the messages


async def test_concurrent_calls_keep_their_own_parents() -> None:
    lm = sn.ScriptedLanguageModel(handler=lambda messages, schema: {"answer": "x"}, latency=0.01)
    program = await qa_program(lm)
    log: list[tuple[Any, ...]] = []
    watch(log, program, program.get_module("answerer"))
    await asyncio.gather(*(program(Query(query=str(i))) for i in range(3)))
    roots = {c for e, m, c, p, _ in log if e == "begin" and m == "qa"}
    children = [p for e, m, c, p, _ in log if e == "begin" and m == "answerer"]
    assert len(roots) == 3 and sorted(children) == sorted(roots)


async def test_a_failing_call_ends_with_its_error_message() -> None:
    def broken(messages: Any, schema: Any) -> Any:
        raise RuntimeError("provider down")

    program = await qa_program(sn.ScriptedLanguageModel(handler=broken))
    log: list[tuple[Any, ...]] = []
    watch(log, program)
    with pytest.raises(Exception, match="provider down"):
        await program(Query(query="?"))
    assert log[-1][0] == "end" and "provider down" in log[-1][4]


async def test_building_a_graph_shows_hooks_the_symbolic_calls() -> None:
    log: list[tuple[Any, ...]] = []
    generator = sn.Generator(data_model=Answer, language_model=sn.ScriptedLanguageModel())
    watch(log, generator)
    await generator(sn.Input(data_model=Query))
    assert [e for e, *_ in log] == ["begin", "end"]
    assert isinstance(log[0][4], sn.SymbolicDataModel)


def test_a_module_takes_hooks_in_its_constructor_and_rejects_non_hooks() -> None:
    log: list[tuple[Any, ...]] = []
    module = sn.Module(name="plain", hooks=[Calls(log)])
    assert module._hooks is not None and module._hooks.hooks[0].module is module
    with pytest.raises(TypeError, match="Expected a Hook instance"):
        module.add_hook("not a hook")  # type: ignore[arg-type]


def test_hook_list_flattens_adds_a_logger_and_passes_params() -> None:
    first, second = sn.hooks.Hook(), sn.hooks.Hook()
    hooks = sn.hooks.HookList([first, [second]], module="m", endpoint="x")
    assert [type(h).__name__ for h in hooks] == ["Hook", "Hook", "Logger"]
    assert second.module == "m" and second.params == {"endpoint": "x"}
    assert len(sn.hooks.HookList([sn.hooks.Logger()])) == 1
    assert len(sn.hooks.HookList(add_logger=False)) == 0


async def test_enable_logging_logs_each_call_with_its_parent(
        caplog: pytest.LogCaptureFixture) -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}], name="lm")
    program = await qa_program(lm)
    sn.enable_logging("info")
    with caplog.at_level(logging.INFO, logger="synalinks_nb.hooks.logger"):
        await program(Query(query="Capital of France?"))
    blocks = [r.getMessage() for r in caplog.records if r.name == "synalinks_nb.hooks.logger"]
    assert len(blocks) == 6  # begin and end of qa, answerer, lm
    assert "Module Name: qa" in blocks[0] and "Parent call ID: None" in blocks[0]
    program_id = blocks[0].split("Call ID: ")[1].split("\n")[0]
    assert f"Parent call ID: {program_id}" in blocks[1] and "Module: Generator" in blocks[1]
    assert '"answer": "Paris"' in blocks[-1]


async def test_without_logging_no_default_hook_is_made() -> None:
    program = await qa_program(sn.ScriptedLanguageModel(responses=[{"answer": "a"}]))
    await program(Query(query="?"))
    assert "_sn_default_hooks" not in program.__dict__


async def test_recorder_on_a_model_writes_each_call_under_program_and_module(
        tmp_path: Path) -> None:
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}], name="lm")
    recorder = sn.hooks.Recorder(base_dir=tmp_path)
    lm.add_hook(recorder)
    program = await qa_program(lm)
    await program(Query(query="Capital of France?"))
    [path] = recorder.files()
    assert path.relative_to(tmp_path).parts[:2] == ("qa", "answerer")
    [line] = [json.loads(text) for text in path.read_text().splitlines()]
    assert line["program"] == "qa" and line["module"] == "answerer"
    assert line["messages"][-1] == {"role": "assistant", "content": '{"answer": "Paris"}'}
    assert line["usage"] is not None and line["parent_call_id"]


async def test_recorder_on_a_module_records_nothing(tmp_path: Path) -> None:
    program = await qa_program(sn.ScriptedLanguageModel(responses=[{"answer": "a"}]))
    recorder = sn.hooks.Recorder(base_dir=tmp_path)
    program.add_hook(recorder)
    await program(Query(query="?"))
    assert recorder.files() == [] and not written(tmp_path)


def test_observability_settings_default_set_and_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not sn.is_observability_enabled()
    assert sn.config.mlflow_tracking_uri() is None
    assert sn.backend.mlflow_experiment_name() == "synalinks_traces"
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object())
    sn.enable_observability(tracking_uri="sqlite:///x.db", experiment_name="qa")
    assert sn.config.is_observability_enabled()
    assert (sn.backend.mlflow_tracking_uri(), sn.config.mlflow_experiment_name()) == (
        "sqlite:///x.db", "qa")
    sn.config.reset()
    assert not sn.is_observability_enabled() and sn.config.mlflow_tracking_uri() is None
    with pytest.raises(sn.errors.ConfigError, match="Expected experiment_name"):
        sn.enable_observability(experiment_name="")


def test_without_mlflow_observability_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "mlflow", None)  # `import mlflow` fails
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(MissingDependencyError, match=r"synalinks_nb\[observability\]"):
        sn.enable_observability()
    with pytest.raises(MissingDependencyError, match="The Monitor hook"):
        sn.hooks.Monitor()
    with pytest.raises(MissingDependencyError, match="The Monitor callback"):
        sn.callbacks.Monitor()
    assert not sn.is_observability_enabled()


async def test_an_agents_tool_calls_are_logged_under_the_agent(
        caplog: pytest.LogCaptureFixture) -> None:
    agent = adder_agent()
    sn.enable_logging("info")
    with caplog.at_level(logging.INFO, logger="synalinks_nb.hooks.logger"):
        await agent(Query(query="1 + 2?"))
    blocks = [r.getMessage() for r in caplog.records if r.name == "synalinks_nb.hooks.logger"]
    agent_id = blocks[0].split("Call ID: ")[1].split("\n")[0]
    tool_blocks = [b for b in blocks if "Module: Tool" in b]
    assert len(tool_blocks) == 2  # the call, with its arguments, then its result
    assert "Keyword Arguments" in tool_blocks[0] and '"a": 1' in tool_blocks[0]
    assert '"sum": 3' in tool_blocks[1]
    assert all(f"Parent call ID: {agent_id}" in b for b in tool_blocks)


async def test_an_embedding_models_calls_reach_its_hooks_once() -> None:
    log: list[tuple[Any, ...]] = []
    model = sn.EmbeddingModel("hashing/4", name="vectors", hooks=[Calls(log)])
    await model(sn.EmbeddingRequest(texts=["a cat"]))
    assert [(e, m) for e, m, *_ in log] == [("begin", "vectors"), ("end", "vectors")]
    assert len(log[-1][4]["embeddings"][0]) == 4
