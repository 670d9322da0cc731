"""``Optimizer``: proposes new values for trainable variables; the trainer does the rest.

One protocol for every optimizer, run by the trainer once per variable and batch:

1. **propose** — ``await optimizer.propose(variable, context)`` returns a
   :class:`Candidate` (a new JSON value and a note) or ``None``. ``context``
   holds this batch's predictions of the module owning the variable, each
   with its sample's reward and ground truth (read from the trace, never
   from the variable);
2. **score** — the trainer runs the program on the *same minibatch* with the
   candidate temporarily in place and restores the variable;
3. **approve** — the scored proposal goes to the approval policy (unless
   ``only_improvements`` and it did not score higher: then it is discarded,
   recorded as a policy decision);
4. **apply or discard** — ``optimizer.on_decision(...)`` is called either way,
   so the optimizer can learn from rejections too.

Optimizer bookkeeping (prediction pools, populations) lives in ``self.state``,
plain JSON, separate from variable values: ``get_state()``/``set_state()``
save and restore it (``BackupAndRestore`` does, and so will program saving).
Randomness comes from ``context.rng`` (the package's seeded RNG).

Example:
    An optimizer that appends a reminder to the instructions once:

    >>> class Remind(Optimizer):
    ...     async def propose(self, variable, context):
    ...         value = variable.get_json()
    ...         if "Be exact." in value["instructions"]:
    ...             return None
    ...         value["instructions"] = (value["instructions"] + " Be exact.").strip()
    ...         return Candidate(value, note="add a reminder")
    >>> Remind().get_state()["iterations"]
    0
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.rewards.reward import _snake

__all__ = ["BatchContext", "Candidate", "Optimizer", "ScoredPrediction"]


@dataclass
class ScoredPrediction:
    """One prediction of the variable's module on one sample, with its reward."""

    sample_id: Any
    inputs: dict[str, Any]
    outputs: dict[str, Any] | None
    reward: float
    y_true: dict[str, Any] | None = None


@dataclass
class BatchContext:
    """What an optimizer sees for one variable on one batch."""

    epoch: int
    batch: int
    predictions: list[ScoredPrediction]
    rng: random.Random
    reward: float = 0.0


@dataclass
class Candidate:
    """A proposed value and a short human-readable explanation."""

    value: Any
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Optimizer:
    """Base class of optimizers (see the module docstring for the protocol).

    Args:
        name: display name (default: class name in snake case).
        only_improvements: discard, without asking for approval, candidates
            that do not score higher than the current value on the minibatch
            (the discard is recorded as a policy decision). Set it to False
            to put every proposal in front of the approval policy.
    """

    def __init__(self, name: str | None = None, only_improvements: bool = True) -> None:
        self.name = name or _snake(type(self).__name__)
        self.only_improvements = bool(only_improvements)
        self.state: dict[str, Any] = {"iterations": 0, "epochs": 0, "variables": {}}

    def variable_state(self, variable: Any) -> dict[str, Any]:
        """The JSON state kept for ``variable`` (created empty on first use)."""
        states: dict[str, dict[str, Any]] = self.state["variables"]
        return states.setdefault(variable.path, {})

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        """A candidate value for ``variable``, or ``None``. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `async propose`.")

    def on_decision(self, variable: Any, proposal: Any, decision: Any) -> None:
        """Called after every decision (accepted or not). The default counts iterations."""
        self.state["iterations"] += 1

    def on_epoch_end(self, epoch: int) -> None:
        """Called by the trainer after each epoch."""
        self.state["epochs"] += 1

    @property
    def iterations(self) -> int:
        """Decisions taken so far."""
        return int(self.state["iterations"])

    def get_state(self) -> dict[str, Any]:
        """A JSON copy of the optimizer's state."""
        copied: dict[str, Any] = json.loads(json.dumps(self.state))
        return copied

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore a state from :meth:`get_state`."""
        self.state = json.loads(json.dumps(state))

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments as JSON."""
        return {"name": self.name, "only_improvements": self.only_improvements}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        """Rebuild from :meth:`get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"
