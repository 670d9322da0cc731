"""Data models the package itself needs: trainable values, chat messages.

The score scales (``Score``, ``Rating``...) are enums, in :mod:`.scores`.

``Instructions`` is the value of a Generator's trainable variable: the
instructions text and the few-shot examples, nothing else. Optimizer
bookkeeping (prediction pools, candidate populations) lives in the optimizer's
state, never in the variable (unlike Synalinks, where it bloats every save).
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.chat import ChatMessage, ChatMessages
from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = [
    "ChatMessage",
    "ChatMessages",
    "Example",
    "Instructions",
    "Prediction",
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


