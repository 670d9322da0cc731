"""``ChainOfThought``: a Generator whose answer starts with its reasoning."""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.json_ops import concat_schemas
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.generator import Generator

__all__ = ["ChainOfThought", "Thinking"]


class Thinking(DataModel):
    """The reasoning field ChainOfThought puts before the answer."""

    thinking: str = Field(description="Your step by step thinking")


MAX_K = 32
"""The most thinking fields a ChainOfThought takes (a bound, so a tampered save cannot
make loading build a schema with millions of fields)."""


class ChainOfThought(Generator):
    """Generate ``k`` thinking fields first, then the output fields.

    Takes every :class:`Generator` argument, plus ``k`` (the number of
    thinking fields, ``thinking``, ``thinking_1``, ..., at most :data:`MAX_K`). When the data model
    already has its ``thinking`` field(s), they are used instead of added again
    (Synalinks would add a second ``thinking`` and rename yours ``thinking_1``).

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> cot = sn.ChainOfThought(data_model=Answer,
        ...     language_model=sn.ScriptedLanguageModel(handler=lambda m, s: {
        ...         "thinking": "2 and 2 make 4", "answer": "4"}))
        >>> list(cot.output_schema["properties"])
        ['thinking', 'answer']
    """

    def __init__(self, schema: dict[str, Any] | None = None, data_model: Any = None,
                 k: int = 1, **kwargs: Any) -> None:
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise ModuleError(f"Expected k to be an int from 1 to {MAX_K}. Received: k={k!r}")
        if schema is None and data_model is not None:
            schema = data_model.get_schema()
        if schema is None:
            raise ModuleError(
                "Expected a schema or data_model for ChainOfThought. Received neither."
            )
        self.k = k
        self.answer_schema = schema
        existing = sum(1 for key in schema.get("properties", {})
                       if key == "thinking" or key.startswith("thinking_"))
        full = schema
        if existing < k:
            # A data model that already declares its thinking fields keeps them as they are.
            thinking = Thinking.get_schema()
            for _ in range(k - existing - 1):
                thinking = concat_schemas(thinking, Thinking.get_schema())
            full = concat_schemas(thinking, schema)
        super().__init__(schema=full, **kwargs)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "schema": self.answer_schema, "k": self.k}
