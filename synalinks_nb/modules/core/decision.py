"""``Decision``: a Generator constrained to pick one label (an enum), with its reasoning."""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.core.generator import Generator

__all__ = ["Decision", "decision_schema"]


def decision_schema(question: str, labels: list[str]) -> dict[str, Any]:
    """The output schema of a decision among ``labels``."""
    return {
        "title": "Decision",
        "type": "object",
        "properties": {
            "thinking": {"type": "string", "description": "Your step by step thinking"},
            "choice": {"type": "string", "enum": list(labels), "description": question},
        },
        "required": ["thinking", "choice"],
        "additionalProperties": False,
    }


def check_labels(labels: Any) -> list[str]:
    """Labels must be a non-empty list of distinct strings."""
    if (
        not isinstance(labels, list | tuple)
        or not labels
        or not all(isinstance(x, str) and x for x in labels)
        or len(set(labels)) != len(labels)
    ):
        raise ModuleError(
            f"Expected labels to be a non-empty list of distinct strings. Received: {labels!r}"
        )
    return list(labels)


class Decision(Generator):
    """Answer ``question`` by choosing one of ``labels``.

    Takes the :class:`Generator` arguments (except ``schema``/``data_model``)
    plus ``question`` and ``labels``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"thinking": "maths", "choice": "math"}])
        >>> d = sn.Decision(question="Which topic?", labels=["math", "history"],
        ...                 language_model=lm)
        >>> asyncio.run(d(Query(query="2+2?")))["choice"]
        'math'
    """

    def __init__(self, question: str = "", labels: list[str] | None = None, **kwargs: Any) -> None:
        if not isinstance(question, str) or not question:
            raise ModuleError(f"Expected a non-empty question. Received: question={question!r}")
        self.question = question
        self.labels = check_labels(labels)
        kwargs.setdefault("instructions", f"{question} Choose one of: {', '.join(self.labels)}.")
        super().__init__(schema=decision_schema(question, self.labels), **kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.pop("schema")
        return {**config, "question": self.question, "labels": self.labels}
