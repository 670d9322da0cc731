"""``MultiDecision``: a Generator constrained to pick one or more labels, with its reasoning.

As Synalinks' module of the same name: the answer is ``{"thinking", "choices"}`` where
``choices`` is a list whose items are among ``labels`` (an array of an enum), so the
model cannot return a label that does not exist. The question is added to the inputs
(a ``question`` field), as Synalinks does.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.decision import check_labels
from synalinks_nb.modules.core.generator import Generator, restored_generator_config
from synalinks_nb.modules.module import Module

__all__ = ["MultiDecision", "multi_decision_schema"]


class _Question(DataModel):
    question: str = Field(description="The question to ask yourself.")


def multi_decision_schema(labels: list[str]) -> dict[str, Any]:
    """The output schema of a choice of one or more of ``labels``.

    Example:
        >>> multi_decision_schema(["a", "b"])["properties"]["choices"]["items"]
        {'type': 'string', 'enum': ['a', 'b']}
    """
    return {
        "title": "MultiDecisionAnswer",
        "type": "object",
        "properties": {
            "thinking": {"type": "string",
                         "description": "Your step by step thinking to choose the correct labels."},
            "choices": {"type": "array", "items": {"type": "string", "enum": list(labels)},
                        "description": "The chosen labels (one or more)."},
        },
        "required": ["thinking", "choices"],
        "additionalProperties": False,
    }


class MultiDecision(Module):
    """Answer ``question`` by choosing one or more of ``labels`` (multi-label classification).

    Args:
        question: the question to answer.
        labels: the labels to choose from (distinct strings).
        language_model: the model (object, id, or ``None`` for the default).
        inline: Synalinks' flag for how the enum is laid out; the schema here is always
            inline, so it is accepted and kept.
        **kwargs: the other :class:`Generator` arguments (``instructions``, ``examples``,
            ``temperature``...) and ``name``, ``description``, ``trainable``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Article(sn.DataModel):
        ...     text: str
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"thinking": "chips and a senate vote", "choices": ["technology", "politics"]}])
        >>> topics = sn.MultiDecision(question="Which topics does it cover?",
        ...     labels=["science", "politics", "technology"], language_model=lm)
        >>> asyncio.run(topics(Article(text="...")))["choices"]
        ['technology', 'politics']
    """

    def __init__(self, *, question: str | None = None, labels: list[str] | None = None,
                 language_model: Any = None, inline: bool = True,
                 seed_instructions: list[str] | None = None, name: str | None = None,
                 description: str | None = None, trainable: bool = True,
                 **generator_kwargs: Any) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if not isinstance(question, str) or not question:
            raise ModuleError(f"Expected a non-empty question. Received: question={question!r}")
        self.question = question
        self.labels = check_labels(labels)
        self.inline = bool(inline)
        self.seed_instructions = seed_instructions
        generator_kwargs.setdefault(
            "instructions", "You will be given a question: answer it step by step, then "
            f"choose one or more of these labels: {', '.join(self.labels)}.")
        self.decision = Generator(schema=multi_decision_schema(self.labels),
                                  language_model=language_model,
                                  name=f"generator_{self.name}", **generator_kwargs)

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        return await self.decision(inputs + _Question(question=self.question),
                                   training=training)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return await self.decision(inputs + _Question.to_symbolic_data_model())

    def get_config(self) -> dict[str, Any]:
        generator = self.decision.get_config()
        generator.pop("schema")
        for key in ("name", "description", "trainable"):
            generator.pop(key)
        return {**super().get_config(), **generator, "question": self.question,
                "labels": self.labels, "inline": self.inline,
                "seed_instructions": self.seed_instructions}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MultiDecision:
        return cls(**restored_generator_config(config))
