"""Data models the package itself needs: trainable values, chat messages, scores.

``Instructions`` is the value of a Generator's trainable variable: the
instructions text and the few-shot examples, nothing else. Optimizer
bookkeeping (prediction pools, candidate populations) lives in the optimizer's
state, never in the variable (unlike Synalinks, where it bloats every save).
"""

from __future__ import annotations

from typing import Any, ClassVar

from synalinks_nb.data_models.chat import ChatMessage, ChatMessages
from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = [
    "ChatMessage",
    "ChatMessages",
    "Example",
    "Instructions",
    "Prediction",
    "Rating",
    "Score",
    "Trainable",
]


class Trainable(DataModel):
    """Marker base class for data models used as trainable variable values."""


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


class _Scale(DataModel):
    """A score on a fixed scale; ``normalized()`` maps it to [0, 1]."""

    low: ClassVar[float] = 0.0
    high: ClassVar[float] = 1.0
    field_name: ClassVar[str] = "score"

    def normalized(self) -> float:
        """The score mapped linearly to [0, 1]."""
        value = float(getattr(self, self.field_name))
        return (value - self.low) / (self.high - self.low)


class Score(_Scale):
    """A score between 0 and 1.

    Example:
        >>> Score(score=0.25).normalized()
        0.25
    """

    score: float = Field(ge=0.0, le=1.0, description="Score between 0 and 1")


class Rating(_Scale):
    """A rating from 1 to 5 stars.

    Example:
        >>> Rating(rating=4).normalized()
        0.75
    """

    low: ClassVar[float] = 1.0
    high: ClassVar[float] = 5.0
    field_name: ClassVar[str] = "rating"

    rating: int = Field(ge=1, le=5, description="Rating from 1 (bad) to 5 (excellent)")
