"""Operations on data models: JSON reshaping, logic, and the graph-recording base.

All functional ops are ``async`` (as in Synalinks): ``await sn.ops.concat(a, b)``.
On symbolic inputs they record a graph step; on values they compute.
"""

from __future__ import annotations

from synalinks_nb.ops.convert import convert_to_json_data_model, convert_to_symbolic_data_model
from synalinks_nb.ops.json import factorize, in_mask, out_mask, prefix, suffix
from synalinks_nb.ops.logical import (
    concat,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
)
from synalinks_nb.ops.node import Node
from synalinks_nb.ops.operation import Operation

concatenate = concat
"""Synalinks' second name for :func:`concat`."""

__all__ = [
    "Node",
    "Operation",
    "concat",
    "concatenate",
    "convert_to_json_data_model",
    "convert_to_symbolic_data_model",
    "factorize",
    "in_mask",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "out_mask",
    "prefix",
    "suffix",
]
