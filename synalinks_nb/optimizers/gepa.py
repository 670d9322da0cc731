"""``GEPA``: reflective instruction evolution with a Pareto front over validation samples.

The idea is GEPA's (Agrawal et al., 2025, arXiv 2507.19457): a language model
reads what went wrong, in words, and rewrites the instructions; candidates are
kept if they are the best on *any* validation sample, not only on average, so
a rewrite that fixes one kind of input is not lost because it breaks another.
Here it runs inside ``fit``'s loop, one proposal per variable and batch:

1. **Pool.** Per variable, the optimizer state (plain JSON) keeps a pool of
   candidate values, each with its per-sample scores on the confirmation data
   (``fit``'s validation data, or its held-out slice). The starting value
   joins when its scores are first known; every proposal the trainer confirmed
   on that data joins too, *accepted or not*.
2. **Parent.** For each validation sample, the members with the highest score
   win it (samples every member ties on say nothing and are skipped); a member
   that wins at least one sample is on the **Pareto front**, unless another
   member scores at least as well everywhere and better somewhere (it is then
   dominated). The parent is drawn from the front with probability
   proportional to the number of samples it wins. Without scores (no
   confirmation data yet, or ``acceptance="batch"``) the parent is the current
   value.
3. **Reflection.** The reflection model (``language_model``; ``None`` uses the
   program's own model, a stronger teacher is better) reads the parent's
   instructions and this batch's failing samples (reward below 1) — inputs,
   prediction, expected output and the reward's feedback text
   (:class:`~synalinks_nb.rewards.Feedback`) — and answers with its reflection
   and new instructions. The candidate is the variable's current value with
   those instructions (its examples unchanged); the reflection becomes
   ``Candidate.rationale`` ("why this change" on the dashboard) and the
   parent's version, when it has one, the proposal's ``parent_version``.
   A batch without failures proposes nothing.
4. **Merge** (``merge_rate`` > 0, GEPA's system-aware merge made textual): with
   that probability, when the front has two members, the model is asked to
   combine the instructions of the two front members that win the most
   samples, each shown with how many samples it wins.
5. The trainer scores the candidate on its batch, confirms it on validation
   data and asks for approval as for every optimizer; :meth:`GEPA.on_decision`
   adds it to the pool and prunes the pool to ``pool_size`` (front members
   with the most wins and the current value stay).

A simplification: the failing samples shown are those of the batch's forward
pass, made with the *current* value even when the parent is another member
(running the parent again would cost a batch of calls); the feedback says what
the task expects either way. Variables without an ``"instructions"`` string
(not a Generator's) get no proposal. Scores from another ``fit`` with a
different number of confirmation samples are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from synalinks_nb.modules.core.language_model_ref import (
    deserialize_language_model,
    serialize_language_model,
)
from synalinks_nb.optimizers._program_model import OptimizerModel
from synalinks_nb.optimizers.optimizer import BatchContext, Candidate, Optimizer
from synalinks_nb.utils.registry import register_builtin

__all__ = ["GEPA", "MERGE_PROMPT", "REFLECTION_PROMPT", "REFLECTION_SCHEMA", "pareto_front"]

REFLECTION_PROMPT = (
    "You improve the instructions of an assistant that performs one step of a program. You "
    "are given its current instructions and samples where its answer fell short, each with "
    "the input, the assistant's answer, the expected answer and feedback on the answer. "
    "First reflect: what does the task require that the instructions do not say (the output "
    "format, the exact labels, facts about the domain, a strategy that works)? Then write "
    "complete new instructions that fix these mistakes and keep what already works. State "
    "general rules; do not copy the samples' answers."
)
MERGE_PROMPT = (
    "You combine two sets of instructions for an assistant that performs one step of a "
    "program. Each set is best on some validation samples. Reflect on what each one gets "
    "right, then write one complete set of instructions that keeps the strengths of both."
)
REFLECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reflection": {"type": "string", "description": "What goes wrong and why"},
        "instructions": {"type": "string", "description": "The complete new instructions"},
    },
    "required": ["reflection", "instructions"],
    "additionalProperties": False,
}


def pareto_front(scores: Mapping[str, Sequence[float]]) -> dict[str, int]:
    """The members on the Pareto front over samples, each with the samples it wins.

    ``scores`` maps a member id to its per-sample scores (all of one length). A
    member wins a sample when no member scores higher on it; samples on which
    every member ties are skipped. Dominated members (another scores at least
    as well on every sample and better on one) leave the front. When no sample
    tells members apart, every non-dominated member stays with weight 1.

    Example:
        >>> pareto_front({"a": [1, 1, 0, 0], "b": [0, 0, 0, 1], "c": [1, 0, 0, 0]})
        {'a': 2, 'b': 1}
    """
    ids = list(scores)
    length = len(scores[ids[0]]) if ids else 0
    wins: dict[str, int] = {}
    for i in range(length):
        column = [scores[m][i] for m in ids]
        best = max(column)
        if min(column) == best:
            continue
        for m, value in zip(ids, column, strict=True):
            if value == best:
                wins[m] = wins.get(m, 0) + 1
    if not wins:  # every member ties everywhere: none dominates another
        return dict.fromkeys(ids, 1)
    # A member that dominates a winner wins the same samples, so only winners need checking.
    return {m: n for m, n in wins.items()
            if not any(_dominates(scores[o], scores[m]) for o in wins if o != m)}


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """``a`` scores at least as well as ``b`` everywhere and better somewhere."""
    better = False
    for x, y in zip(a, b, strict=True):
        if x < y:
            return False
        better = better or x > y
    return better


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _mean(scores: Sequence[float] | None) -> float:
    return sum(scores) / len(scores) if scores else -1.0


def _validated_key(variable: Any, value: Any) -> str:
    """The key of ``value`` as the trainer will hold it (validation fills defaults)."""
    try:
        return _key(variable.validate(value))
    except Exception:  # the trainer rejects it with the reason; any key will do
        return _key(value)


@register_builtin
class GEPA(Optimizer):
    """Rewrite instructions by reflecting on failures; keep a Pareto front of candidates.

    See the module docstring for the algorithm. Works best with rewards that
    return feedback text (``ExactMatch`` does) and with validation data.

    Args:
        language_model: the reflection model (object or id); ``None`` uses the
            model of the program being trained. A stronger model than the
            program's makes better instructions.
        nb_examples: failing samples shown to the reflection model per proposal.
        pool_size: candidates kept per variable.
        merge_rate: probability of a merge of two front members instead of a
            reflection (0 disables merges).
        temperature: sampling temperature of the reflection model.
        name, only_improvements, description: as for every optimizer.

    Example:
        >>> import synalinks_nb as sn
        >>> gepa = GEPA(sn.ScriptedLanguageModel(), nb_examples=3)
        >>> GEPA.from_config(gepa.get_config()).nb_examples
        3
    """

    def __init__(self, language_model: Any = None, nb_examples: int = 4, pool_size: int = 16,
                 merge_rate: float = 0.0, temperature: float = 0.7, name: str | None = None,
                 only_improvements: bool = True, description: str | None = None) -> None:
        super().__init__(name=name, only_improvements=only_improvements,
                         description=description)
        for arg, value, low in (("nb_examples", nb_examples, 1), ("pool_size", pool_size, 2)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"Expected {arg} to be an int >= {low}. Received: "
                                 f"{arg}={value!r}")
        if not 0.0 <= merge_rate <= 1.0:
            raise ValueError(f"Expected merge_rate in [0, 1]. Received: merge_rate={merge_rate!r}")
        self._writer = OptimizerModel(language_model)
        self.language_model = self._writer.ref
        self.nb_examples = nb_examples
        self.pool_size = pool_size
        self.merge_rate = float(merge_rate)
        self.temperature = float(temperature)

    def on_train_begin(self, program: Any) -> None:
        """Without a model of its own, GEPA reflects with the program's."""
        self._writer.bind(program)

    # -- the pool ---------------------------------------------------------------------------

    def pool(self, variable: Any) -> list[dict[str, Any]]:
        """The variable's candidates: ``id``, ``value``, ``scores`` (per validation sample,
        or ``None``), ``version`` (when accepted), ``parents`` (member ids), ``origin``."""
        state = self.variable_state(variable)
        members: list[dict[str, Any]] = state.setdefault("pool", [])
        return members

    def _member(self, variable: Any, value: Any, **fields: Any) -> dict[str, Any]:
        """The pool member holding ``value``, added when missing."""
        members = self.pool(variable)
        key = _key(value)
        for member in members:
            if _key(member["value"]) == key:
                return member
        state = self.variable_state(variable)
        member = {"id": int(state.get("next_id", 0)), "value": value, "scores": None,
                  "version": None, "parents": [], "origin": "initial", **fields}
        state["next_id"] = member["id"] + 1
        members.append(member)
        return member

    def front(self, variable: Any) -> dict[int, int]:
        """Pareto-front member ids of the variable's pool, with the samples each wins."""
        scored = self._scored(variable)
        return {int(k): n for k, n in pareto_front(
            {str(m["id"]): m["scores"] for m in scored}).items()} if scored else {}

    def _scored(self, variable: Any) -> list[dict[str, Any]]:
        members = [m for m in self.pool(variable) if m["scores"]]
        if not members:
            return []
        latest = len(members[-1]["scores"])  # another fit may have had other samples
        return [m for m in members if len(m["scores"]) == latest]

    def _parent(self, variable: Any, context: BatchContext,
                front: dict[int, int]) -> dict[str, Any]:
        if not front:
            return self._member(variable, variable.get_json())
        ids = sorted(front)
        chosen = context.rng.choices(ids, weights=[front[i] for i in ids])[0]
        return next(m for m in self.pool(variable) if m["id"] == chosen)

    # -- proposing ----------------------------------------------------------------------------

    async def propose(self, variable: Any, context: BatchContext) -> Candidate | None:
        current = variable.get_json()
        if not isinstance(current, dict) or not isinstance(current.get("instructions"), str):
            return None
        self._member(variable, current)["version"] = len(variable.versions) - 1
        front = self.front(variable)
        if len(front) >= 2 and self.merge_rate and context.rng.random() < self.merge_rate:
            return await self._merge(variable, current, front)
        failing = sorted((p for p in context.predictions if p.reward < 1.0),
                         key=lambda p: p.reward)[: self.nb_examples]
        if not failing:
            return None
        parent = self._parent(variable, context, front)
        samples = [{"input": p.inputs, "answer": p.outputs, "expected": p.y_true,
                    "score": round(p.reward, 3), "feedback": p.feedback} for p in failing]
        payload = {"current_instructions": parent["value"].get("instructions", ""),
                   "samples": samples}
        answer = await self._ask(REFLECTION_PROMPT, payload)
        wins = front.get(parent["id"])
        how = f"reflection on candidate {parent['id']}" + (
            f" (on the Pareto front, best on {wins} validation sample(s))" if wins else "")
        return self._candidate(variable, current, answer, parent, how, [parent["id"]])

    async def _merge(self, variable: Any, current: dict[str, Any],
                     front: dict[int, int]) -> Candidate | None:
        first, second = sorted(front, key=lambda i: (-front[i], i))[:2]
        members = {m["id"]: m for m in self.pool(variable)}
        payload = {"instructions_a": members[first]["value"].get("instructions", ""),
                   "samples_won_by_a": front[first],
                   "instructions_b": members[second]["value"].get("instructions", ""),
                   "samples_won_by_b": front[second]}
        answer = await self._ask(MERGE_PROMPT, payload)
        return self._candidate(variable, current, answer, members[first],
                               f"merge of candidates {first} and {second}", [first, second])

    async def _ask(self, system: str, payload: dict[str, Any]) -> dict[str, Any]:
        messages = [{"role": "system", "content": system},
                    {"role": "user", "content": json.dumps(payload, ensure_ascii=False,
                                                           default=str)}]
        result = await self._writer.get()(messages, schema=REFLECTION_SCHEMA,
                                          temperature=self.temperature)
        answer: dict[str, Any] = result.get_json()
        return answer

    def _candidate(self, variable: Any, current: dict[str, Any], answer: dict[str, Any],
                   parent: dict[str, Any], how: str, parents: list[int]) -> Candidate | None:
        instructions = str(answer.get("instructions") or "").strip()
        if not instructions or instructions == current.get("instructions"):
            return None
        value = dict(current, instructions=instructions)
        key = _validated_key(variable, value)
        if any(_key(m["value"]) == key and m["scores"] for m in self.pool(variable)):
            return None  # scored already: another run on validation would teach nothing
        state = self.variable_state(variable)
        state["pending"] = {key: {"parents": parents, "origin": how.split(" ")[0]}}
        return Candidate(value, note=how, rationale=str(answer.get("reflection") or "").strip(),
                         parent_version=parent["version"],
                         extra={"parents": parents})

    # -- learning from the trainer's decisions ------------------------------------------------

    def on_decision(self, variable: Any, proposal: Any, decision: Any) -> None:
        """Add the confirmed candidate (accepted or not) and the scores learnt to the pool."""
        super().on_decision(variable, proposal, decision)
        state = self.variable_state(variable)
        pending = state.pop("pending", {})
        if proposal.val_scores_before is not None:
            before = self._member(variable, proposal.before)
            before["scores"] = list(proposal.val_scores_before)
            before["version"] = len(variable.versions) - 1
        if proposal.val_scores is None:
            return
        origin = pending.get(_key(proposal.after), {})
        member = self._member(variable, proposal.after, parents=origin.get("parents", []),
                              origin=origin.get("origin", proposal.optimizer))
        member["scores"] = list(proposal.val_scores)
        if decision.accepted and not decision.edited:
            member["version"] = len(variable.versions)  # assigned right after this call
        self._prune(variable)

    def _prune(self, variable: Any) -> None:
        members = self.pool(variable)
        current = _key(variable.get_json())
        while len(members) > self.pool_size:
            front = self.front(variable)
            # Fewest front wins go first, then the lowest mean, then the oldest.
            ranked = sorted((front.get(m["id"], 0), _mean(m["scores"]), m["id"], i)
                            for i, m in enumerate(members) if _key(m["value"]) != current)
            del members[ranked[0][3]]

    def get_config(self) -> dict[str, Any]:
        return {"language_model": serialize_language_model(self.language_model),
                "nb_examples": self.nb_examples, "pool_size": self.pool_size,
                "merge_rate": self.merge_rate, "temperature": self.temperature,
                **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> GEPA:
        config = dict(config)
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)
