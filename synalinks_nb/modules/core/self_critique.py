"""``SelfCritique``: the model critiques its input and scores it in [0, 1]."""

from __future__ import annotations

from typing import Any

from synalinks_nb.modules.core.generator import Generator

__all__ = ["SelfCritique"]

CRITIQUE_SCHEMA: dict[str, Any] = {
    "title": "Critique",
    "type": "object",
    "properties": {
        "critique": {"type": "string", "description": "What is right and wrong in the input"},
        "reward": {"type": "number", "minimum": 0.0, "maximum": 1.0,
                   "description": "How good the input is, from 0 (wrong) to 1 (perfect)"},
    },
    "required": ["critique", "reward"],
    "additionalProperties": False,
}


class SelfCritique(Generator):
    """Critique the input (usually a previous answer) and give it a reward.

    Takes the :class:`Generator` arguments except ``schema``/``data_model``;
    ``return_inputs`` defaults to ``True`` so the critique travels with the answer.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"critique": "correct", "reward": 1.0}])
        >>> out = asyncio.run(sn.SelfCritique(language_model=lm)(Answer(answer="4")))
        >>> out["answer"], out["reward"]
        ('4', 1.0)
    """

    def __init__(self, return_inputs: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault(
            "instructions",
            "Critique the input: say what is right and wrong, then score it from 0 to 1.",
        )
        super().__init__(schema=CRITIQUE_SCHEMA, return_inputs=return_inputs, **kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("schema")
        return config
