"""``Monitor``: training and evaluation runs logged to MLflow (Synalinks' callback).

``fit`` becomes one MLflow run (named ``<run_name>_train``, or ``train``) in the
experiment named after the program, holding the run's parameters (epochs, batch size,
samples...), the metrics of every epoch (and of every batch with
``log_batch_metrics=True``), the program's graph as SVG and, at the end, the trained
program's JSON file. An ``evaluate`` outside ``fit`` is a run of its own (``test``); the
validation inside ``fit`` logs into the training run. Every MLflow request runs in a
worker thread, so a slow tracking server does not stall the event loop.

``Span`` (``callbacks.monitor.Span``) is Synalinks' data model of one end of a module
call; the spans themselves come from :class:`synalinks_nb.hooks.Monitor`.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.config import config
from synalinks_nb.events import TrainFailed
from synalinks_nb.hooks import _mlflow
from synalinks_nb.hooks.monitor import Span

__all__ = ["Monitor", "Span"]

_log = logging.getLogger(__name__)


class Monitor(Callback):
    """Logs a training run's parameters, metrics and program to MLflow.

    Args:
        experiment_name: the MLflow experiment (``None``: the program's name).
        run_name: the run's name, suffixed ``_train`` / ``_test``.
        tracking_uri: where MLflow records (``None``: ``enable_observability``'s, else
            ``MLFLOW_TRACKING_URI`` or MLflow's default).
        log_batch_metrics: also log each batch's metrics (step = batches seen).
        log_epoch_metrics: log each epoch's metrics (step = epoch).
        log_program_plot: log the program's graph (``program_plots/<name>.svg``).
        log_program_model: log the trained program's JSON file (``model/<name>.json``).
        tags: tags of the run (the program's name and description are added).

    Raises:
        MissingDependencyError: ``mlflow`` is not installed.

    Example:
        >>> import synalinks_nb as sn
        >>> monitor = sn.callbacks.Monitor(experiment_name="qa",
        ...                                tracking_uri="sqlite:///mlflow.db")  # doctest: +SKIP
        >>> history = await program.fit(x, y, callbacks=[monitor])  # doctest: +SKIP
    """

    def __init__(self, experiment_name: str | None = None, run_name: str | None = None,
                 tracking_uri: str | None = None, log_batch_metrics: bool = False,
                 log_epoch_metrics: bool = True, log_program_plot: bool = True,
                 log_program_model: bool = True, tags: dict[str, str] | None = None) -> None:
        super().__init__()
        _mlflow.import_mlflow("The Monitor callback")
        self.experiment_name = experiment_name
        self.run_name = run_name
        self.tracking_uri = tracking_uri
        self.log_batch_metrics = log_batch_metrics
        self.log_epoch_metrics = log_epoch_metrics
        self.log_program_plot = log_program_plot
        self.log_program_model = log_program_model
        self.tags = dict(tags or {})
        self.run_id: str | None = None
        """The id of the MLflow run being logged (``None`` between runs)."""
        self._step = 0
        self._in_training = False

    # -- MLflow ------------------------------------------------------------------------

    def _client(self) -> Any:
        uri = self.tracking_uri or config.mlflow_tracking_uri()
        return _mlflow.import_mlflow("The Monitor callback").MlflowClient(tracking_uri=uri)

    def _start(self, suffix: str) -> None:
        uri = self.tracking_uri or config.mlflow_tracking_uri()
        name = self.experiment_name or getattr(self.program, "name", None) or "synalinks"
        tags = dict(self.tags)
        if getattr(self.program, "name", None):
            tags["program_name"] = self.program.name
        if getattr(self.program, "description", None):
            tags["program_description"] = self.program.description
        run = self._client().create_run(
            _mlflow.experiment_id(uri, name), tags=tags,
            run_name=f"{self.run_name}_{suffix}" if self.run_name else suffix)
        self.run_id, self._step = run.info.run_id, 0

    def _end(self, status: str = "FINISHED") -> None:
        if self.run_id is not None:
            self._client().set_terminated(self.run_id, status=status)
            self.run_id = None

    def _log_metrics(self, logs: dict[str, Any] | None, step: int) -> None:
        if self.run_id is None or not logs:
            return
        entities = _mlflow.import_mlflow("The Monitor callback").entities
        now = int(time.time() * 1000)
        metrics = [entities.Metric(key, float(value), now, step) for key, value in logs.items()
                   if isinstance(value, int | float) and not isinstance(value, bool)]
        if metrics:
            self._client().log_batch(self.run_id, metrics=metrics)

    def _log_params(self) -> None:
        entities = _mlflow.import_mlflow("The Monitor callback").entities
        params = [entities.Param(key, str(value)) for key, value in self.params.items()
                  if isinstance(value, str | int | float | bool)]
        if self.run_id is not None and params:
            self._client().log_batch(self.run_id, params=params)

    def _log_program(self, kind: str) -> None:
        """Log the program's graph (``plot``) or file (``model``); a failure is only logged."""
        if self.run_id is None or self.program is None:
            return
        name = getattr(self.program, "name", None) or "program"
        try:
            with tempfile.TemporaryDirectory() as folder:
                if kind == "plot":
                    from synalinks_nb.visualization.plotting import plot_program

                    path = Path(folder) / f"{name}.svg"
                    plot_program(self.program, to_file=path.name, to_folder=folder)
                    where = "program_plots"
                else:
                    path = Path(folder) / f"{name}.json"
                    self.program.save(path)
                    where = "model"
                self._client().log_artifact(self.run_id, str(path), artifact_path=where)
        except Exception as exc:  # the run's metrics matter more than a missing picture
            _log.warning("Monitor: could not log the program's %s to MLflow: %s", kind, exc)

    # -- callback methods ----------------------------------------------------------------

    async def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Start the training run; log its parameters and the program's graph."""
        self._in_training = True
        await asyncio.to_thread(self._start, "train")
        await asyncio.to_thread(self._log_params)
        if self.log_program_plot:
            await asyncio.to_thread(self._log_program, "plot")

    async def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Log the epoch's metrics at step ``epoch``."""
        if self.log_epoch_metrics:
            await asyncio.to_thread(self._log_metrics, logs, epoch)

    async def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None
                                 ) -> None:
        """Log the batch's metrics (with ``log_batch_metrics``)."""
        await self._log_batch(logs)

    async def _log_batch(self, logs: dict[str, Any] | None) -> None:
        if self.log_batch_metrics:
            self._step += 1
            await asyncio.to_thread(self._log_metrics, logs, self._step)

    async def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        """Log the final metrics and the trained program; end the run."""
        await asyncio.to_thread(self._log_metrics, logs, self._step)
        if self.log_program_model:
            await asyncio.to_thread(self._log_program, "model")
        await asyncio.to_thread(self._end)
        self._in_training = False

    async def on_train_failed(self, event: TrainFailed) -> None:
        """End the run as failed."""
        await asyncio.to_thread(self._end, "FAILED")
        self._in_training = False

    async def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Start a run of its own for an ``evaluate`` outside ``fit``."""
        if self.run_id is None and not self._in_training:
            await asyncio.to_thread(self._start, "test")

    async def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None
                                ) -> None:
        """Log the batch's metrics (with ``log_batch_metrics``)."""
        await self._log_batch(logs)

    async def on_test_end(self, logs: dict[str, Any] | None = None) -> None:
        """Log the evaluation's metrics; end its run when it is not part of ``fit``."""
        await asyncio.to_thread(self._log_metrics, logs, self._step)
        if not self._in_training:
            await asyncio.to_thread(self._end)
