"""Data models the package itself needs: trainable values, chat messages.

The score scales (``Score``, ``Rating``...) are enums, in :mod:`.scores`.

``Instructions`` is the value of a Generator's trainable variable: the
instructions text and the few-shot examples, nothing else. Optimizer
bookkeeping (prediction pools, candidate populations) lives in the optimizer's
state, never in the variable (unlike Synalinks, where it bloats every save).
"""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr

from synalinks_nb.data_models.chat import ChatMessage, ChatMessages
from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.errors import DataModelError

__all__ = [
    "BOOKKEEPING",
    "ChatMessage",
    "ChatMessages",
    "Example",
    "Instructions",
    "Prediction",
    "Trainable",
]


# Synalinks' Trainable declares these optimizer fields on every trainable value. Here they
# live in the optimizer's state; ``seed_candidates`` alone means something at construction.
BOOKKEEPING = ("current_predictions", "predictions", "seed_candidates", "candidates",
               "best_candidates", "history", "nb_visit", "cumulative_reward")


class Trainable(DataModel):
    """Base class for data models used as trainable variable values.

    Synalinks' ``Trainable`` adds optimizer bookkeeping fields (``predictions``,
    ``candidates``, ``history``...) to every value; here the optimizer keeps
    that in its own state, so the value holds only the fields you declare.
    For Synalinks code, the constructor still takes them: ``seed_candidates``
    (partial values the evolutionary optimizers try first, as Synalinks' do)
    travels in :meth:`get_json` to the variable, which keeps them as
    ``variable.seed_candidates``; the others are accepted empty and refused
    otherwise (there is nowhere faithful to put them).

    Example:
        >>> import synalinks_nb as sn
        >>> class Hints(sn.Trainable):
        ...     hints: list[str] = []
        >>> value = Hints(hints=["Be brief."], seed_candidates=[{"hints": ["Be exact."]}])
        >>> v = sn.Variable(value.get_json(), data_model=Hints, name="hints")
        >>> v.get_json(), v.seed_candidates
        ({'hints': ['Be brief.']}, [{'hints': ['Be exact.']}])
    """

    _seed_candidates: list[dict[str, Any]] = PrivateAttr(default_factory=list)

    def __init__(self, **data: Any) -> None:
        declared = type(self).model_fields
        seeds = data.pop("seed_candidates", None) if "seed_candidates" not in declared else None
        for key in BOOKKEEPING:
            if key in data and key not in declared and data.pop(key) not in (None, [], 0, 0.0):
                raise DataModelError(
                    f"Expected {key!r} to be empty when making a {type(self).__name__}: "
                    "synalinks_nb keeps optimizer bookkeeping in the optimizer's state, not in "
                    f"trainable values. Received a non-empty {key!r}; leave it out."
                )
        super().__init__(**data)
        if seeds is not None and (not isinstance(seeds, list) or not all(
                isinstance(s, dict) for s in seeds)):
            raise DataModelError("Expected seed_candidates to be a list of partial values "
                                 f"(dicts). Received: {seeds!r:.80}")
        self._seed_candidates = [dict(s) for s in seeds or []]

    def get_json(self) -> dict[str, Any]:
        """The value, plus ``seed_candidates`` when some were given (for the variable)."""
        value = super().get_json()
        if self._seed_candidates:
            value["seed_candidates"] = [dict(s) for s in self._seed_candidates]
        return value


class Example(DataModel):
    """One few-shot example: an input and the output the module should give for it."""

    inputs: dict[str, Any] = Field(description="The example's input JSON")
    outputs: dict[str, Any] = Field(description="The expected output JSON")
    reward: float | None = Field(default=None, description="Reward this example scored, if any")


class Instructions(Trainable):
    """The trainable part of a Generator.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.Instructions(instructions="Answer briefly.").get_json()
        {'instructions': 'Answer briefly.', 'examples': []}
    """

    instructions: str = Field(default="", description="Instructions given to the model")
    examples: list[Example] = Field(default_factory=list, description="Few-shot examples")


class Prediction(DataModel):
    """A module's input and output on one sample, with the reward it earned."""

    inputs: dict[str, Any]
    outputs: dict[str, Any] | None
    reward: float | None = None


