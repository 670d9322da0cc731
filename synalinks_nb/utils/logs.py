"""Training logs as rows: one dict per epoch from ``History.history``'s lists."""

from __future__ import annotations

from typing import Any

__all__ = ["positional_rows"]


def positional_rows(history: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """``{key: [values]}`` as one dict per position (the i-th value of each key).

    Example:
        >>> positional_rows({"reward": [0.1, 0.2], "val_reward": [0.3]})
        [{'reward': 0.1, 'val_reward': 0.3}, {'reward': 0.2}]
    """
    n = max((len(values) for values in history.values()), default=0)
    return [{k: v[i] for k, v in history.items() if i < len(v)} for i in range(n)]
