"""Hand-written graph descriptions shaped like ``program.graph()``."""

from __future__ import annotations

from typing import Any

import pytest


def _node(node_id: str, type_: str = "Generator", parent: str | None = None, **kw: Any) -> Any:
    trainable = type_ in {"Generator", "ChainOfThought"}
    return {
        "id": node_id,
        "name": node_id,
        "type": type_,
        "trainable": trainable,
        "variables": [f"{node_id}/state"] if trainable else [],
        "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}},
        "output_schema": {"type": "object", "properties": {"answer": {"type": "string"}}},
        "parent": parent,
        "description": kw.get("description", ""),
    }


@pytest.fixture
def nested_graph() -> dict[str, Any]:
    """input -> [retriever: inner_input -> rewrite -> search] -> answer, plus a skip edge."""
    return {
        "name": "qa",
        "nodes": [
            _node("input", "Input"),
            _node("retriever", "Program"),
            _node("inner_input", "Input", parent="retriever"),
            _node("rewrite", "ChainOfThought", parent="retriever"),
            _node("search", "Lambda", parent="retriever"),
            _node("answer", "Generator", description="Writes the <final> answer & cites"),
            _node("critic", "Identity"),
        ],
        "edges": [
            {"source": "input", "target": "retriever"},
            {"source": "inner_input", "target": "rewrite"},
            {"source": "rewrite", "target": "search"},
            {"source": "retriever", "target": "answer"},
            {"source": "input", "target": "answer"},
            {"source": "answer", "target": "critic"},
        ],
        "variables": {
            "rewrite/state": {
                "value": {"instructions": "Rewrite"},
                "versions": 2,
                "description": "",
            },
            "answer/state": {
                "value": {"instructions": "", "examples": []},
                "versions": 1,
                "description": "Answer prompt",
            },
        },
    }
