"""TrainingDashboard: live fit view and human approval (``js/training_dashboard.ts``).

The dashboard is three things at once:

* an **anywidget** whose synced traits are a bounded *snapshot* of the run
  (progress, reward series, usage, proposals, versions, banner), so a saved
  notebook or a view opened late shows the final state;
* a :class:`~synalinks_nb.callbacks.Callback`: pass it in ``callbacks=[...]``
  and it follows the trainer's events;
* an :class:`~synalinks_nb.trainers.approval.ApprovalTransport`: with
  ``approval="human"`` (or ``"auto"``) the trainer asks it for decisions, and
  it forwards them through its :class:`~.approval_gate.ApprovalGate`.

Updates are **coalesced**: events only touch Python-side state and arm a
timer on the event loop; at most every ``FLUSH_INTERVAL`` seconds one
:class:`~.protocol.Delta` message carries what changed, and the snapshot
traits are re-synced when proposals, versions or the banner changed, or once
per ``SNAPSHOT_INTERVAL``. Train end flushes everything. However fast the
batches, the view receives at most ~20 messages per second.

A proposal enters the view one way: the trainer's record
(:class:`~synalinks_nb.events.Proposal`, carried by ``proposal_made``,
``proposal_scored`` and ``decision_taken``, or handed to :meth:`request_decision`) is
shown as :meth:`~.protocol.Proposal.from_record` of it, whole. Versions enter one way
too: the variables' listeners, which also see reverts and edits made outside ``fit``
(so the ``variable_changed`` event, which would repeat them, is not used).

Messages from the view are validated by
:func:`~.protocol.parse_frontend_message` and handled on the training loop
(comm handlers may run on a subshell thread): ``decision`` accept / reject /
edit (an edit is validated against the variable's schema, once, by
:meth:`~synalinks_nb.events.Decision.edit`; an invalid one is answered with
:class:`~.protocol.EditError` and the proposal stays pending), ``accept_all``,
``stop`` (the trainer stops after the current batch), ``revert``
(``variable.revert(i)``; errors answered with :class:`~.protocol.RevertError`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import traitlets

from synalinks_nb import events as ev
from synalinks_nb.callbacks.callback import Callback
from synalinks_nb.errors import InvalidVariableValueError, SynalinksNbError
from synalinks_nb.notebook import protocol as p
from synalinks_nb.notebook.approval_gate import ApprovalGate
from synalinks_nb.notebook.dashboard_state import (
    SNAPSHOT_INTERVAL,
    DashboardState,
    language_models_of,
    version_entry,
)
from synalinks_nb.notebook.reprs import dashboard_html, unavailable_banner
from synalinks_nb.notebook.widget_base import SynalinksWidget
from synalinks_nb.visualization import normalize_graph

__all__ = ["FLUSH_INTERVAL", "SNAPSHOT_INTERVAL", "TrainingDashboard", "version_entry"]

_log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.1
"""Seconds between two delta messages (10 Hz)."""


class TrainingDashboard(SynalinksWidget, Callback):
    """Live training dashboard and approval transport.

    Args:
        program: the program being trained.
        probe_timeout: seconds the fit-start probe waits for the view to answer.
        max_proposals: decided proposals kept in the snapshot (pending ones always are).
        max_versions: versions kept in the snapshot.

    Example:
        >>> import synalinks_nb as sn
        >>> dash = sn.notebook.TrainingDashboard(program)  # doctest: +SKIP
        >>> dash                                            # doctest: +SKIP
        >>> history = await program.fit(x, y, callbacks=[dash], approval="human")  # doctest: +SKIP

        Without a program, for a quick look at its initial state:

        >>> from synalinks_nb.notebook import TrainingDashboard
        >>> TrainingDashboard({"name": "qa", "nodes": [], "edges": []})
        TrainingDashboard(program='qa', state='idle', epoch=0/0, batch=0/0, proposals=0, pending=0)
    """

    _bundle = "training_dashboard"

    graph = traitlets.Dict().tag(sync=True)
    """The program's ``program.graph()`` description (the embedded graph)."""

    status = traitlets.Dict().tag(sync=True)
    """Progress: a :class:`~.protocol.Status` (state, epoch/epochs, batch/batches, message)."""

    banner = traitlets.Unicode("").tag(sync=True)
    """Why interactive approval is unavailable and what to do; empty when it works."""

    series = traitlets.Dict().tag(sync=True)
    """Reward curves: ``{"train_reward": [[batch, r], ...], "val_reward": [[batch, r], ...]}``,
    at most :data:`~.protocol.MAX_POINTS` points each. ``batch`` counts batches over the
    whole fit; a validation point sits at its epoch's last batch."""

    usage = traitlets.Dict().tag(sync=True)
    """Language-model usage per phase: ``{"inference": PhaseUsage, ...}``."""

    proposals: traitlets.List[Any] = traitlets.List().tag(sync=True)
    """Proposals of the run (:class:`~.protocol.Proposal`), oldest first, bounded."""

    versions: traitlets.List[Any] = traitlets.List().tag(sync=True)
    """Versions of the program's trainable variables (:class:`~.protocol.Version`), bounded."""

    traces: traitlets.List[Any] = traitlets.List().tag(sync=True)
    """Traces the proposals' flipped samples open (``CallTrace.to_dict()``), bounded by
    :data:`~.dashboard_state.MAX_TRACES`; empty when traces are off."""

    highlight = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Id of the graph node whose variable is under review, or ``None``."""

    def __init__(
        self,
        program: Any,
        *,
        probe_timeout: float = 3.0,
        max_proposals: int = 50,
        max_versions: int = 200,
    ) -> None:
        raw = program.graph() if hasattr(program, "graph") else program
        graph = dict(normalize_graph(raw))
        super().__init__(graph=graph, status=p.to_json(p.Status()), series=p.empty_series())
        self.program = program if hasattr(program, "graph") else None
        variables = list(getattr(self.program, "trainable_variables", None) or [])
        self.state = DashboardState(
            max_proposals=max_proposals,
            max_versions=max_versions,
            versions=[version_entry(var.path, v) for var in variables for v in var.versions],
        )
        """The run's state (:class:`~.dashboard_state.DashboardState`) behind the traits."""
        self.versions = self.state.snapshot(["versions"])["versions"]
        self._gate = ApprovalGate(self._send_message, probe_timeout=probe_timeout)
        self._requests: dict[str, ev.Proposal] = {}
        self._global_batch = 0
        self._timer: asyncio.TimerHandle | None = None
        self._last_flush = 0.0
        self.messages_sent = 0
        """Custom messages sent to the view (deltas, pings, errors): a cheap rate check."""
        self.follow(variables, self._on_version)
        self.on_msg(self._on_frontend_message)

    # -- plumbing -------------------------------------------------------------------------

    def _send_message(self, message: dict[str, Any]) -> None:
        self.messages_sent += 1
        self.send(message)

    def _on_version(self, variable: Any, version: Any) -> None:
        self.state.add_version(version_entry(variable.path, version))
        self._schedule()

    def _set_status(self, **changes: Any) -> None:
        self.state.set_status(**changes)
        self._schedule()

    def _schedule(self) -> None:
        """Arm the flush timer on the loop (or flush now when no loop runs)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            fit_loop = self._gate.loop
            if fit_loop is not None and fit_loop.is_running():
                fit_loop.call_soon_threadsafe(self._schedule)
            else:
                self.flush()
            return
        if self._timer is not None:
            return
        delay = max(0.0, self._last_flush + FLUSH_INTERVAL - time.monotonic())
        self._timer = loop.call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self.flush()

    def flush(self, final: bool = False) -> None:
        """Send what changed as one delta, and re-sync the snapshot when due."""
        if self._timer is not None and final:
            self._timer.cancel()
            self._timer = None
        now = time.monotonic()
        self.state.refresh_usage(language_models_of(self.program))
        message, snapshot = self.state.take_update(now, final=final)
        self._last_flush = now
        if message is not None:
            self._send_message(message)
        if snapshot is not None:
            with self.hold_sync():
                for key, value in snapshot.items():
                    setattr(self, key, value)

    def _put_proposal(self, proposal: p.Proposal) -> None:
        self.state.put_proposal(proposal)
        self._schedule()

    def _show(self, record: ev.Proposal) -> None:
        """Show the trainer's record as it is now (the one way a proposal enters the view),
        with the traces its flipped samples link to."""
        for flips in (record.batch_flips, record.val_flips):
            if flips is not None:
                self.state.add_traces(flips.traces)
        module = self._node_of(record.variable_path) or ""
        self._put_proposal(p.Proposal.from_record(record, module))

    def _node_of(self, variable_path: str) -> str | None:
        for node in self.graph.get("nodes", []):
            if variable_path in node.get("variables", []):
                return str(node["id"])
        return None

    # -- Callback -------------------------------------------------------------------------

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Reset progress for a new run; keep versions and earlier proposals."""
        self._gate.reset()
        self._global_batch = 0
        params = self.params
        self.state.clear_series()
        self._set_status(
            state="running",
            epoch=0,
            epochs=int(params.get("epochs", 0)),
            batch=0,
            batches=int(params.get("steps", 0)),
            message="",
        )

    def on_event(self, event: ev.Event) -> None:
        """Approval mode resolved: show a banner when humans cannot answer."""
        if not isinstance(event, ev.ApprovalResolved) or event.mode == "human":
            return
        if "SYNALINKS_NB_APPROVAL" in event.reason:
            self._set_banner(
                f"The environment sets {event.reason}, so every proposal is decided by that "
                "policy; unset SYNALINKS_NB_APPROVAL to decide here."
            )

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Show the epoch (1-based in the view)."""
        self._set_status(epoch=ev.one_based(epoch), batch=0)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Add the batch reward to the curve."""
        self._global_batch += 1
        self._set_status(batch=ev.one_based(batch))
        self.state.add_point("train_reward", self._global_batch, (logs or {}).get("reward"))

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Add the validation reward, when there is one, where the epoch ended on the x axis."""
        if self.state.add_point("val_reward", self._global_batch, (logs or {}).get("val_reward")):
            self._schedule()

    def on_proposal_made(self, event: ev.ProposalMade) -> None:
        """A new proposal: pending, not scored yet."""
        self._show(event.proposal)

    def on_proposal_scored(self, event: ev.ProposalScored) -> None:
        """Scores on its batch and on validation, and the samples it fixed and broke."""
        self._show(event.proposal)

    def on_decision(self, event: ev.DecisionTaken) -> None:
        """What became of the proposal, and who decided."""
        self._show(event.proposal)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        """Final state, flushed at once (a saved notebook shows it)."""
        stopped = bool((logs or {}).get("stopped_early"))
        self.state.set_status(
            state="stopped" if stopped else "done",
            message="stopped by the user" if stopped else "",
        )
        self.highlight = None
        self.flush(final=True)

    def on_train_failed(self, event: Any) -> None:
        """``fit`` raised: show why, and stop looking busy."""
        self._gate.reject_pending(f"training ended: {event.error_type}")
        self.state.close_pending("training ended before a decision")
        self.state.set_status(
            state="stopped" if event.interrupted else "error",
            message=f"interrupted ({event.error_type})" if event.interrupted
            else f"failed: {event.error_type}: {event.error}"[:300],
        )
        self.highlight = None
        self.flush(final=True)

    # -- ApprovalTransport ------------------------------------------------------------------

    async def probe(self) -> bool:
        """Ping the view (with retries); set or clear the banner."""
        answered = await self._gate.probe()
        self._set_banner("" if answered else unavailable_banner(self._gate.probe_timeout))
        return answered

    async def request_decision(self, proposal: ev.Proposal) -> ev.Decision:
        """Show ``proposal`` as pending and wait for Accept, Edit or Reject."""
        self._requests[proposal.id] = proposal
        if self.state.proposal(proposal.id) is None:
            self._show(proposal)
        self.highlight = self._node_of(proposal.variable_path)
        self._set_status(
            state="waiting", message=f"waiting for a decision on {proposal.variable_path}"
        )
        try:
            return await self._gate.request(proposal.id)
        finally:
            self._requests.pop(proposal.id, None)
            self._set_status(state="running", message="")

    def _set_banner(self, text: str) -> None:
        if text != self.banner:
            self.banner = text

    # -- messages from the view ------------------------------------------------------------

    def _on_frontend_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        loop = self._gate.loop
        on_loop_thread = loop is not None and loop.is_running() and _running_loop() is loop
        if loop is not None and loop.is_running() and not on_loop_thread:
            # A subshell thread: handle on the training loop, like everything else.
            loop.call_soon_threadsafe(self.handle_message, content)
        else:
            self.handle_message(content)

    def handle_message(self, content: Any) -> None:
        """Act on one message from the view (what the comm handler calls)."""
        try:
            message = p.parse_frontend_message(content)
        except SynalinksNbError as exc:
            _log.warning("Ignoring widget message: %s", exc)
            if isinstance(content, dict) and content.get("proposal_id"):
                self._send_message(
                    p.EditError(
                        proposal_id=str(content["proposal_id"]), message=str(exc)
                    ).to_message()
                )
            return
        if isinstance(message, p.Pong):
            self._gate.on_pong(message.id)
        elif isinstance(message, p.Decision):
            self._on_decision_message(message)
        elif isinstance(message, p.AcceptAll):
            self._gate.accept_remaining()
        elif isinstance(message, p.Stop):
            self._stop()
        elif isinstance(message, p.Revert):
            self._revert(message.variable_path, message.index)

    def _on_decision_message(self, message: p.Decision) -> None:
        try:
            decision = message.to_decision(self._record_for(message.proposal_id))
        except (SynalinksNbError, ValueError) as exc:
            self._send_message(
                p.EditError(proposal_id=message.proposal_id, message=str(exc)).to_message()
            )
            return
        self._gate.resolve(message.proposal_id, decision)

    def _record_for(self, proposal_id: str) -> ev.Proposal:
        """The record a decision is about: the one waiting for it, or (a click that came
        before the request) the pending one shown, with its variable to validate an edit."""
        request = self._requests.get(proposal_id)
        if request is not None:
            return request
        shown = self.state.proposal(proposal_id)
        if shown is None or shown.status != "pending" or self.program is None:
            raise InvalidVariableValueError(
                f"Expected the id of a pending proposal. Received: {proposal_id!r}"
            )
        variable = self.program.get_variable(shown.variable_path)
        return ev.Proposal(proposal_id, shown.variable_path, shown.before, shown.after,
                           variable=variable)

    def _stop(self) -> None:
        if self.program is not None:
            self.program.stop_training = True
        self._gate.reject_pending("training stopped by the user")
        self._set_status(message="stopping after the current batch")

    def _revert(self, path: str, index: int) -> None:
        try:
            if self.program is None:
                raise SynalinksNbError("Expected a program to revert a variable of.")
            self.program.get_variable(path).revert(index, decided_by="human")
        except (SynalinksNbError, ValueError) as exc:
            self._send_message(p.RevertError(variable_path=path, message=str(exc)).to_message())

    # -- display ----------------------------------------------------------------------------

    def __repr__(self) -> str:
        s = self.state.status
        pending = self.state.pending_count()
        return (
            f"TrainingDashboard(program={self.graph.get('name', '')!r}, state={s.state!r}, "
            f"epoch={s.epoch}/{s.epochs}, batch={s.batch}/{s.batches}, "
            f"proposals={len(self.state.proposals)}, pending={pending})"
        )

    def _fallback_html(self) -> str:
        return dashboard_html({**self.state.snapshot(), "banner": self.banner})


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
