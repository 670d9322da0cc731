"""``sn.tree``: Synalinks' nested-structure helpers, traverse and path checks included."""

from __future__ import annotations

from typing import Any

import pytest

import synalinks_nb as sn


def test_traverse_bottom_up_replaces_sub_trees_and_map_to_none_clears_them() -> None:
    seen: list[Any] = []

    def record(x: Any) -> None:
        seen.append(x)

    assert sn.tree.traverse(record, [(1, 2), {"a": 3}], top_down=False) == [(1, 2), {"a": 3}]
    assert seen == [1, 2, (1, 2), 3, {"a": 3}, [(1, 2), {"a": 3}]]
    dropped = sn.tree.traverse(
        lambda x: sn.tree.MAP_TO_NONE if x == {"secret": 1} else None,
        {"keep": [1], "drop": {"secret": 1}})
    assert dropped == {"keep": [1], "drop": None}
    # Top down, a replaced sub-tree is not descended into.
    assert sn.tree.traverse(lambda x: "cut" if isinstance(x, tuple) else None,
                            [(1, [2]), 3]) == ["cut", 3]


def test_assert_same_paths_ignores_container_types_but_not_keys() -> None:
    sn.tree.assert_same_paths({"a": [1, 2]}, {"a": (3, 4)})
    with pytest.raises(ValueError, match=r"Only in the first: \[\('a', 1\)\]"):
        sn.tree.assert_same_paths({"a": [1, 2]}, {"a": [3]})

