"""Data models shared by the data-model tests."""

from __future__ import annotations

import synalinks_nb as sn


class Query(sn.DataModel):
    query: str = sn.Field(description="The user query")


class Answer(sn.DataModel):
    answer: str = sn.Field(description="The answer")


class Thought(sn.DataModel):
    thinking: str
