"""``History``: everything a run logged, per batch, per epoch, and every decision.

``fit`` always returns one (the instance passed in ``callbacks`` if any).
``history.history`` is Keras' dict of per-epoch lists; ``to_dataframe()``
and ``proposals_dataframe()`` give pandas frames; ``plot()`` a plotly figure.
pandas and plotly are imported only when those methods are called.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.trainers.events import ApprovalResolved, DecisionTaken, Event

__all__ = ["History"]


class History(Callback):
    """Records logs per batch and per epoch, and every proposal's outcome.

    Attributes:
        history: ``{key: [value per epoch]}``, as in Keras.
        epoch: the epoch indices recorded.
        batches: one dict per training batch (``epoch``, ``batch`` and its logs).
        proposals: one dict per decision (accepted, edited or rejected, who
            decided and why, rewards before and after).
        approval: the approval mode in effect and why.

    Example:
        >>> h = History()
        >>> h.on_epoch_end(0, {"reward": 0.5})
        >>> h.history
        {'reward': [0.5]}
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}
        self.epoch: list[int] = []
        self.batches: list[dict[str, Any]] = []
        self.proposals: list[dict[str, Any]] = []
        self.approval: dict[str, str] = {}
        self._epoch = 0

    def on_event(self, event: Event) -> None:
        if isinstance(event, DecisionTaken):
            row = {k: v for k, v in event.to_dict().items() if k not in ("logs", "seq", "kind")}
            self.proposals.append(row)
        elif isinstance(event, ApprovalResolved):
            self.approval = {"mode": event.mode, "reason": event.reason}

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.batches.append({"epoch": self._epoch, "batch": batch, **(logs or {})})

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    @property
    def rejected(self) -> list[dict[str, Any]]:
        """The decisions that left the variable unchanged."""
        return [p for p in self.proposals if not p["accepted"]]

    def to_dataframe(self, level: str = "epoch") -> Any:
        """A pandas DataFrame of per-``"epoch"`` or per-``"batch"`` logs."""
        import pandas as pd

        if level == "batch":
            return pd.DataFrame(self.batches)
        if level != "epoch":
            raise ValueError(f"Expected level 'epoch' or 'batch'. Received: level={level!r}")
        frame = pd.DataFrame(self.history)
        frame.insert(0, "epoch", self.epoch[: len(frame)] if len(frame) else [])
        return frame

    def proposals_dataframe(self) -> Any:
        """A pandas DataFrame with one row per proposal decision."""
        import pandas as pd

        return pd.DataFrame(self.proposals)

    def plot(self, keys: list[str] | None = None) -> Any:
        """A plotly Figure of rewards/metrics per batch (lines) and per epoch (markers)."""
        import plotly.graph_objects as go

        fig = go.Figure()
        batch_x = list(range(1, len(self.batches) + 1))
        wanted = keys or [k for k in self.history if not k.endswith("errors")]
        for key in wanted:
            ys = [b.get(key) for b in self.batches]
            if any(y is not None for y in ys):
                fig.add_trace(go.Scatter(x=batch_x, y=ys, mode="lines", name=f"{key} (batch)"))
        per_epoch = len(self.batches) / max(1, len(self.epoch))
        for key in wanted:
            xs = [per_epoch * (i + 1) for i in range(len(self.history.get(key, [])))]
            fig.add_trace(go.Scatter(x=xs, y=self.history.get(key, []),
                                     mode="markers+lines", name=f"{key} (epoch)"))
        fig.update_layout(xaxis_title="batch", yaxis_title="value", template="plotly_white")
        return fig

    def __repr__(self) -> str:
        return (f"<History epochs={len(self.epoch)} batches={len(self.batches)} "
                f"proposals={len(self.proposals)}>")
