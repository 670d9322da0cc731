"""The approval gate: human decisions carried over a widget's comm.

:class:`ApprovalGate` is the transport half of
:class:`~synalinks_nb.trainers.approval.ApprovalPolicy` for the notebook. It
knows nothing about widgets beyond a ``send(dict)`` function; the
:class:`~synalinks_nb.notebook.TrainingDashboard` owns one and feeds it the
messages its view sends.

How a decision travels (measured on real kernels, see ``DESIGN.md``):

1. At fit start, :meth:`ApprovalGate.probe` sends a :class:`~.protocol.Ping`
   and repeats it every ``probe_interval`` seconds for up to
   ``probe_timeout`` seconds: the first custom message can be lost while the
   view is still rendering. A :class:`~.protocol.Pong` with the same id means
   a human can answer; no pong means the policy's fallback decides (and the
   dashboard shows a banner saying why).
2. :meth:`ApprovalGate.request` creates one future per proposal, on the
   training loop, and awaits it. The policy wraps this await in its timeout.
3. The view's answer reaches :meth:`resolve` from a comm handler. On
   ipykernel 7.0–7.3 with comm subshells that handler runs on another thread,
   so futures are only ever completed through ``loop.call_soon_threadsafe``.

"Accept all remaining" resolves every pending request and every later one
with *accept*; "stop" resolves pending requests with *reject* (the trainer
then stops after the current batch).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Callable
from typing import Any

from synalinks_nb.events import Decision
from synalinks_nb.notebook.protocol import Ping

__all__ = ["ApprovalGate"]

_ACCEPT_ALL = Decision(True, decided_by="human", reason="accept all remaining")


class ApprovalGate:
    """Ping/pong probe and per-proposal futures, safe to resolve from any thread.

    Args:
        send: sends one JSON message to the view (``widget.send``).
        probe_timeout: seconds to wait for a pong before giving up.
        probe_interval: seconds between pings while probing.

    Example:
        >>> import asyncio
        >>> sent = []
        >>> gate = ApprovalGate(sent.append, probe_timeout=0.2, probe_interval=0.05)
        >>> async def fit_side():
        ...     answered = await gate.probe()          # nobody answers: False
        ...     pending = asyncio.ensure_future(gate.request("p1"))
        ...     await asyncio.sleep(0)
        ...     gate.resolve("p1", Decision(True, decided_by="human"))  # what a click does
        ...     return answered, await pending
        >>> asyncio.run(fit_side())
        (False, Decision(accepted=True, value=None, decided_by='human', reason=''))
        >>> sent[0]["type"], len(sent) > 1
        ('ping', True)
    """

    def __init__(
        self,
        send: Callable[[dict[str, Any]], None],
        *,
        probe_timeout: float = 3.0,
        probe_interval: float = 0.25,
    ) -> None:
        if probe_timeout < 0 or probe_interval <= 0:
            raise ValueError(
                "Expected probe_timeout >= 0 and probe_interval > 0. "
                f"Received: probe_timeout={probe_timeout!r}, probe_interval={probe_interval!r}"
            )
        self._send = send
        self.probe_timeout = float(probe_timeout)
        self.probe_interval = float(probe_interval)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pong: asyncio.Future[None] | None = None
        self._ping_ids: set[str] = set()
        self._pending: dict[str, asyncio.Future[Decision]] = {}
        self._early: dict[str, Decision] = {}
        self.accept_all = False
        """Set by :meth:`accept_remaining`: later requests are accepted at once."""
        self.connected = False
        """Whether the last probe got an answer."""

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The event loop of the current fit (``None`` before the first probe/request)."""
        return self._loop

    @property
    def pending(self) -> list[str]:
        """Ids of proposals waiting for a human answer."""
        with self._lock:
            return [pid for pid, fut in self._pending.items() if not fut.done()]

    def reset(self) -> None:
        """Forget "accept all" and early answers (called when a new fit starts)."""
        self.accept_all = False
        with self._lock:
            self._early.clear()

    # -- probe ---------------------------------------------------------------------------

    async def probe(self) -> bool:
        """Ping the view until it answers or ``probe_timeout`` passes."""
        loop = asyncio.get_running_loop()
        self._loop = loop
        pong: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._pong = pong
            self._ping_ids.clear()
        deadline = loop.time() + self.probe_timeout
        try:
            while True:
                ping_id = f"ping-{next(self._ids)}"
                with self._lock:
                    self._ping_ids.add(ping_id)
                self._send(Ping(id=ping_id).to_message())
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                wait = min(self.probe_interval, remaining)
                try:
                    await asyncio.wait_for(asyncio.shield(pong), timeout=wait)
                    break
                except TimeoutError:
                    continue
        finally:
            with self._lock:
                self._pong = None
        self.connected = pong.done()
        return self.connected

    def on_pong(self, ping_id: str) -> None:
        """A view answered ping ``ping_id`` (any thread)."""
        with self._lock:
            pong = self._pong if ping_id in self._ping_ids else None
        if pong is not None:
            self._complete(pong, None)

    # -- requests ------------------------------------------------------------------------

    async def request(self, proposal_id: str) -> Decision:
        """Wait for the human decision on ``proposal_id``."""
        if self.accept_all:
            return _ACCEPT_ALL
        loop = asyncio.get_running_loop()
        self._loop = loop
        fut: asyncio.Future[Decision] = loop.create_future()
        with self._lock:
            early = self._early.pop(proposal_id, None)
            if early is not None:
                return early
            self._pending[proposal_id] = fut
        try:
            return await fut
        finally:
            with self._lock:
                if self._pending.get(proposal_id) is fut:
                    del self._pending[proposal_id]

    def resolve(self, proposal_id: str, answer: Decision) -> bool:
        """Answer a request (any thread); False when it was already answered.

        The view shows a proposal as soon as it is made, while it is still being
        scored, so a click may come before :meth:`request`: it is kept and
        returned by that request.
        """
        with self._lock:
            fut = self._pending.get(proposal_id)
            if fut is None:
                if proposal_id in self._early:
                    return False
                self._early[proposal_id] = answer
                return True
        if fut.done():
            return False
        self._complete(fut, answer)
        return True

    def accept_remaining(self) -> None:
        """Accept every pending and every later proposal of this fit."""
        self.accept_all = True
        for pid in self.pending:
            self.resolve(pid, _ACCEPT_ALL)

    def reject_pending(self, reason: str) -> None:
        """Reject every pending proposal (stop training)."""
        for pid in self.pending:
            self.resolve(pid, Decision(False, decided_by="human", reason=reason))

    def _complete(self, fut: asyncio.Future[Any], result: Any) -> None:
        loop = fut.get_loop()

        def settle() -> None:
            if not fut.done():
                fut.set_result(result)

        if loop.is_closed():
            return
        # Comm handlers may run on a subshell thread: only the loop's own thread
        # may touch the future. call_soon_threadsafe also wakes a sleeping loop.
        loop.call_soon_threadsafe(settle)
