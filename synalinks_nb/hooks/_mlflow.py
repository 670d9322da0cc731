"""MLflow, imported on first use, and the experiments it records into.

Nothing in the package imports ``mlflow`` at import time: it is an optional extra
(``pip install "synalinks_nb[observability]"``), ``mlflow-skinny`` or ``mlflow``.
"""

from __future__ import annotations

import threading
from typing import Any

from synalinks_nb.errors import MissingDependencyError

__all__ = ["experiment_id", "import_mlflow"]

_experiments: dict[tuple[str | None, str], str] = {}
_lock = threading.Lock()


def import_mlflow(purpose: str) -> Any:
    """``mlflow``, or a :class:`MissingDependencyError` naming the extra."""
    try:
        import mlflow
    except ImportError as exc:
        raise MissingDependencyError("mlflow", "observability", purpose) from exc
    return mlflow


def experiment_id(tracking_uri: str | None, name: str) -> str:
    """The id of experiment ``name`` at ``tracking_uri``, created when missing.

    ``tracking_uri`` also becomes MLflow's tracking URI for the process (finished traces
    are exported there), as Synalinks does; ``None`` keeps MLflow's own default.
    """
    mlflow = import_mlflow("Observability")
    with _lock:
        if tracking_uri:
            mlflow.set_tracking_uri(tracking_uri)
        key = (tracking_uri, name)
        found = _experiments.get(key)
        if found is None:
            client = mlflow.MlflowClient(tracking_uri=tracking_uri)
            experiment = client.get_experiment_by_name(name)
            found = (experiment.experiment_id if experiment is not None
                     else client.create_experiment(name))
            _experiments[key] = found
        return found
