"""Shared pieces of the Synalinks-style programs: a scripted model that answers any schema.

Each ``test_<guide topic>.py`` here is a program written the way Synalinks' documentation
writes them (``import synalinks_nb as synalinks``, data models, ``await`` module calls,
``synalinks.Program``...), with every language-model call answered by a
``ScriptedLanguageModel`` instead of a provider. Nothing else is changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import synalinks_nb as synalinks


def answering(rule: Callable[[dict[str, Any], str], Any]) -> synalinks.ScriptedLanguageModel:
    """A model whose answer to each field is ``rule(user input JSON, field name)``."""

    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        user = json.loads(messages[-1]["content"])
        if schema is None:
            return "ok"
        return {field: rule(user, field) for field in schema.get("properties", {})}

    return synalinks.ScriptedLanguageModel(handler=handler)
