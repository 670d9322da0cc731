"""``Branch``: decide, then run only the selected branch; the others give ``None``.

The decision is an inner :class:`Decision`. Unselected branches are not
called at all (no model calls, no cost); their output is ``None``, which flows
through the logical operators (``|`` picks whichever branch ran).
"""

from __future__ import annotations

import asyncio
from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.decision import Decision, check_labels
from synalinks_nb.modules.core.multi_decision import MultiDecision
from synalinks_nb.modules.module import Module
from synalinks_nb.utils.registry import get_registered_object

__all__ = ["Branch"]


def _decision_class(decision_type: type[Module] | str) -> type[Module]:
    """``Decision``/``MultiDecision`` (a class, or its name from a saved config)."""
    known: dict[str, type[Module]] = {"Decision": Decision, "MultiDecision": MultiDecision}
    if isinstance(decision_type, str) and decision_type in known:
        return known[decision_type]
    if isinstance(decision_type, type) and issubclass(decision_type, Decision | MultiDecision):
        return decision_type
    raise ModuleError("Expected decision_type to be sn.Decision or sn.MultiDecision (or a "
                      f"subclass). Received: decision_type={decision_type!r}")


class Branch(Module):
    """Route the input to one of several modules, chosen by a language model.

    Args:
        question: the question deciding the route.
        labels: one label per branch.
        branches: one module per label.
        language_model: model of the inner decision (``None``: the default).
        return_decision: put the decision before the selected branch's output (its keys
            first, as Synalinks' ``decision & output``).
        inject_decision: give the branch the input concatenated with the decision.
        decision_type: the decision module class: :class:`Decision` (one branch runs) or
            :class:`MultiDecision` (every chosen branch runs, concurrently).
        **kwargs: other :class:`Decision`/:class:`Generator` arguments
            (``instructions``, ``examples``...) and ``name``, ``description``, ``trainable``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(handler=lambda m, s: (
        ...     {"thinking": "easy", "choice": "easy"} if "choice" in s["properties"]
        ...     else {"answer": "4"}))
        >>> branch = sn.Branch(question="Difficulty?", labels=["easy", "hard"],
        ...     branches=[sn.Generator(data_model=Answer, language_model=lm),
        ...               sn.ChainOfThought(data_model=Answer, language_model=lm)],
        ...     language_model=lm, return_decision=False)
        >>> easy, hard = asyncio.run(branch(Query(query="2+2")))
        >>> easy["answer"], hard
        ('4', None)
    """

    def __init__(
        self,
        question: str = "",
        labels: list[str] | None = None,
        branches: list[Module] | None = None,
        language_model: Any = None,
        return_decision: bool = True,
        inject_decision: bool = True,
        name: str | None = None,
        description: str | None = None,
        trainable: bool = True,
        decision_type: type[Module] | str = Decision,
        **decision_kwargs: Any,
    ) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        labels = check_labels(labels)
        if not isinstance(branches, list | tuple) or len(branches) != len(labels):
            raise ModuleError(
                f"Expected one branch module per label ({len(labels)}). "
                f"Received: {len(branches) if isinstance(branches, list | tuple) else branches!r}"
            )
        self.labels = labels
        self.return_decision = return_decision
        self.inject_decision = inject_decision
        self.decision_type = _decision_class(decision_type)
        self.decision = self.decision_type(question=question, labels=labels,
                                           language_model=language_model,
                                           name=f"{self.name}_decision", **decision_kwargs)
        self.branches = list(branches)

    async def _run_branch(self, module: Module, inputs: Any, decision: Any) -> Any:
        branch_inputs = inputs + decision if self.inject_decision else inputs
        out = await module(branch_inputs)
        if self.return_decision and out is not None:
            return decision + out
        return out

    async def call(self, inputs: Any, training: bool = False) -> Any:
        decision = await self.decision(inputs)
        answer = decision.get_json()
        choice = answer.get("choice", answer.get("choices"))
        chosen = choice if isinstance(choice, list) else [choice]
        selected = [i for i, label in enumerate(self.labels) if label in chosen]
        results = await asyncio.gather(
            *(self._run_branch(self.branches[i], inputs, decision) for i in selected)
        )
        outputs: list[Any] = [None] * len(self.branches)
        for i, result in zip(selected, results, strict=True):
            outputs[i] = result
        return tuple(outputs)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        decision = await self.decision(inputs)
        return tuple([await self._run_branch(m, inputs, decision) for m in self.branches])

    def get_config(self) -> dict[str, Any]:
        from synalinks_nb.modules.serialization import serialize_module

        decision = self.decision.get_config()
        for key in ("name", "description", "trainable", "labels"):
            decision.pop(key, None)
        return {
            **super().get_config(),
            **decision,
            "labels": self.labels,
            "branches": [serialize_module(m) for m in self.branches],
            "return_decision": self.return_decision,
            "inject_decision": self.inject_decision,
            "decision_type": self.decision_type.__name__,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> Branch:
        from synalinks_nb.modules.core.language_model_ref import deserialize_language_model
        from synalinks_nb.modules.serialization import deserialize_module

        config = dict(config)
        config["branches"] = [deserialize_module(m, custom_objects) for m in config["branches"]]
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        config.pop("sampling", None)
        kind = config.get("decision_type")
        if isinstance(kind, str) and kind not in ("Decision", "MultiDecision"):
            # A registered subclass of Decision: found like any custom module.
            config["decision_type"] = get_registered_object(kind, custom_objects) or kind
        return cls(**config)
