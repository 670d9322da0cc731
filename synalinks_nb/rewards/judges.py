"""Rewards decided by a language model or by a whole program.

``LMAsJudge`` asks one language model to score a prediction against the
ground truth, on a scale of its ``score_type`` (:class:`~synalinks_nb.data_models.Score`
by default, or ``Rating``...), normalized to [0, 1].
``ProgramAsJudge`` runs any program on a :class:`JudgeInput` and reads the
``score`` / ``reward`` / ``rating`` field of its output, so a judge can itself
be a trained program. The trainer counts both in the ``"reward"`` usage phase.
"""

from __future__ import annotations

import json
from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.scores import (
    get_score_type,
    normalize_score,
    score_type_description,
    score_type_json_type,
    serialize_score_type,
)
from synalinks_nb.modules.core.language_model_ref import (
    LanguageModelRef,
    deserialize_language_model,
    serialize_language_model,
)
from synalinks_nb.rewards.reward import Reward, as_json
from synalinks_nb.utils.registry import register_builtin

__all__ = [
    "DEFAULT_JUDGE_INSTRUCTIONS", "JudgeInput", "LMAsJudge", "ProgramAsJudge", "judge_schema",
]

# ``{scale}`` is the score type in words (``an integer between 1 and 5, ...``).
DEFAULT_JUDGE_INSTRUCTIONS = (
    "You are a strict grader. Compare the prediction with the ground truth (when given) and "
    "answer with a score: {scale}."
)


def judge_schema(score_type: Any = None) -> dict[str, Any]:
    """The judge's answer: one ``score`` picked from the values of ``score_type``.

    Example:
        >>> import synalinks_nb as sn
        >>> judge_schema(sn.Rating)["properties"]["score"]["enum"]
        [1, 2, 3, 4, 5]
    """
    scale = get_score_type(score_type)
    return {
        "title": "Judgement", "type": "object", "additionalProperties": False,
        "required": ["score"],
        "properties": {"score": {
            "type": score_type_json_type(scale), "enum": [m.value for m in scale],
            "description": f"How good the prediction is: {score_type_description(scale)}"}},
    }


class JudgeInput(DataModel):
    """What a judge sees: the ground truth (may be absent) and the prediction."""

    ground_truth: dict[str, Any] | None = Field(default=None, description="Expected output")
    prediction: dict[str, Any] | None = Field(default=None, description="Program output")


def _pairs(examples: Any) -> list[dict[str, Any]]:
    """``(inputs, outputs)`` pairs or ``{"inputs", "outputs"}`` dicts as JSON dicts."""
    found = []
    for example in examples or []:
        if isinstance(example, tuple | list) and len(example) == 2:
            example = {"inputs": example[0], "outputs": example[1]}
        if not isinstance(example, dict) or set(example) != {"inputs", "outputs"}:
            raise ValueError("Expected each judge example to be an (inputs, outputs) pair or "
                             f"an {{'inputs', 'outputs'}} dict. Received: {example!r:.120}")
        found.append({key: as_json(value) for key, value in example.items()})
    return found


def _clip(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


@register_builtin
class LMAsJudge(Reward):
    """Ask a language model for a score, picked on a scale and normalized to [0, 1].

    Args:
        language_model: the judge model (object or id).
        instructions: the grading instructions.
        prompt_template: a ``str.format`` template for the system message, with any of
            ``{instructions}``, ``{examples}``, ``{inputs_schema}``, ``{outputs_schema}``
            (as for ``Generator``).
        examples: graded examples shown before the prediction: ``(inputs, outputs)`` pairs
            or ``{"inputs", "outputs"}`` dicts, inputs as :class:`JudgeInput`'s JSON and
            outputs as ``{"score": ...}``.
        score_type: the scale the judge picks from, as in Synalinks: ``sn.Score``
            (default, 0.0 to 1.0 by 0.1), ``sn.FineScore``, ``sn.Rating`` (1 to 5),
            ``sn.Rating10``, ``sn.Rating20``, any int/float ``Enum``, or its name.
        name, reduction, in_mask, out_mask: as for every reward.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> judge = LMAsJudge(sn.ScriptedLanguageModel(responses=[{"score": 4}]),
        ...                   score_type=sn.Rating)
        >>> asyncio.run(judge({"answer": "Paris"}, {"answer": "paris"}))
        0.75
    """

    def __init__(self, language_model: Any = None, instructions: str | None = None,
                 name: str | None = None, reduction: str = "mean",
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None,
                 score_type: Any = None, prompt_template: str | None = None,
                 examples: Any = None) -> None:
        super().__init__(name=name, reduction=reduction, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.language_model = LanguageModelRef(language_model)
        self.score_type = get_score_type(score_type)
        self.instructions = instructions or DEFAULT_JUDGE_INSTRUCTIONS.format(
            scale=score_type_description(self.score_type))
        self.examples = _pairs(examples)
        self.prompt_template = prompt_template
        self._system()  # a template naming an unknown field fails here, not at scoring

    def _system(self) -> str:
        if self.prompt_template is None:
            return self.instructions
        try:
            return self.prompt_template.format(
                instructions=self.instructions, inputs_schema="",
                examples=json.dumps(self.examples, ensure_ascii=False),
                outputs_schema=json.dumps(judge_schema(self.score_type)))
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                "Expected prompt_template to use only {instructions}, {examples}, "
                f"{{inputs_schema}} and {{outputs_schema}}. Received: {exc!r}") from exc

    async def call(self, y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None) -> float:
        if y_pred is None:
            return 0.0
        payload = JudgeInput(ground_truth=y_true, prediction=y_pred).get_json()
        turns = [{"role": role, "content": json.dumps(example[key], ensure_ascii=False)}
                 for example in self.examples
                 for role, key in (("user", "inputs"), ("assistant", "outputs"))]
        messages = [{"role": "system", "content": self._system()}, *turns,
                    {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]
        result = await self.language_model.get()(messages, schema=judge_schema(self.score_type))
        return normalize_score(result.get_json()["score"], self.score_type)

    def get_config(self) -> dict[str, Any]:
        return {"language_model": serialize_language_model(self.language_model),
                "instructions": self.instructions,
                "score_type": serialize_score_type(self.score_type),
                "prompt_template": self.prompt_template, "examples": self.examples,
                **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LMAsJudge:
        config = dict(config)
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)


@register_builtin
class ProgramAsJudge(Reward):
    """Score predictions with a program whose input is :class:`JudgeInput`.

    The program's output must have a ``score`` or ``reward`` field in [0, 1]
    (or a 1–5 ``rating``).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Verdict(sn.DataModel):
        ...     score: float
        >>> async def make():
        ...     x = sn.Input(data_model=JudgeInput)
        ...     lm = sn.ScriptedLanguageModel(responses=[{"score": 1.0}])
        ...     y = await sn.Generator(data_model=Verdict, language_model=lm)(x)
        ...     return sn.Program(inputs=x, outputs=y)
        >>> judge = ProgramAsJudge(asyncio.run(make()))
        >>> asyncio.run(judge({"answer": "4"}, {"answer": "4"}))
        1.0
    """

    def __init__(self, program: Any, name: str | None = None, reduction: str = "mean",
                 in_mask: list[str] | None = None, out_mask: list[str] | None = None,
                 in_mask_pattern: str | None = None, out_mask_pattern: str | None = None) -> None:
        super().__init__(name=name, reduction=reduction, in_mask=in_mask, out_mask=out_mask,
                         in_mask_pattern=in_mask_pattern, out_mask_pattern=out_mask_pattern)
        self.program = program

    async def call(self, y_true: dict[str, Any] | None, y_pred: dict[str, Any] | None) -> float:
        if y_pred is None:
            return 0.0
        out = as_json(await self.program(JudgeInput(ground_truth=y_true, prediction=y_pred),
                                         training=False)) or {}
        if "score" in out:
            return _clip(out["score"])
        if "reward" in out:
            return _clip(out["reward"])
        if "rating" in out:
            return _clip((float(out["rating"]) - 1.0) / 4.0)
        raise ValueError(
            "Expected the judge program's output to have a 'score', 'reward' or 'rating' field. "
            f"Received fields: {sorted(out)}"
        )

    def get_config(self) -> dict[str, Any]:
        # The judge program is saved with the training state, not inside the reward config.
        return {"program": getattr(self.program, "name", None), **super().get_config()}
