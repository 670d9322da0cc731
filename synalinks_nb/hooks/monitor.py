"""``Monitor``: module and model calls as MLflow spans (Synalinks' hook), and ``Span``.

Each call on values opens a span when it begins and ends it when it ends; a call made
inside another call's span becomes its child, so one program call is one MLflow trace:
the program, its modules, their language-model calls. A span carries the inputs and
outputs as JSON, the ``synalinks.*`` attributes Synalinks sets (call ids, module class,
name and description, duration, success, cost, the error) and, for a language-model
call, the model and its tokens. Symbolic calls (building a graph) open no span: no model
runs then, and their spans would bury the real ones.

MLflow is imported when the first hook is made; see :mod:`~synalinks_nb.hooks._mlflow`.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

from synalinks_nb.config import config
from synalinks_nb.data_models.data_model import DataModel
from synalinks_nb.hooks import _mlflow
from synalinks_nb.hooks._context import current_lm_call
from synalinks_nb.hooks._payload import is_symbolic, leaves_json, plain_kwargs
from synalinks_nb.hooks.hook import Hook

__all__ = ["Monitor", "Span"]

# Open spans by call id, shared by every Monitor: a child's span is made by its own
# module's hook, and finds its parent's here.
_open: dict[str, tuple[Any, float]] = {}
_open_lock = threading.Lock()

_SPAN_TYPES = {"FunctionCallingAgent": "AGENT", "Tool": "TOOL", "EmbeddingModel": "EMBEDDING",
               "RetrieveKnowledge": "RETRIEVER", "EmbedKnowledge": "RETRIEVER",
               "UpdateKnowledge": "RETRIEVER"}


class Span(DataModel):
    """One end of a module call, as Synalinks describes it (``callbacks.monitor.Span``)."""

    event: Literal["call_begin", "call_end"]
    is_symbolic: bool
    call_id: str
    parent_call_id: str | None
    module: str
    module_name: str
    module_description: str
    timestamp: float
    inputs: list[dict[str, Any]] | None = None
    outputs: list[dict[str, Any]] | None = None
    duration: float | None = None
    exception: str | None = None
    success: bool | None = None
    cost: float | None = None


class Monitor(Hook):
    """Sends the calls of the module it watches to MLflow as spans.

    ``sn.enable_observability()`` gives every module and language model one; attach one
    yourself to watch a single module.

    Args:
        tracking_uri: where MLflow records (``None``: ``enable_observability``'s, else
            MLflow's default: ``MLFLOW_TRACKING_URI`` or its local store).
        experiment_name: the MLflow experiment (``None``: ``enable_observability``'s,
            ``"synalinks_traces"`` by default).

    Raises:
        MissingDependencyError: ``mlflow`` is not installed.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.enable_observability(tracking_uri="sqlite:///mlflow.db")  # doctest: +SKIP
    """

    def __init__(self, tracking_uri: str | None = None,
                 experiment_name: str | None = None) -> None:
        super().__init__()
        _mlflow.import_mlflow("The Monitor hook")  # fail now, not at the first call
        self.tracking_uri = tracking_uri
        self.experiment_name = experiment_name

    def _experiment(self) -> str:
        uri = self.tracking_uri or config.mlflow_tracking_uri()
        name = self.experiment_name or config.mlflow_experiment_name()
        return _mlflow.experiment_id(uri, name)

    def on_call_begin(self, call_id: str, parent_call_id: str | None = None,
                      inputs: Any = None, kwargs: dict[str, Any] | None = None) -> None:
        """Open the call's span, under its parent's when there is one."""
        if is_symbolic(inputs):
            return
        module = self.module
        with _open_lock:
            parent = _open.get(parent_call_id or "")
        kind = type(module).__name__
        name = getattr(module, "name", None)
        data: dict[str, Any] = {"data": leaves_json(inputs)}
        shown = plain_kwargs(kwargs)
        if shown:
            data["kwargs"] = shown
        span = _mlflow.import_mlflow("The Monitor hook").start_span_no_context(
            name=f"{kind}:{name}" if name else kind, span_type=_span_type(module),
            parent_span=None if parent is None else parent[0], inputs=data,
            experiment_id=None if parent is not None else self._experiment(),
            attributes={"synalinks.call_id": call_id,
                        "synalinks.parent_call_id": parent_call_id or "",
                        "synalinks.module": kind, "synalinks.module_name": name or "",
                        "synalinks.module_description": getattr(module, "description", "")
                        or "", "synalinks.is_symbolic": False})
        with _open_lock:
            _open[call_id] = (span, time.perf_counter())

    def on_call_end(self, call_id: str, parent_call_id: str | None = None,
                    outputs: Any = None, exception: str | None = None) -> None:
        """Close the call's span with its outputs, duration, cost and status."""
        with _open_lock:
            opened = _open.pop(call_id, None)
        if opened is None:
            return
        span, started = opened
        attributes: dict[str, Any] = {"synalinks.duration": time.perf_counter() - started,
                                      "synalinks.success": exception is None}
        attributes.update(_lm_attributes(current_lm_call()))
        if exception is not None:
            attributes["synalinks.exception"] = exception
            span.add_event(_mlflow.import_mlflow("The Monitor hook").entities.SpanEvent(
                name="exception", attributes={"exception.message": exception}))
        span.set_attributes(attributes)
        span.set_outputs({"data": leaves_json(outputs)})
        span.set_status("ERROR" if exception is not None else "OK")
        span.end()


def _span_type(module: Any) -> str:
    kind = type(module).__name__
    if kind.endswith("LanguageModel"):
        return "CHAT_MODEL"
    return _SPAN_TYPES.get(kind, "CHAIN")


def _lm_attributes(call: Any) -> dict[str, Any]:
    if call is None:
        return {}
    return {"synalinks.cost": call.cost, "synalinks.model": call.model,
            "synalinks.prompt_tokens": call.prompt_tokens,
            "synalinks.completion_tokens": call.completion_tokens,
            "synalinks.cached": call.cached}
