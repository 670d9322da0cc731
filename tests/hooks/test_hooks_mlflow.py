"""With MLflow installed, calls become spans of MLflow traces, read back through MLflow.

Skipped without ``mlflow`` (the ``observability`` extra). The tracking store is a SQLite
file in the test's folder: no server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from tests.hooks import helpers
from tests.hooks.helpers import Query, adder_agent

mlflow = pytest.importorskip("mlflow", reason="the observability extra (mlflow) is absent")

# MLflow's own warnings, which filterwarnings=error would turn into errors inside MLflow
# (it then records nothing): its SQL store uses options SQLAlchemy 2.1 deprecates, and its
# span code warns about its own `Any` type hints.
pytestmark = [pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy"),
              pytest.mark.filterwarnings("ignore:.*Any type hint is inferred as AnyType")]


@pytest.fixture(scope="module")
def uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite store for the module (creating its tables takes seconds); one
    experiment per test."""
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # MLflow's SQL store makes its default artifact folder, ./mlruns, in the working folder.
    monkeypatch.chdir(tmp_path)


def traces_of(uri: str, experiment: str) -> list[Any]:
    mlflow.flush_trace_async_logging()
    client = mlflow.MlflowClient(tracking_uri=uri)
    found = client.get_experiment_by_name(experiment)
    assert found is not None, f"no experiment {experiment!r} at {uri}"
    return list(client.search_traces(locations=[found.experiment_id]))


async def qa_program(handler: Any) -> sn.Program:
    return await helpers.qa_program(sn.ScriptedLanguageModel(handler=handler, name="lm"))


async def test_a_program_call_is_one_trace_program_module_model(uri: str) -> None:
    program = await qa_program(lambda messages, schema: {"answer": "Paris"})
    sn.enable_observability(tracking_uri=uri, experiment_name="qa_traces")
    await program(Query(query="Capital of France?"))
    [trace] = traces_of(uri, "qa_traces")
    spans = {span.name: span for span in trace.data.spans}
    assert set(spans) == {"Program:qa", "Generator:answerer", "ScriptedLanguageModel:lm"}
    root, module, model = (spans["Program:qa"], spans["Generator:answerer"],
                           spans["ScriptedLanguageModel:lm"])
    assert root.parent_id is None and module.parent_id == root.span_id
    assert model.parent_id == module.span_id
    assert (root.span_type, model.span_type) == ("CHAIN", "CHAT_MODEL")
    assert root.inputs == {"data": [{"query": "Capital of France?"}]}
    assert root.outputs == {"data": [{"answer": "Paris"}]}
    assert model.attributes["synalinks.model"] == "scripted"
    assert module.attributes["synalinks.parent_call_id"] == root.attributes["synalinks.call_id"]
    assert trace.info.state.value == "OK"


async def test_a_failing_call_is_an_error_span_with_the_message(uri: str) -> None:
    def broken(messages: Any, schema: Any) -> Any:
        raise RuntimeError("provider down")

    program = await qa_program(broken)
    sn.enable_observability(tracking_uri=uri, experiment_name="failures")
    with pytest.raises(Exception, match="provider down"):
        await program(Query(query="?"))
    [trace] = traces_of(uri, "failures")
    root = next(s for s in trace.data.spans if s.parent_id is None)
    assert root.status.status_code.value == "ERROR"
    assert "provider down" in root.attributes["synalinks.exception"]


async def test_observability_turned_on_after_building_still_traces(uri: str) -> None:
    program = await qa_program(lambda messages, schema: {"answer": "a"})
    await program(Query(query="before"))
    sn.enable_observability(tracking_uri=uri, experiment_name="late")
    await program(Query(query="after"))
    [trace] = traces_of(uri, "late")
    root = next(s for s in trace.data.spans if s.parent_id is None)
    assert root.inputs == {"data": [{"query": "after"}]}


async def test_an_agents_tool_call_is_a_tool_span_under_the_agent(uri: str) -> None:
    agent = adder_agent()
    sn.enable_observability(tracking_uri=uri, experiment_name="agents")
    await agent(Query(query="1 + 2?"))
    [trace] = traces_of(uri, "agents")
    spans = {span.span_type: span for span in trace.data.spans}
    assert spans["AGENT"].parent_id is None
    assert spans["TOOL"].parent_id == spans["AGENT"].span_id
    assert spans["TOOL"].inputs == {"data": [], "kwargs": {"a": 1, "b": 2}}
    assert spans["TOOL"].outputs == {"data": [{"sum": 3}]}
