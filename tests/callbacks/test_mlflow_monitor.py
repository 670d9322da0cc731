"""``callbacks.Monitor``: fit and evaluate as MLflow runs, read back through MLflow.

Skipped without ``mlflow`` (the ``observability`` extra). The tracking store is a SQLite
file: no server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from category_task import category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import callbacks, optimizers

mlflow = pytest.importorskip("mlflow", reason="the observability extra (mlflow) is absent")

# MLflow's own warnings, errors under filterwarnings=error: its SQL store uses options
# SQLAlchemy 2.1 deprecates, and its span code warns about its own `Any` type hints.
pytestmark = [pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy"),
              pytest.mark.filterwarnings("ignore:.*Any type hint is inferred as AnyType")]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite store for the module (creating its tables takes seconds)."""
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"


@pytest.fixture
def uri(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # the store's default artifact folder is ./mlruns
    return store


async def compiled() -> Any:
    sn.clear_session()
    sn.set_seed(7)
    program = await make_program(sn.ScriptedLanguageModel(handler=category_handler()))
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=1, nb_max_examples=2))
    return program


def runs(uri: str, experiment: str) -> list[Any]:
    client = mlflow.MlflowClient(tracking_uri=uri)
    found = client.get_experiment_by_name(experiment)
    assert found is not None, f"no experiment {experiment!r}"
    return list(client.search_runs([found.experiment_id]))


async def test_fit_is_a_run_with_params_epoch_metrics_plot_and_program(uri: str) -> None:
    program = await compiled()
    xs, ys = dataset(8)
    monitor = callbacks.Monitor(experiment_name="labeller", run_name="first", tracking_uri=uri,
                                tags={"team": "nb"})
    history = await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0, callbacks=[monitor])
    [run] = runs(uri, "labeller")
    assert run.info.run_name == "first_train" and run.info.status == "FINISHED"
    assert run.data.params["epochs"] == "2" and run.data.params["batch_size"] == "4"
    assert run.data.tags["team"] == "nb" and run.data.tags["program_name"] == program.name
    client = mlflow.MlflowClient(tracking_uri=uri)
    rewards = client.get_metric_history(run.info.run_id, "reward")
    assert [m.step for m in rewards][:2] == [0, 1]
    assert rewards[1].value == pytest.approx(history.history["reward"][1])
    artifacts = {a.path for folder in ("program_plots", "model")
                 for a in client.list_artifacts(run.info.run_id, folder)}
    assert artifacts == {f"program_plots/{program.name}.svg", f"model/{program.name}.json"}


async def test_batch_metrics_and_a_standalone_evaluation_run(uri: str) -> None:
    program = await compiled()
    xs, ys = dataset(8)
    monitor = callbacks.Monitor(experiment_name="eval", tracking_uri=uri,
                                log_batch_metrics=True, log_program_plot=False,
                                log_program_model=False)
    await program.fit(xs, ys, epochs=1, batch_size=2, verbose=0, callbacks=[monitor])
    logs = await program.evaluate(xs, ys, batch_size=4, callbacks=[monitor])
    by_name = {r.info.run_name: r for r in runs(uri, "eval")}
    assert set(by_name) == {"train", "test"}
    client = mlflow.MlflowClient(tracking_uri=uri)
    train_batches = client.get_metric_history(by_name["train"].info.run_id, "reward")
    assert len(train_batches) >= 4  # one per batch, then the epoch's
    assert by_name["test"].data.metrics["reward"] == pytest.approx(logs["reward"])
    test_batches = client.get_metric_history(by_name["test"].info.run_id, "reward")
    assert len(test_batches) >= 2  # its batches too, not only the final metrics
    assert by_name["test"].info.status == "FINISHED"


async def test_a_failed_fit_ends_its_run_failed(uri: str) -> None:
    program = await compiled()
    xs, ys = dataset(4)

    class Boom(callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            raise RuntimeError("boom")

    monitor = callbacks.Monitor(experiment_name="failing", tracking_uri=uri)
    with pytest.raises(RuntimeError, match="boom"):
        await program.fit(xs, ys, epochs=1, batch_size=2, verbose=0,
                          callbacks=[monitor, Boom()])
    [run] = runs(uri, "failing")
    assert run.info.status == "FAILED"


async def test_enable_observability_logs_every_fit_without_a_callback(uri: str) -> None:
    program = await compiled()
    xs, ys = dataset(4)
    sn.enable_observability(tracking_uri=uri, experiment_name="traces_of_fit")
    await program.fit(xs, ys, epochs=1, batch_size=2, verbose=0)
    [run] = runs(uri, program.name)  # Synalinks names the run's experiment after the program
    assert run.info.run_name == "train" and "reward" in run.data.metrics
