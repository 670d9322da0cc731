"""One optimizer step per trainable variable: propose → score → confirm → approve → apply.

Called by the trainer after a batch's forward pass and rewards. The "before"
reward is the batch's own reward until a variable changes within the batch;
after that, the next variable's "before" is re-measured on the same minibatch
so both sides always see the same program state except for that variable.

Candidates are scored through :func:`~synalinks_nb.variables.candidate_values`:
only the scoring task sees them, so a ``predict`` running beside ``fit`` never
answers with a candidate. A candidate that wins its batch is confirmed on the
run's confirmation data (see :mod:`~synalinks_nb.trainers.acceptance`) before
the approval policy sees it. Failures while scoring are counted like any other
failed sample, and a failure of the optimizer itself is counted and skips the
step; neither is ever scored as a silent zero.

Both scorings keep each sample's outcome, so a proposal carries the samples it
fixed and broke on its batch (``batch_flips``) and on validation (``val_flips``),
see :mod:`~synalinks_nb.trainers.flips`.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import Any

from synalinks_nb import events as ev
from synalinks_nb.config import config
from synalinks_nb.errors import InvalidVariableValueError
from synalinks_nb.language_models.usage import usage_phase
from synalinks_nb.modules.tracing import Trace
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, ScoredPrediction
from synalinks_nb.rewards.reward import as_json
from synalinks_nb.traces.recorder import collecting
from synalinks_nb.trainers.acceptance import Confirmation
from synalinks_nb.trainers.approval import Decision, Proposal
from synalinks_nb.trainers.flips import Outcomes, flips
from synalinks_nb.trainers.steps import PredictionFailure, run_samples
from synalinks_nb.variables import candidate_values

__all__ = ["optimize_variables", "score_outcomes", "score_program", "score_samples"]

_log = logging.getLogger(__name__)


def _context(program: Any, path: str, trace: Trace, idx: list[int], by: list[Any],
             scores: list[float], epoch: int, batch: int,
             feedback: list[str | None] | None = None) -> BatchContext:
    position = {sample_id: i for i, sample_id in enumerate(idx)}
    records = sorted((r for r in trace.for_variable(path) if r.sample_id in position),
                     key=lambda r: position[r.sample_id])
    predictions = [ScoredPrediction(sample_id=r.sample_id, inputs=r.inputs, outputs=r.outputs,
                                    reward=scores[position[r.sample_id]],
                                    y_true=as_json(by[position[r.sample_id]]),
                                    feedback=feedback[position[r.sample_id]] if feedback
                                    else None)
                   for r in records]
    module = program.owner_of(program.get_variable(path))
    schema = getattr(module, "output_schema", None)
    return BatchContext(epoch=epoch, batch=batch, predictions=predictions, rng=config.rng,
                        reward=sum(scores) / len(scores) if scores else 0.0,
                        output_schema=schema if isinstance(schema, dict) else None)


async def score_program(program: Any, run: Any, xs: list[Any], ys: list[Any] | None,
                        values: dict[Any, Any] | None = None) -> float:
    """Mean reward of the program on ``xs``/``ys`` (with ``values`` overlaid, if given).

    Failed samples count towards the run's errors (and stop it when they cannot
    get better by retrying); they score 0 in the mean, which is then known to be low
    for a reason the user can see.
    """
    return (await score_outcomes(program, run, xs, ys, values)).mean


async def score_samples(program: Any, run: Any, xs: list[Any], ys: list[Any] | None,
                        values: dict[Any, Any] | None = None) -> list[float]:
    """Per-sample rewards of the program on ``xs``/``ys`` (see :func:`score_program`)."""
    return (await score_outcomes(program, run, xs, ys, values)).rewards


async def score_outcomes(program: Any, run: Any, xs: list[Any], ys: list[Any] | None,
                         values: dict[Any, Any] | None = None) -> Outcomes:
    """Each sample's output and reward (and trace, when traces are on) on ``xs``/``ys``."""
    labels = ys if ys is not None else [None] * len(xs)
    with candidate_values(values or {}), traced() as traces:
        preds = await run_samples(program, xs, list(range(len(xs))), training=False)
    run.add_failures([p for p in preds if isinstance(p, PredictionFailure)])
    scores: list[float] = await program.compiled_reward.scores(labels, preds)
    return Outcomes(list(xs), list(labels), preds, scores,
                    [traces.get(i) for i in range(len(xs))])


def traced() -> Any:
    """Collect each sample's trace when every call is traced (else an empty dict): a
    sampled configuration (``sample_rate`` < 1) is not overridden to link flipped samples."""
    on, rate = config.traces.settings
    if on and rate >= 1.0:
        return collecting()
    return nullcontext({})


async def optimize_variables(program: Any, run: Any, epoch: int, batch: int, trace: Trace,
                             idx: list[int], outcomes: Outcomes,
                             feedback: list[str | None] | None = None) -> None:
    """Give each trainable variable at most one update for this batch.

    ``outcomes`` is the batch as the forward pass saw it (inputs, labels, outputs, rewards);
    ``feedback`` the rewards' text per sample, shown to the optimizer beside the scores.
    """
    scores = outcomes.rewards
    before: Outcomes | None = outcomes
    for variable in program.trainable_variables:
        if before is None:  # a variable changed in this batch: measure the new state
            before = await score_outcomes(program, run, outcomes.inputs, outcomes.expected)
        context = _context(program, variable.path, trace, idx, outcomes.expected, scores,
                           epoch, batch, feedback)
        if await _optimize_one(program, run, variable, context, before):
            before = None


async def _candidates(program: Any, run: Any, variable: Any,
                      context: BatchContext) -> list[Candidate]:
    optimizer = program.optimizer
    try:
        with usage_phase("optimizer"):
            candidates: list[Candidate] = await optimizer.propose_candidates(variable, context)
            return candidates
    except Exception as exc:
        # The optimizer's own model failed (or the optimizer has a bug): count it where the
        # program's failures are counted, and go on without a proposal for this step.
        _log.warning("Optimizer %s failed on %s: %s", optimizer.name, variable.path, exc,
                     exc_info=True)
        run.add_failures([PredictionFailure(exc, -1)], where=f"optimizer {optimizer.name!r}")
        return []


async def _made(program: Any, run: Any, variable: Any, candidate: Candidate,
                context: BatchContext, reward_before: float | None) -> Proposal | None:
    """The proposal of ``candidate``, announced; ``None`` (and discarded) when its value
    is invalid for the variable."""
    proposal = _record(program, run, variable, candidate, context, reward_before)
    await run.emit(ev.ProposalMade.of(proposal))
    try:
        proposal.after = variable.validate(candidate.value)
    except InvalidVariableValueError as exc:
        await _conclude(program, run, variable, proposal, Decision(
            False, reason=f"the optimizer proposed an invalid value: {exc}"))
        return None
    return proposal


async def _optimize_one(program: Any, run: Any, variable: Any, context: BatchContext,
                        before: Outcomes) -> bool:
    optimizer = program.optimizer
    winners: list[Proposal] = []
    for candidate in await _candidates(program, run, variable, context):
        proposal = await _made(program, run, variable, candidate, context, before.mean)
        if proposal is None:
            continue
        after = await score_outcomes(program, run, before.inputs, before.expected,
                                     {variable: proposal.after})
        proposal.reward_after = after.mean
        proposal.batch_flips = flips(before, after)
        if optimizer.only_improvements and after.mean <= before.mean:
            await run.emit(ev.ProposalScored.of(proposal))
            await _conclude(program, run, variable, proposal, Decision(
                False, reason=f"no improvement on the minibatch "
                              f"({before.mean:.3f} → {after.mean:.3f})"))
            continue
        winners.append(proposal)
    chosen = await _confirm(program, run, variable, winners)
    if chosen is None:
        return False
    decision = await run.policy.decide(chosen)
    return await _conclude(program, run, variable, chosen, decision)


def _record(program: Any, run: Any, variable: Any, candidate: Candidate,
            context: BatchContext, reward_before: float | None) -> Proposal:
    """The proposal record of ``candidate``: what is known before it is scored."""
    return Proposal(id=run.proposal_id(), variable_path=variable.path,
                    before=variable.get_json(), after=candidate.value,
                    reward_before=reward_before, epoch=context.epoch, batch=context.batch,
                    optimizer=program.optimizer.name, note=candidate.note,
                    rationale=candidate.rationale, parent_version=_parent(variable, candidate),
                    module=str(getattr(program.owner_of(variable), "name", "")),
                    variable=variable)


def _parent(variable: Any, candidate: Candidate) -> int:
    if candidate.parent_version is not None:
        return candidate.parent_version
    return len(variable.versions) - 1


async def _confirm(program: Any, run: Any, variable: Any,
                   winners: list[Proposal]) -> Proposal | None:
    """Score the batch winners on the confirmation data; the best that beats the current
    value there goes on to approval, the others are discarded with the reason."""
    confirmation = run.confirmation
    if confirmation is None:
        for p in winners:
            await run.emit(ev.ProposalScored.of(p))
        best = max(winners, key=lambda p: p.reward_after or 0.0, default=None)
        for p in winners:
            if p is not best and best is not None:
                await _conclude(program, run, variable, p, Decision(
                    False, reason=f"another candidate scored higher on the minibatch "
                                  f"({_score(best.reward_after)} ≥ {_score(p.reward_after)})"))
        return best
    draw = run.options.minibatch(len(confirmation.x), config.rng) if winners else None
    if draw is not None:  # minibatch_size: this step's candidates and the current value
        confirmation = Confirmation([confirmation.x[i] for i in draw], None if confirmation.y
                                    is None else [confirmation.y[i] for i in draw], True)
        run.partial.update(p.id for p in winners)
    if winners and (confirmation.score is None or confirmation.outcomes is None):
        current = await score_outcomes(program, run, confirmation.x, confirmation.y)
        confirmation.remember(current.mean, program.trainable_variables, current)
    confirmation.candidates.clear()
    for p in winners:
        p.val_reward_before = confirmation.score
        p.val_scores_before = confirmation.scores
        after = await score_outcomes(program, run, confirmation.x, confirmation.y,
                                     {variable: p.after})
        confirmation.candidates[p.id] = after
        p.val_scores, p.val_reward_after = after.rewards, after.mean
        if confirmation.outcomes is not None:
            p.val_flips = flips(confirmation.outcomes, after)
        await run.emit(ev.ProposalScored.of(p))
    ranked = sorted(winners, key=lambda p: (p.val_reward_after or 0.0, p.reward_after or 0.0),
                    reverse=True)
    chosen = ranked[0] if ranked and (not program.optimizer.only_improvements or _gained(
        ranked[0])) else None
    for p in ranked:
        if p is chosen:
            continue
        if chosen is not None and _gained(p):
            why = (f"another candidate scored higher on validation "
                   f"({chosen.val_reward_after:.3f} ≥ {p.val_reward_after:.3f})")
        elif p.reward_after is None:  # a label-only proposal: never scored on its batch
            why = (f"no improvement on validation ({p.val_reward_before:.3f} → "
                   f"{p.val_reward_after:.3f})")
        else:
            why = (f"won on its batch ({p.reward_before:.3f} → {p.reward_after:.3f}) but not "
                   f"on validation ({p.val_reward_before:.3f} → {p.val_reward_after:.3f})")
        await _conclude(program, run, variable, p, Decision(False, reason=why))
    return chosen


def _score(value: float | None) -> str:
    return "unscored" if value is None else f"{value:.3f}"


def _gained(p: Proposal) -> bool:
    return (p.val_reward_after or 0.0) > (p.val_reward_before or 0.0)


async def _conclude(program: Any, run: Any, variable: Any, proposal: Proposal,
                    decision: Decision) -> bool:
    proposed = proposal.after
    proposal.decide(decision)
    # The optimizer learns of it from this event too (OptimizerHooks, first in the list).
    await run.emit(ev.DecisionTaken.decided(proposal, decision))
    if not decision.accepted:
        return False
    version = variable.assign(
        decision.value if decision.edited else proposed,
        source="edit" if decision.edited else "optimizer", epoch=proposal.epoch,
        batch=proposal.batch, reward_before=proposal.reward_before,
        reward_after=None if decision.edited else proposal.reward_after,
        val_reward_before=proposal.val_reward_before,
        val_reward_after=None if decision.edited else proposal.val_reward_after,
        decided_by=decision.decided_by, note=decision.reason or proposal.note)
    # Scored on a draw of the confirmation data (minibatch_size), a score is not the
    # program's score on all of it: unknown then, measured again when needed.
    score = None if decision.edited or proposal.id in run.partial else proposal.val_reward_after
    run.changed(program, decision, score)
    if run.confirmation is not None and score is not None and run.confirmation.score == score:
        # The accepted value's outcomes, per sample: the next proposal's "before".
        run.confirmation.outcomes = run.confirmation.candidates.get(proposal.id)
    await run.emit(ev.VariableChanged(
        epoch=proposal.epoch, batch=proposal.batch, proposal_id=proposal.id,
        variable_path=variable.path, before=proposal.before, after=version.value,
        version=version.index, source=version.source, decided_by=version.decided_by,
        reward_before=proposal.reward_before, reward_after=version.reward_after,
        val_reward_before=proposal.val_reward_before, val_reward_after=version.val_reward_after))
    return True
