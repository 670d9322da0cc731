"""Small Synalinks names at their paths: ``utils.pack_x_y``, ``programs.program_from_json``."""

from __future__ import annotations

import pytest

import synalinks_nb as sn


def test_pack_and_unpack_x_y_round_trip_and_refuse_a_triple() -> None:
    assert sn.utils.unpack_x_y(sn.utils.pack_x_y("x", "y")) == ("x", "y")
    assert sn.utils.unpack_x_y(sn.utils.pack_x_y("x")) == ("x", None)
    with pytest.raises(ValueError, match="tuple of 3"):
        sn.utils.unpack_x_y(("x", "y", "w"))


def test_programs_path_reads_a_program_back_from_json() -> None:
    program = sn.Sequential([sn.Input(schema={"type": "object", "properties": {}}),
                             sn.Identity(name="same")], name="chain")
    again = sn.programs.program_from_json(program.to_json())
    assert (again.name, [m.name for m in again.layers]) == ("chain", ["same"])
