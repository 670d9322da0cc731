"""``SelfCritique``: the model critiques its input and grades it; the reward is in [0, 1].

As in Synalinks, the model picks its grade on a scale (``score_type``: ``Score`` by default,
``Rating``...) and the module's output carries that grade normalized to [0, 1], so what
follows (a judge, a reward) reads the same range whatever the scale. The inner answer,
and so the few-shot examples an optimizer collects, stays on the scale the model saw.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.scores import (
    get_score_type,
    normalize_score,
    score_type_description,
    score_type_json_type,
    serialize_score_type,
)
from synalinks_nb.modules.core.generator import Generator

__all__ = ["SelfCritique", "critique_schema", "default_critique_instructions"]

_CRITIQUE = {"type": "string", "description": "What is right and wrong in the input"}
_NORMALIZED_REWARD = {"type": "number", "minimum": 0.0, "maximum": 1.0,
                      "description": "The reward, from 0.0 (very bad) to 1.0 (very good)"}


def critique_schema(score_type: Any = None, return_reward: bool = True) -> dict[str, Any]:
    """The model's answer: a critique, and a reward picked from ``score_type``'s values.

    Example:
        >>> import synalinks_nb as sn
        >>> critique_schema(sn.Rating)["properties"]["reward"]["enum"]
        [1, 2, 3, 4, 5]
        >>> critique_schema(return_reward=False)["required"]
        ['critique']
    """
    properties: dict[str, Any] = {"critique": dict(_CRITIQUE)}
    if return_reward:
        scale = get_score_type(score_type)
        properties["reward"] = {
            "type": score_type_json_type(scale), "enum": [m.value for m in scale],
            "description": f"The reward of the critique: {score_type_description(scale)}"}
    return {"title": "Critique", "type": "object", "properties": properties,
            "required": list(properties), "additionalProperties": False}


def default_critique_instructions(score_type: Any = None, return_reward: bool = True) -> str:
    """The default instructions, with the grading scale in words."""
    if not return_reward:
        return "Examine the input carefully and critique it: say what is right and wrong."
    return ("Examine the input carefully and critique it: say what is right and wrong, then "
            f"grade it with a reward, {score_type_description(score_type)}.")


class SelfCritique(Generator):
    """Critique the input (usually a previous answer) and give it a reward in [0, 1].

    Args:
        score_type: the scale the model grades on, as in Synalinks: ``sn.Score``
            (default), ``sn.FineScore``, ``sn.Rating``, ``sn.Rating10``, ``sn.Rating20``,
            any int/float ``Enum``, or its name. The output ``reward`` is normalized to [0, 1].
        return_reward: ask for a reward as well as the critique (default ``True``).
        return_inputs: give the input along with the critique (default ``True``).
        **kwargs: the other :class:`Generator` arguments except ``schema``/``data_model``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"critique": "correct", "reward": 4}])
        >>> critic = sn.SelfCritique(language_model=lm, score_type=sn.Rating)
        >>> out = asyncio.run(critic(Answer(answer="4")))
        >>> out["answer"], out["reward"]
        ('4', 0.75)
    """

    def __init__(self, return_inputs: bool = True, score_type: Any = None,
                 return_reward: bool = True, **kwargs: Any) -> None:
        self.score_type = get_score_type(score_type)
        self.return_reward = bool(return_reward)
        if kwargs.get("instructions") is None:
            kwargs["instructions"] = default_critique_instructions(self.score_type,
                                                                   self.return_reward)
        super().__init__(schema=critique_schema(self.score_type, self.return_reward),
                         return_inputs=return_inputs, **kwargs)

    def _module_output(self, answer: Any) -> Any:
        if not self.return_reward:
            return answer
        value = dict(answer.get_json())
        value["reward"] = normalize_score(value["reward"], self.score_type)
        return JsonDataModel(json=value, schema=self._module_output_schema(),
                             name=getattr(answer, "name", None))

    def _module_output_schema(self) -> dict[str, Any]:
        schema = self.output_schema
        if not self.return_reward:
            return schema
        properties = {**schema["properties"], "reward": dict(_NORMALIZED_REWARD)}
        return {**schema, "properties": properties}

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("schema")
        config["score_type"] = serialize_score_type(self.score_type)
        config["return_reward"] = self.return_reward
        return config

