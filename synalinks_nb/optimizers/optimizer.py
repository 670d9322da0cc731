"""``Optimizer``: proposes new values for trainable variables; the trainer does the rest.

One protocol for every optimizer, run by the trainer once per variable and batch:

1. **propose** — ``await optimizer.propose_candidates(variable, context)``
   returns a list of :class:`Candidate` (a new JSON value and a note); the
   default asks :meth:`Optimizer.propose` for one. ``context`` holds this
   batch's predictions of the module owning the variable, each with its
   sample's reward, the rewards' feedback text and the label (read from the
   trace, never from the variable), and that module's output schema;
2. **score** — the trainer runs the program on the *same minibatch* with the
   candidate seen only by the scoring task (``candidate_values``: a
   ``predict`` running elsewhere keeps seeing the accepted value);
3. **confirm** — with ``only_improvements``, a candidate that does not score
   higher on its batch is discarded; one that does is scored on the
   confirmation data (validation data, or a held-out slice of the training
   data) and kept only if it beats the current value there too. Of several
   candidates, the best on confirmation goes on. Each confirmed proposal
   keeps its per-sample confirmation scores (``proposal.val_scores``, and the
   current value's in ``val_scores_before``);
4. **approve** — the approval policy (a person, or a rule) decides;
5. **apply or discard** — ``optimizer.on_decision(...)`` is called for every
   candidate, so the optimizer can learn from rejections too.

An optimizer that proposes from the labels alone (``needs_predictions = False``,
:class:`~.labeled_few_shot.LabeledFewShot`) gets a context whose predictions carry
the module's inputs and the label but no output; ``fit`` then runs no forward pass
and does not score its candidates on the batch (step 2), only on the confirmation
data when ``acceptance="validation"``.

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

from synalinks_nb.ops.operation import snake_case

__all__ = ["BatchContext", "Candidate", "Optimizer", "ScoredPrediction"]


@dataclass
class ScoredPrediction:
    """One prediction of the variable's module on one sample, with its reward.

    ``feedback`` is what the rewards said about the sample (see
    :class:`~synalinks_nb.rewards.Feedback`), or ``None``.
    """

    sample_id: Any
    inputs: dict[str, Any]
    outputs: dict[str, Any] | None
    reward: float
    y_true: dict[str, Any] | None = None
    feedback: str | None = None


@dataclass
class BatchContext:
    """What an optimizer sees for one variable on one batch."""

    epoch: int
    batch: int
    predictions: list[ScoredPrediction]
    rng: random.Random
    reward: float = 0.0
    output_schema: dict[str, Any] | None = None


@dataclass
class Candidate:
    """A proposed value, a short note on how it was made, and why (when the optimizer knows).

    ``rationale`` is shown as "why this change" on the dashboard's proposal card
    (a reflective optimizer puts its reflection there). ``parent_version`` is the
    variable version the value was derived from, when it is not the current one.
    """

    value: Any
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    rationale: str = ""
    parent_version: int | None = None


class Optimizer:
    """Base class of optimizers (see the module docstring for the protocol).

    Subclasses implement :meth:`propose` (or :meth:`propose_candidates` to
    offer several values per step); the rest is optional.

    Args:
        name: display name (default: class name in snake case).
        description: what the optimizer is for (Synalinks' argument; shown in reprs).
        only_improvements: discard, without asking for approval, candidates
            that do not score higher than the current value on the minibatch
            and on the confirmation data (the discard is recorded as a policy
            decision). Set it to False to put every proposal in front of the
            approval policy.
    """

    #: Whether ``fit`` must run the program on each batch before :meth:`propose` (see the
    #: module docstring). ``False`` for optimizers that need only the labels.
    needs_predictions: bool = True

    def __init__(self, name: str | None = None, only_improvements: bool = True,
                 description: str | None = None) -> None:
        for arg, value in (("name", name), ("description", description)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"Expected {arg} to be a str or None. Received: {arg}={value!r}")
        self.name = name or snake_case(type(self).__name__)
        self.description = description or ""
        self.only_improvements = bool(only_improvements)
        self.state: dict[str, Any] = {"iterations": 0, "epochs": 0, "variables": {}}

    def variable_state(self, variable: Any) -> dict[str, Any]:
        """The JSON state kept for ``variable`` (created empty on first use)."""
        states: dict[str, dict[str, Any]] = self.state["variables"]
        return states.setdefault(variable.path, {})

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        """A candidate value for ``variable``, or ``None``. Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `async propose`.")

    async def propose_candidates(self, variable: Any, context: BatchContext) -> list[Candidate]:
        """The candidates of this step (default: the one from :meth:`propose`, if any)."""
        candidate = await self.propose(variable, context)
        return [] if candidate is None else [candidate]

    def on_train_begin(self, program: Any) -> None:
        """Called by ``fit`` before the first batch, with the program being trained."""

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
        config: dict[str, Any] = {"name": self.name, "only_improvements": self.only_improvements}
        if self.description:
            config["description"] = self.description
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        """Rebuild from :meth:`get_config`."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"
