"""Observability: logging each call's span, recording model calls, MLflow traces and runs.

Synalinks' guide 10 (observability): ``enable_logging`` prints a block per module call,
linked by call ids into the span tree program -> generator -> language model;
``record_traces`` and ``hooks.Recorder`` write the model calls as fine-tuning lines;
``enable_observability`` sends the same tree to MLflow (its test skips without mlflow).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    """User question."""

    query: str = synalinks.Field(description="User question")


class Answer(synalinks.DataModel):
    """Answer with reasoning."""

    thinking: str = synalinks.Field(description="Step by step thinking")
    answer: str = synalinks.Field(description="The final answer")


def language_model() -> synalinks.ScriptedLanguageModel:
    return answering(lambda user, field: f"{field} about {user['query']}")


async def traced_qa(lm: Any) -> synalinks.Program:
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
    return synalinks.Program(inputs=inputs, outputs=outputs, name="traced_qa")


def span_tree(blocks: list[str]) -> dict[str, tuple[str, str]]:
    """``{call id: (module class, parent call id)}`` from the logged blocks."""
    tree = {}
    for block in blocks:
        call = re.search(r"Call ID: (\S+)", block)
        parent = re.search(r"Parent call ID: (\S+)", block)
        module = re.search(r"Module: (\S+)", block)
        assert call and parent and module, block
        tree[call[1]] = (module[1], parent[1])
    return tree


async def test_logging_shows_the_span_tree_of_each_call(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    synalinks.clear_session()
    synalinks.enable_logging(log_level="info")
    program = await traced_qa(language_model())
    with caplog.at_level(logging.INFO):
        result = await program(Query(query="What is Python used for?"))
    assert result["answer"] == "answer about What is Python used for?"
    blocks = [r.getMessage() for r in caplog.records if "Call ID:" in r.getMessage()]
    tree = span_tree(blocks)
    by_class = {cls: (call, parent) for call, (cls, parent) in tree.items()}
    assert set(by_class) == {"Program", "Generator", "ScriptedLanguageModel"}
    assert by_class["Program"][1] == "None"
    assert by_class["Generator"][1] == by_class["Program"][0]
    assert by_class["ScriptedLanguageModel"][1] == by_class["Generator"][0]

    program.summary()
    assert "traced_qa" in capsys.readouterr().out
    assert [v.name for v in program.trainable_variables] == ["instructions"]
    synalinks.utils.plot_program(program, to_folder=tmp_path, to_file="traced_qa.svg",
                                 show_module_names=True, show_trainable=True,
                                 show_schemas=False)
    assert (tmp_path / "traced_qa.svg").exists()

    caplog.clear()
    with caplog.at_level(logging.INFO):
        for q in ["What is machine learning?", "How do neural networks work?"]:
            await program(Query(query=q))
    roots = [b for b in caplog.records if "Parent call ID: None" in b.getMessage()]
    assert len(roots) == 4  # each call's root span, opened and closed


async def test_recording_model_calls_as_fine_tuning_lines(tmp_path: Path) -> None:
    synalinks.clear_session()
    synalinks.record_traces(base_dir=tmp_path / "traces")
    program = await traced_qa(language_model())
    await program(Query(query="What is deep learning?"))
    [path] = sorted((tmp_path / "traces").rglob("*.jsonl"))
    line = json.loads(path.read_text())
    assert (line["program"], line["module"]) == ("traced_qa", "generator")
    assert [m["role"] for m in line["messages"]] == ["system", "user", "assistant"]

    synalinks.clear_session()
    lm = language_model()
    recorder = synalinks.hooks.Recorder(base_dir=str(tmp_path / "hooked"))
    lm.add_hook(recorder)
    await (await traced_qa(lm))(Query(query="Hi"))
    assert [p.parent.name for p in recorder.files()] == ["generator"]


async def test_enable_observability_sends_the_tree_to_mlflow(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mlflow = pytest.importorskip("mlflow", reason="the observability extra is absent")
    import warnings

    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():  # MLflow's own deprecation and type-hint warnings
        warnings.simplefilter("ignore")
        synalinks.clear_session()
        uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
        synalinks.enable_observability(tracking_uri=uri,
                                       experiment_name="guide_10_observability")
        program = await traced_qa(language_model())
        await program(Query(query="What is Python used for?"))
        mlflow.flush_trace_async_logging()
        client = mlflow.MlflowClient(tracking_uri=uri)
        experiment = client.get_experiment_by_name("guide_10_observability")
        [trace] = client.search_traces(locations=[experiment.experiment_id])
    names = sorted(span.name for span in trace.data.spans)
    assert names == ["Generator:generator", "Program:traced_qa", "ScriptedLanguageModel:scripted"]
