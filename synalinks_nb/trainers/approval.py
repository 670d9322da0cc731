"""Who decides whether a scored proposal is applied: the approval policy.

The trainer hands every scored :class:`Proposal` to an :class:`ApprovalPolicy`
and gets a :class:`Decision` back. The policy is resolved once per ``fit``:

* ``"accept"`` / ``"reject"`` — decide alone (``decided_by="policy"``);
* a callable ``(proposal) -> bool | dict | Decision | awaitable of those``
  — ``True`` accepts, ``False`` rejects, a dict is an edited value;
* ``"human"`` — ask an :class:`ApprovalTransport` (a callback such as the
  notebook dashboard); without one that answers its probe, fall back to the
  ``fallback`` policy and say so in an ``ApprovalResolved`` event;
* ``"auto"`` (default) — human if a transport answers its probe, else ``fallback``.

``SYNALINKS_NB_APPROVAL`` overrides the mode given in code, so headless runs
(nbval, papermill) never wait. Every human request has a ``timeout``; when
it passes, ``on_timeout`` decides (``decided_by="timeout"``).

Edited values are validated against the variable's schema once
(:meth:`~synalinks_nb.events.Decision.edit`: by the dashboard for a person's edit, here
for a rule's); an invalid edit from a rule is a rejection with the reason recorded and
the variable unchanged.

:class:`Proposal` and :class:`Decision` are the one record and the one decision type of
the whole path (:mod:`synalinks_nb.events.proposal`); they are re-exported here.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from synalinks_nb.config import config
from synalinks_nb.errors import ApprovalError, InvalidVariableValueError
from synalinks_nb.events.proposal import Decision, Proposal

__all__ = [
    "ApprovalPolicy",
    "ApprovalTransport",
    "Decision",
    "Proposal",
    "find_transport",
]

_log = logging.getLogger(__name__)
_MODES = ("auto", "human", "accept", "reject")


@runtime_checkable
class ApprovalTransport(Protocol):
    """Something that can put a proposal in front of a human (the dashboard).

    ``probe()`` answers whether a human is listening right now; it should
    return quickly (the dashboard pings its view with a few retries).
    """

    async def probe(self) -> bool:
        """True when decisions can be requested."""
        ...

    async def request_decision(self, proposal: Proposal) -> Decision:
        """Wait for a human decision on ``proposal``."""
        ...


def find_transport(callbacks: Sequence[Any]) -> ApprovalTransport | None:
    """The first callback implementing :class:`ApprovalTransport`, if any."""
    for cb in callbacks:
        if isinstance(cb, ApprovalTransport):
            return cb
    return None


async def _resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class ApprovalPolicy:
    """The gate between "proposal scored" and "variable changed".

    Args:
        mode: ``"auto"``, ``"human"``, ``"accept"``, ``"reject"`` or a callable.
        timeout: seconds a human request may take (``None``: no limit).
        on_timeout: ``"accept"`` or ``"reject"`` when the timeout passes.
        fallback: ``"accept"`` or ``"reject"`` when no human can be reached.

    Example:
        >>> import asyncio
        >>> policy = ApprovalPolicy(lambda p: p.reward_after > p.reward_before)
        >>> _ = asyncio.run(policy.start([]))
        >>> asyncio.run(policy.decide(Proposal("p1", "gen/instructions", {}, {}, 0.2, 0.6)))
        Decision(accepted=True, value=None, decided_by='policy', reason='callable accepted')
    """

    def __init__(self, mode: str | Callable[[Proposal], Any] = "auto",
                 timeout: float | None = 600.0,
                 on_timeout: str = "accept", fallback: str = "accept") -> None:
        if not callable(mode) and mode not in _MODES:
            raise ValueError(f"Expected approval to be one of {_MODES} or a callable. "
                             f"Received: approval={mode!r}")
        for name, value in (("on_timeout", on_timeout), ("fallback", fallback)):
            if value not in ("accept", "reject"):
                raise ValueError(f"Expected {name} to be 'accept' or 'reject'. "
                                 f"Received: {name}={value!r}")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(
                timeout, int | float) or not timeout > 0):
            raise ValueError("Expected timeout to be a positive number of seconds or None. "
                             f"Received: timeout={timeout!r}")
        self.mode = mode
        self.timeout = None if timeout is None else float(timeout)
        self.on_timeout = on_timeout
        self.fallback = fallback
        self.effective: str | Callable[[Proposal], Any] = fallback
        self.transport: ApprovalTransport | None = None

    async def start(self, callbacks: Sequence[Any]) -> tuple[str, str]:
        """Resolve the mode for this run; returns ``(mode, reason)``."""
        env = config.approval
        mode = env or self.mode
        origin = "SYNALINKS_NB_APPROVAL=" if env else "approval="
        if callable(mode):
            self.effective = mode
            return "callable", "a function decides"
        if mode in ("accept", "reject"):
            self.effective = mode
            return mode, f"{origin}{mode!r}"
        transport = find_transport(callbacks)
        if transport is not None and await self._probe(transport):
            self.transport, self.effective = transport, "human"
            return "human", f"{type(transport).__name__} answered"
        self.effective = self.fallback
        why = "no approval transport among the callbacks" if transport is None else \
            f"{type(transport).__name__} did not answer its probe"
        if mode == "human":
            _log.warning("approval='human' but %s: falling back to %r.", why, self.fallback)
        return self.fallback, f"{why}; fallback {self.fallback!r}"

    async def _probe(self, transport: ApprovalTransport) -> bool:
        try:
            return bool(await asyncio.wait_for(transport.probe(), timeout=10.0))
        except Exception:
            _log.exception("Approval transport probe failed")
            return False

    async def decide(self, proposal: Proposal) -> Decision:
        """The decision for ``proposal``; edited values are validated here."""
        mode = self.effective
        if mode == "accept":
            return Decision(True, reason="policy 'accept'")
        if mode == "reject":
            return Decision(False, reason="policy 'reject'")
        if mode == "human" and self.transport is not None:
            decision = await self._ask_human(proposal)
        else:
            decision = _from_answer(await _resolve(mode(proposal)), "policy")  # type: ignore[operator]
        return _validated(decision, proposal)  # a no-op for edits the transport validated

    async def _ask_human(self, proposal: Proposal) -> Decision:
        assert self.transport is not None
        try:
            answer = await asyncio.wait_for(self.transport.request_decision(proposal),
                                            timeout=self.timeout)
        except TimeoutError:
            accepted = self.on_timeout == "accept"
            return Decision(accepted, decided_by="timeout",
                            reason=f"no answer within {self.timeout:g}s; on_timeout="
                                   f"{self.on_timeout!r}")
        return _from_answer(answer, "human")


def _from_answer(answer: Any, decided_by: str) -> Decision:
    if isinstance(answer, Decision):
        return answer
    if isinstance(answer, bool):
        return Decision(answer, decided_by=decided_by,
                        reason="callable accepted" if answer else "callable rejected")
    if isinstance(answer, dict):
        return Decision(True, value=answer, decided_by=decided_by, reason="edited")
    raise ApprovalError(
        "Expected the approval callable to return a bool, a dict (an edited value), a Decision "
        f"or an awaitable of those. Received: {type(answer).__name__}"
    )


def _validated(decision: Decision, proposal: Proposal) -> Decision:
    """An edit not validated yet is validated here (:meth:`Decision.edit`, the one check);
    an invalid one becomes a rejection with the reason recorded."""
    if not decision.edited or decision.checked:
        return decision
    try:
        return Decision.edit(proposal, decision.value, decision.decided_by, decision.reason)
    except InvalidVariableValueError as exc:
        return Decision(False, decided_by=decision.decided_by,
                        reason=f"invalid edit rejected: {exc}")
