"""The dashboard's run state, and what changed since the view last heard of it.

:class:`DashboardState` is plain Python (no widget, no event loop): the trainer's
callbacks write to it from the training loop, comm handlers read it from any thread,
and :meth:`DashboardState.take_update` turns what changed into at most one
:class:`~.protocol.Delta` message plus, when due, the snapshot traits to re-sync.
:class:`~.training_dashboard.TrainingDashboard` decides *when* to take an update (the
≤ 10 Hz timer); this module decides *what* goes in it.

Example:
    >>> from synalinks_nb.notebook.dashboard_state import DashboardState
    >>> state = DashboardState()
    >>> state.set_status(state="running", epochs=1, batches=2)
    >>> state.add_point("train_reward", 1, 0.5)
    True
    >>> message, snapshot = state.take_update(now=0.0)
    >>> message["type"], [pt["y"] for pt in message["points"]]
    ('delta', [0.5])
    >>> snapshot["series"]["train_reward"]
    [[1.0, 0.5]]
    >>> state.take_update(now=0.05)  # nothing changed since
    (None, None)
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from typing import Any

from synalinks_nb.events import one_based
from synalinks_nb.language_models.usage import language_models_of
from synalinks_nb.notebook import protocol as p

__all__ = ["MAX_TRACES", "SNAPSHOT_INTERVAL", "SNAPSHOT_KEYS", "DashboardState",
           "language_models_of", "version_entry"]

SNAPSHOT_INTERVAL = 1.0
"""Seconds between two re-syncs of the snapshot traits when only points changed."""

SNAPSHOT_KEYS = ("status", "series", "usage", "proposals", "versions", "traces")
"""The synced traits that hold the bounded snapshot of a run."""

MAX_TRACES = p.MAX_TRACES
"""Traces kept for the proposals' flipped samples (the oldest go first)."""


def version_entry(path: str, v: Any) -> p.Version:
    """A variable's :class:`~synalinks_nb.variables.Version` in protocol shape.

    The variable records epoch and batch 0-based (like Keras callbacks); the
    views show them 1-based, like proposals and the status line.
    """
    return p.Version(
        variable_path=path,
        index=v.index,
        source=v.source,
        decided_by=v.decided_by,
        epoch=one_based(v.epoch),
        batch=one_based(v.batch),
        reward_before=v.reward_before,
        reward_after=v.reward_after,
        timestamp=v.timestamp,
        value=v.value,
    )


class DashboardState:
    """Thread-safe state of one dashboard, with change tracking.

    Args:
        max_proposals: decided proposals kept (pending ones always are).
        max_versions: versions kept.
        versions: versions that exist already (in the first snapshot, not news).
    """

    def __init__(self, max_proposals: int = 50, max_versions: int = 200,
                 versions: Iterable[p.Version] = ()) -> None:
        self.lock = threading.RLock()
        self.status = p.Status()
        self.series: dict[str, deque[list[float]]] = {
            name: deque(maxlen=p.MAX_POINTS) for name in ("train_reward", "val_reward")
        }
        self.usage: dict[str, p.PhaseUsage] = {}
        self.proposals: dict[str, p.Proposal] = {}
        self.versions: deque[p.Version] = deque(versions, maxlen=max_versions)
        self._max_proposals = max_proposals
        self._points: list[p.Point] = []
        self._changed: set[str] = set()
        self._stale: set[str] = set()
        self.traces: OrderedDict[int, dict[str, Any]] = OrderedDict()
        # Every change since the last delta goes out in it: none is overwritten.
        self._delta_proposals: dict[str, p.Proposal] = {}
        self._delta_versions: list[p.Version] = []
        self._delta_traces: list[dict[str, Any]] = []
        self._last_snapshot = float("-inf")

    # -- writes -----------------------------------------------------------------------------

    def set_status(self, **changes: Any) -> None:
        """Update fields of the :class:`~.protocol.Status`."""
        with self.lock:
            self.status = self.status.model_copy(update=changes)
            self._changed.add("status")

    def clear_series(self) -> None:
        """Empty the reward curves (a new run)."""
        with self.lock:
            for pts in self.series.values():
                pts.clear()
            self._changed.add("series")

    def add_point(self, series: p.SeriesName, x: float, y: Any) -> bool:
        """Add a point to a curve; non-numbers (a missing reward) are skipped."""
        if not isinstance(y, int | float) or isinstance(y, bool):
            return False
        with self.lock:
            self.series[series].append([float(x), float(y)])
            self._points.append(p.Point(series=series, x=x, y=float(y)))
        return True

    def put_proposal(self, proposal: p.Proposal) -> None:
        """Add or replace a proposal, dropping the oldest decided ones past the bound."""
        with self.lock:
            self.proposals[proposal.id] = proposal
            self._delta_proposals.pop(proposal.id, None)  # its latest state, in change order
            self._delta_proposals[proposal.id] = proposal
            self._changed.add("proposals")
            while len(self.proposals) > self._max_proposals:
                # The oldest decided one goes (it is almost always the first: O(1)).
                oldest = next((k for k, x in self.proposals.items() if x.status != "pending"),
                              None)
                if oldest is None:
                    break
                del self.proposals[oldest]

    def update_proposal(self, proposal_id: str, **changes: Any) -> None:
        """Change fields of a known proposal (unknown ids are ignored)."""
        with self.lock:
            current = self.proposals.get(proposal_id)
            if current is not None:
                self.put_proposal(current.model_copy(update=changes))

    def close_pending(self, reason: str) -> None:
        """Mark every pending proposal rejected: nobody can decide on it any more."""
        with self.lock:
            for proposal in list(self.proposals.values()):
                if proposal.status == "pending":
                    self.put_proposal(proposal.model_copy(
                        update={"status": "rejected", "reason": reason}))

    def add_version(self, entry: p.Version) -> None:
        """A variable got a new version."""
        with self.lock:
            self.versions.append(entry)
            self._delta_versions.append(entry)
            self._changed.add("versions")

    def add_traces(self, traces: Iterable[Any]) -> None:
        """Keep the traces flipped samples link to (``CallTrace`` s), at most
        :data:`MAX_TRACES`; the ones already kept are not sent again."""
        with self.lock:
            for trace in traces:
                if trace.id in self.traces:
                    continue
                data = trace.to_dict()
                self.traces[trace.id] = data
                self._delta_traces.append(data)
                self._changed.add("traces")
                while len(self.traces) > MAX_TRACES:
                    self.traces.popitem(last=False)

    def refresh_usage(self, models: Iterable[Any]) -> None:
        """Sum the usage reports of ``models`` per phase; mark it changed if it moved."""
        totals: dict[str, dict[str, float]] = {}
        for lm in models:
            report = getattr(lm, "usage", None) or {}
            for phase in report:
                row = totals.setdefault(phase, {})
                for name in p.PhaseUsage.model_fields:
                    row[name] = row.get(name, 0) + getattr(report[phase], name, 0)
        usage = {ph: p.PhaseUsage.model_validate(row) for ph, row in totals.items()}
        with self.lock:
            if usage != self.usage:
                self.usage = usage
                self._changed.add("usage")

    # -- reads ------------------------------------------------------------------------------

    def proposal(self, proposal_id: str) -> p.Proposal | None:
        """The proposal with this id, if still kept."""
        with self.lock:
            return self.proposals.get(proposal_id)

    def pending_count(self) -> int:
        """How many proposals wait for a decision."""
        with self.lock:
            return sum(1 for x in self.proposals.values() if x.status == "pending")

    def snapshot(self, keys: Iterable[str] = SNAPSHOT_KEYS) -> dict[str, Any]:
        """The snapshot traits' values (JSON), for ``keys``."""
        parts: dict[str, Callable[[], Any]] = {
            "status": lambda: p.to_json(self.status),
            "series": lambda: {
                name: [list(pt) for pt in pts] for name, pts in self.series.items()
            },
            "usage": lambda: {k: p.to_json(u) for k, u in self.usage.items()},
            "proposals": lambda: [p.to_json(x) for x in self.proposals.values()],
            "versions": lambda: [p.to_json(v) for v in self.versions],
            "traces": lambda: list(self.traces.values()),
        }
        wanted = set(keys)
        with self.lock:
            return {key: make() for key, make in parts.items() if key in wanted}

    def take_update(
        self, now: float, final: bool = False
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """What to send now: a delta message (or ``None``) and snapshot traits (or ``None``).

        While batches fly the snapshot is re-synced at most once per
        :data:`SNAPSHOT_INTERVAL`; when the run is not running (a human waits on a
        proposal, a change outside fit) or ``final`` is set, it goes out at once.
        """
        with self.lock:
            changed, self._changed = self._changed, set()
            points, self._points = self._points, []
            delta = p.Delta(
                points=points,
                status=self.status if "status" in changed else None,
                usage=dict(self.usage) if "usage" in changed else None,
                proposals=list(self._delta_proposals.values()) or None,
                versions=self._delta_versions or None,
                traces=self._delta_traces or None,
            )
            self._delta_proposals, self._delta_versions, self._delta_traces = {}, [], []
            self._stale |= (changed | ({"series"} if points else set())) & set(SNAPSHOT_KEYS)
            urgent = self.status.state != "running"
            due = final or urgent or now - self._last_snapshot >= SNAPSHOT_INTERVAL
            snapshot = None
            if due and self._stale:
                snapshot = self.snapshot(self._stale)
                self._stale = set()
                self._last_snapshot = now
        message = delta.to_message()
        news = points or any(key not in ("type", "points") for key in message)
        return (message if news else None), snapshot
