"""``RandomFewShot``: few-shot examples from what ``fit`` knows to be right.

The examples are those of :class:`~.greedy_optimizer.GreedyOptimizer`'s pool:
successful predictions and labels, never failed predictions. Each batch
``RandomFewShot`` proposes the variable's value with a fresh draw of them.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.optimizers.greedy_optimizer import GreedyOptimizer, label_outputs
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate
from synalinks_nb.utils.registry import register_builtin

__all__ = ["RandomFewShot", "label_outputs"]


@register_builtin
class RandomFewShot(GreedyOptimizer):
    """Propose few-shot examples drawn from successful predictions and labels.

    Each batch it proposes between ``nb_min_examples`` and ``nb_max_examples``
    distinct examples from the pool, drawn by ``sampling`` (see
    :class:`~.greedy_optimizer.GreedyOptimizer`, whose arguments it takes).
    The trainer then scores the candidate on the batch and confirms it on
    validation data before it is offered (see ``fit(acceptance=...)``).

    Example:
        >>> import asyncio, random, synalinks_nb as sn
        >>> from synalinks_nb.optimizers import BatchContext, ScoredPrediction
        >>> var = sn.Variable(data_model=sn.Instructions, name="instructions", module="gen")
        >>> wrong = ScoredPrediction(0, {"q": "2+2"}, {"a": "5"}, reward=0.0, y_true={"a": "4"})
        >>> context = BatchContext(0, 0, [wrong], random.Random(0),
        ...                        output_schema={"properties": {"a": {}}})
        >>> candidate = asyncio.run(RandomFewShot().propose(var, context))
        >>> candidate.value["examples"]  # the label, never the wrong answer
        [{'inputs': {'q': '2+2'}, 'outputs': {'a': '4'}, 'reward': None}]
    """

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        examples = self.sample_best_predictions(variable, context)
        if not examples:
            return None
        value = variable.get_json()
        value["examples"] = examples
        return Candidate(value, note=_describe(examples, self.sampling))


def _describe(examples: list[dict[str, Any]], how: str) -> str:
    labels = sum(e["reward"] is None for e in examples)
    parts = [f"{len(examples)} example(s) by {how} sampling"]
    if labels:
        parts.append(f"{labels} from labels")
    if len(examples) > labels:
        parts.append(f"{len(examples) - labels} from successful predictions")
    return ", ".join(parts[:1]) + (f" ({'; '.join(parts[1:])})" if parts[1:] else "")
