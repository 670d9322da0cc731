"""``sn.initializers``: Synalinks' initializers give a variable its first value."""

from __future__ import annotations

import pytest

import synalinks_nb as sn


def test_empty_initializer_gives_a_variable_its_data_models_default() -> None:
    class Persona(sn.DataModel):
        tone: str = "neutral"

    variable = sn.Variable(initializer=sn.initializers.Empty(data_model=Persona),
                           data_model=Persona)
    assert variable.get_json() == {"tone": "neutral"}
    bare = sn.Variable(initializer=sn.initializers.Empty(), data_model=Persona)
    assert bare.get_json() == {"tone": "neutral"}
    init = sn.initializers.deserialize(sn.initializers.serialize(
        sn.initializers.Empty(data_model=Persona)))
    assert isinstance(init, sn.initializers.Empty) and init.get_json() == {"tone": "neutral"}
    assert isinstance(sn.initializers.get("empty"), sn.Initializer)
    with pytest.raises(ValueError, match="registered initializer"):
        sn.initializers.deserialize({"class_name": "ExactMatch", "config": {}})
