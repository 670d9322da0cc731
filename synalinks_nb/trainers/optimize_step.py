"""One optimizer step per trainable variable: propose → score → approve → apply.

Called by the trainer after a batch's forward pass and rewards. The "before"
reward is the batch's own reward until a variable changes within the batch;
after that, the next variable's "before" is re-measured on the same minibatch
so both sides always see the same program state except for that variable.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.config import config
from synalinks_nb.errors import InvalidVariableValueError
from synalinks_nb.language_models.usage import usage_phase
from synalinks_nb.modules.tracing import Trace
from synalinks_nb.optimizers.optimizer import BatchContext, ScoredPrediction
from synalinks_nb.rewards.reward import as_json
from synalinks_nb.trainers import events as ev
from synalinks_nb.trainers.approval import Decision, Proposal
from synalinks_nb.trainers.steps import run_samples, swapped

__all__ = ["optimize_variables"]


def _context(path: str, trace: Trace, idx: list[int], by: list[Any], scores: list[float],
             epoch: int, batch: int) -> BatchContext:
    position = {sample_id: i for i, sample_id in enumerate(idx)}
    records = sorted((r for r in trace.for_variable(path) if r.sample_id in position),
                     key=lambda r: position[r.sample_id])
    predictions = [ScoredPrediction(sample_id=r.sample_id, inputs=r.inputs, outputs=r.outputs,
                                    reward=scores[position[r.sample_id]],
                                    y_true=as_json(by[position[r.sample_id]]))
                   for r in records]
    return BatchContext(epoch=epoch, batch=batch, predictions=predictions, rng=config.rng,
                        reward=sum(scores) / len(scores) if scores else 0.0)


async def _score(program: Any, bx: list[Any], by: list[Any], idx: list[int]) -> float:
    preds = await run_samples(program, bx, idx, training=False)
    scores = await program._compiled_reward.scores(by, preds)
    return float(sum(scores) / len(scores)) if scores else 0.0


async def optimize_variables(program: Any, run: Any, epoch: int, batch: int, trace: Trace,
                             idx: list[int], bx: list[Any], by: list[Any],
                             scores: list[float]) -> None:
    """Give each trainable variable at most one update for this batch."""
    reward_before: float | None = sum(scores) / len(scores) if scores else 0.0
    for variable in program.trainable_variables:
        if reward_before is None:
            reward_before = await _score(program, bx, by, idx)
        context = _context(variable.path, trace, idx, by, scores, epoch, batch)
        changed = await _optimize_one(program, run, variable, context, reward_before, bx, by, idx)
        if changed:
            reward_before = None


async def _optimize_one(program: Any, run: Any, variable: Any, context: BatchContext,
                        reward_before: float, bx: list[Any], by: list[Any],
                        idx: list[int]) -> bool:
    optimizer = program.optimizer
    with usage_phase("optimizer"):
        candidate = await optimizer.propose(variable, context)
    if candidate is None:
        return False
    proposal = Proposal(id=run.proposal_id(), variable_path=variable.path,
                        before=variable.get_json(), after=candidate.value,
                        reward_before=reward_before, epoch=context.epoch, batch=context.batch,
                        optimizer=optimizer.name, note=candidate.note, variable=variable)
    await run.emit(ev.ProposalMade(**_fields(proposal)))
    try:
        proposal.after = variable.validate(candidate.value)
    except InvalidVariableValueError as exc:
        decision = Decision(False, reason=f"the optimizer proposed an invalid value: {exc}")
        return await _conclude(program, run, variable, proposal, decision)
    with swapped(variable, proposal.after):
        proposal.reward_after = await _score(program, bx, by, idx)
    await run.emit(ev.ProposalScored(**_fields(proposal)))
    if optimizer.only_improvements and proposal.reward_after <= reward_before:
        decision = Decision(False, reason=f"no improvement on the minibatch "
                                          f"({reward_before:.3f} → {proposal.reward_after:.3f})")
    else:
        decision = await run.policy.decide(proposal)
    return await _conclude(program, run, variable, proposal, decision)


def _fields(proposal: Proposal) -> dict[str, Any]:
    return {"epoch": proposal.epoch, "batch": proposal.batch, "proposal_id": proposal.id,
            "variable_path": proposal.variable_path, "optimizer": proposal.optimizer,
            "before": proposal.before, "after": proposal.after,
            "reward_before": proposal.reward_before, "reward_after": proposal.reward_after,
            "note": proposal.note}


async def _conclude(program: Any, run: Any, variable: Any, proposal: Proposal,
                    decision: Decision) -> bool:
    fields = _fields(proposal)
    if decision.edited:
        fields["after"] = decision.value
    await run.emit(ev.DecisionTaken(**fields, accepted=decision.accepted,
                                    edited=decision.edited, decided_by=decision.decided_by,
                                    reason=decision.reason))
    program.optimizer.on_decision(variable, proposal, decision)
    if not decision.accepted:
        return False
    version = variable.assign(
        decision.value if decision.edited else proposal.after,
        source="edit" if decision.edited else "optimizer", epoch=proposal.epoch,
        batch=proposal.batch, reward_before=proposal.reward_before,
        reward_after=None if decision.edited else proposal.reward_after,
        decided_by=decision.decided_by, note=decision.reason or proposal.note)
    await run.emit(ev.VariableChanged(
        epoch=proposal.epoch, batch=proposal.batch, proposal_id=proposal.id,
        variable_path=variable.path, before=proposal.before, after=version.value,
        version=version.index, source=version.source, decided_by=version.decided_by,
        reward_before=proposal.reward_before, reward_after=version.reward_after))
    return True
