"""The optimizer step of an optimizer that proposes from labels (``needs_predictions = False``).

Such an optimizer (:class:`~synalinks_nb.optimizers.LabeledFewShot`) gets each sample's
input and label instead of a batch's predictions, so ``fit`` makes no forward pass for
it. That serves a module reading the program's inputs. A module fed by another module
(the second Generator of a chain) has inputs that exist only after calls: when the
optimizer asks for them (``wants_inputs``), a few labelled samples it picks are run
through the program once per step, with the current values, and the module's traced
inputs are paired with the labels. Those calls are the only ones such a step makes
besides confirming its proposals on validation data.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.config import config
from synalinks_nb.modules.core.input import InputModule
from synalinks_nb.modules.tracing import Trace, trace_scope
from synalinks_nb.optimizers.greedy_optimizer import label_outputs
from synalinks_nb.optimizers.optimizer import BatchContext, ScoredPrediction
from synalinks_nb.rewards.reward import as_json
from synalinks_nb.trainers.approval import Proposal
from synalinks_nb.trainers.optimize_step import _candidates, _conclude, _confirm, _context, _made
from synalinks_nb.trainers.steps import PredictionFailure, run_samples

__all__ = ["fed_by_inputs", "label_context", "optimize_from_labels"]


async def optimize_from_labels(program: Any, run: Any, epoch: int, batch: int,
                               idx: list[int], xs: list[Any], ys: list[Any] | None) -> None:
    """One step of an optimizer that needs no prediction (``needs_predictions = False``):
    its candidates are made from the labels and are not scored on the batch (there is no
    batch score without a forward pass); they are confirmed on the confirmation data when
    ``fit`` has some, then offered. No call is made without confirmation data, except
    the few samples run to learn the inputs of modules fed by other modules (see the
    module docstring)."""
    traced = await _traced_labels(program, run, idx, xs, ys, epoch, batch)
    for variable in program.trainable_variables:
        context = label_context(program, variable, idx, xs, ys, epoch, batch)
        if not context.predictions and traced is not None:
            context = traced(variable)
        winners: list[Proposal] = []
        for candidate in await _candidates(program, run, variable, context):
            proposal = await _made(program, run, variable, candidate, context, None)
            if proposal is not None:
                winners.append(proposal)
        chosen = await _confirm(program, run, variable, winners)
        if chosen is not None:
            await _conclude(program, run, variable, chosen, await run.policy.decide(chosen))


async def _traced_labels(program: Any, run: Any, idx: list[int], xs: list[Any],
                         ys: list[Any] | None, epoch: int, batch: int) -> Any:
    """When a module fed by another module can learn from the labels and the optimizer
    wants its inputs: run the samples the optimizer picks (traced, current values) and
    return ``variable -> BatchContext`` of the traced inputs with their labels (and the
    traced outputs, which a successful sample offers as an example). Else ``None``."""
    optimizer = program.optimizer
    if ys is None or not hasattr(optimizer, "wants_inputs"):
        return None
    label = as_json(ys[0]) if ys else None
    needing = [v for v in program.trainable_variables
               if optimizer.wants_inputs(v) and _answers(program, v, label)
               and not fed_by_inputs(program, program.owner_of(v))]
    if not needing:
        return None
    positions = optimizer.samples_to_run([as_json(y) for y in ys], config.rng)
    ids, labels = [idx[p] for p in positions], [ys[p] for p in positions]
    trace = Trace()
    with trace_scope(trace):
        preds = await run_samples(program, [xs[p] for p in positions], ids, training=True)
    run.add_failures([p for p in preds if isinstance(p, PredictionFailure)])
    scores: list[float] = await program.compiled_reward.scores(labels, preds)
    return lambda variable: _context(program, variable.path, trace, ids, labels, scores,
                                     epoch, batch)


def _answers(program: Any, variable: Any, label: Any) -> bool:
    """Whether ``label`` has a field of the output of the module owning ``variable``."""
    schema = getattr(program.owner_of(variable), "output_schema", None)
    return isinstance(label, dict) and label_outputs(
        label, schema if isinstance(schema, dict) else None) is not None


def label_context(program: Any, variable: Any, idx: list[int], xs: list[Any],
                  ys: list[Any] | None, epoch: int, batch: int) -> BatchContext:
    """The context of a label-only optimizer: each sample's input and label, no output, for
    a module fed by the program's inputs (others get no sample: their inputs need calls)."""
    module = program.owner_of(variable)
    schema = getattr(module, "output_schema", None)
    predictions = []
    if ys is not None and module is not None and fed_by_inputs(program, module):
        predictions = [ScoredPrediction(sample_id=i, inputs=as_json(x) or {}, outputs=None,
                                        reward=0.0, y_true=as_json(y))
                       for i, x, y in zip(idx, xs, ys, strict=True)]
    return BatchContext(epoch=epoch, batch=batch, predictions=predictions, rng=config.rng,
                        output_schema=schema if isinstance(schema, dict) else None)


def fed_by_inputs(program: Any, module: Any) -> bool:
    """Whether ``module`` reads the program's inputs as they are: a node of the program's
    graph whose every input comes from ``sn.Input``; without a graph (a subclassed program
    never called symbolically), when its input schemas are the program's."""
    graph = getattr(program, "_functional", None) or getattr(program, "_display_graph", None)
    if graph is None:
        mine = getattr(module, "_input_schemas", None)
        return bool(mine) and mine == getattr(program, "_input_schemas", None)
    nodes = [n for n in graph.nodes if n.operation is module]
    return bool(nodes) and all(
        s._history is not None and isinstance(s._history.operation, InputModule)
        for n in nodes for s in n.input_symbols)
