"""Discrete score scales: ``Score``, ``FineScore``, ``Rating``, ``Rating10``, ``Rating20``.

As in Synalinks, a scale is an ``Enum`` whose members are also floats or ints. Used as the
type of a data-model field, it makes the JSON schema list the allowed values (so a model
picks one of them), and the field's JSON value is the plain number: ``confidence: Score``
serializes as ``0.9``, not as an object. Python code does arithmetic on the members
directly (``Score.GOOD + 0.05``).

``get_score_type`` resolves a scale from the class or its (registered) name, which is how
``score_type=`` arguments are saved; ``normalize_score`` maps a value of any scale to
[0, 1], the range rewards use.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic_core import CoreSchema

from synalinks_nb.utils.registry import get_registered_name, get_registered_object

__all__ = [
    "FineScore",
    "Rating",
    "Rating10",
    "Rating20",
    "Score",
    "get_score_type",
    "normalize_score",
    "score_type_bounds",
    "score_type_description",
    "score_type_json_type",
    "serialize_score_type",
]


def _json_schema(cls: type[Enum], core_schema: CoreSchema,
                 handler: GetJsonSchemaHandler) -> dict[str, Any]:
    # pydantic would describe the enum with its whole docstring, examples included, and the
    # description goes into every prompt that uses the field: say the scale in words instead.
    schema = handler.resolve_ref_schema(handler(core_schema))
    schema["description"] = score_type_description(cls)
    return schema


class Score(float, Enum):
    """A confidence score on 11 levels, from ``VERY_BAD`` (0.0) to ``VERY_GOOD`` (1.0).

    Example:
        >>> import synalinks_nb as sn
        >>> class Sentiment(sn.DataModel):
        ...     joy: sn.Score = sn.Field(description="How strongly the text expresses joy")
        >>> Sentiment(joy=0.9).get_json()
        {'joy': 0.9}
        >>> Sentiment(joy=0.9).joy is sn.Score.GOOD, round(sn.Score.GOOD + 0.05, 2)
        (True, 0.95)
    """

    VERY_BAD = 0.0
    POOR = 0.1
    BELOW_AVERAGE = 0.2
    LOW_AVERAGE = 0.3
    MEDIUM_LOW = 0.4
    MEDIUM = 0.5
    MEDIUM_HIGH = 0.6
    ABOVE_AVERAGE = 0.7
    HIGH_AVERAGE = 0.8
    GOOD = 0.9
    VERY_GOOD = 1.0


class FineScore(float, Enum):
    """A confidence score on 21 levels, by steps of 0.05 (each ``Score`` level is one).

    Example:
        >>> import synalinks_nb as sn
        >>> sn.FineScore.HIGH == 0.75, sn.FineScore.GOOD == sn.Score.GOOD
        (True, True)
    """

    VERY_BAD = 0.0
    BAD = 0.05
    POOR = 0.1
    VERY_LOW = 0.15
    BELOW_AVERAGE = 0.2
    LOW = 0.25
    LOW_AVERAGE = 0.3
    SLIGHTLY_LOW = 0.35
    MEDIUM_LOW = 0.4
    SLIGHTLY_BELOW_MEDIUM = 0.45
    MEDIUM = 0.5
    SLIGHTLY_ABOVE_MEDIUM = 0.55
    MEDIUM_HIGH = 0.6
    SLIGHTLY_HIGH = 0.65
    ABOVE_AVERAGE = 0.7
    HIGH = 0.75
    HIGH_AVERAGE = 0.8
    VERY_HIGH = 0.85
    GOOD = 0.9
    EXCELLENT = 0.95
    VERY_GOOD = 1.0


class Rating(int, Enum):
    """A rating from ``ONE`` (1, worst) to ``FIVE`` (5, best).

    Example:
        >>> import synalinks_nb as sn
        >>> class Review(sn.DataModel):
        ...     rating: sn.Rating
        >>> Review(rating=4).get_json(), sn.Rating.FOUR / 5
        ({'rating': 4}, 0.8)
    """

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5


class Rating10(int, Enum):
    """A rating from ``ONE`` (1) to ``TEN`` (10).

    Example:
        >>> import synalinks_nb as sn
        >>> sn.Rating10.SEVEN / 10
        0.7
    """

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5
    SIX = 6
    SEVEN = 7
    EIGHT = 8
    NINE = 9
    TEN = 10


class Rating20(int, Enum):
    """A rating from ``ONE`` (1) to ``TWENTY`` (20).

    Example:
        >>> import synalinks_nb as sn
        >>> sn.Rating20.FIFTEEN / 20
        0.75
    """

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5
    SIX = 6
    SEVEN = 7
    EIGHT = 8
    NINE = 9
    TEN = 10
    ELEVEN = 11
    TWELVE = 12
    THIRTEEN = 13
    FOURTEEN = 14
    FIFTEEN = 15
    SIXTEEN = 16
    SEVENTEEN = 17
    EIGHTEEN = 18
    NINETEEN = 19
    TWENTY = 20


_BUILTIN: dict[str, type[Enum]] = {
    cls.__name__: cls for cls in (Score, FineScore, Rating, Rating10, Rating20)
}
for _scale in _BUILTIN.values():
    _scale.__get_pydantic_json_schema__ = classmethod(_json_schema)  # type: ignore[attr-defined]


def _is_score_type(obj: Any) -> bool:
    return (isinstance(obj, type) and issubclass(obj, Enum) and issubclass(obj, int | float)
            and not issubclass(obj, bool) and len(obj) > 0)


def get_score_type(identifier: Any = None) -> type[Enum]:
    """The scale named by ``identifier``: a scale class, its name, or ``None`` for ``Score``.

    A scale is any non-empty ``Enum`` whose members are ints or floats; a custom one is
    found by name once registered with ``register_synalinks_serializable``.

    Raises:
        ValueError: ``identifier`` is neither a scale nor the name of one.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.backend.get_score_type("Rating") is sn.Rating, sn.backend.get_score_type(None)
        (True, <enum 'Score'>)
    """
    if identifier is None:
        return Score
    if isinstance(identifier, str):
        found = _BUILTIN.get(identifier) or get_registered_object(identifier)
        if _is_score_type(found):
            return found  # type: ignore[return-value]
        raise ValueError(
            f"Expected a score type name ({', '.join(_BUILTIN)} or the registered name of an "
            f"int/float Enum). Received: {identifier!r}"
        )
    if _is_score_type(identifier):
        return identifier  # type: ignore[no-any-return]
    raise ValueError(
        "Expected a score type: an Enum whose members are ints or floats (sn.Score, "
        f"sn.Rating...) or its name. Received: {identifier!r}"
    )


def serialize_score_type(score_type: Any) -> str:
    """The name a scale is saved under (its registered name)."""
    return get_registered_name(get_score_type(score_type))


def score_type_bounds(score_type: Any) -> tuple[float, float]:
    """``(lowest, highest)`` member value of a scale."""
    values = [float(member.value) for member in get_score_type(score_type)]
    return min(values), max(values)


def score_type_json_type(score_type: Any) -> str:
    """``"integer"`` for an int scale, ``"number"`` for a float one."""
    return "integer" if issubclass(get_score_type(score_type), int) else "number"


def score_type_description(score_type: Any) -> str:
    """The scale in words, for prompts: ``an integer between 1 and 5, ...``."""
    scale = get_score_type(score_type)
    low, high = score_type_bounds(scale)
    if issubclass(scale, int):
        return (f"an integer between {int(low)} and {int(high)}, {int(low)} being very bad "
                f"and {int(high)} very good")
    return f"a float between {low} and {high}, {low} being very bad and {high} very good"


def normalize_score(value: Any, score_type: Any) -> float:
    """``value`` on the scale ``score_type`` mapped linearly to [0, 1] (and clipped there).

    Example:
        >>> import synalinks_nb as sn
        >>> sn.backend.normalize_score(sn.Rating.THREE, sn.Rating)
        0.5
        >>> sn.backend.normalize_score(0.9, "Score"), sn.backend.normalize_score(7, sn.Rating)
        (0.9, 1.0)
    """
    low, high = score_type_bounds(score_type)
    if high == low:
        return 1.0
    return min(1.0, max(0.0, (float(value) - low) / (high - low)))
