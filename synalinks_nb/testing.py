"""Contract checks for pluggable units, for our tests and for yours (Keras' ``run_layer_test``).

``await check_module(module, inputs)`` verifies what every module must do:
build from a symbolic input, produce a symbolic output without calling a
language model, run on a concrete input with an output that matches the
symbolic schema, and survive a ``get_config`` / ``from_config`` round trip
(JSON-serialisable config, same output schema).
"""

from __future__ import annotations

import json
from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.modules.module import Module
from synalinks_nb.utils.tree import flatten, map_structure

__all__ = ["check_module"]


def _symbolic(x: Any) -> Any:
    return map_structure(lambda v: v.to_symbolic_data_model() if v is not None else None, x)


async def check_module(
    module: Module, inputs: Any, *, expect_none: bool = False, roundtrip: bool = True
) -> Any:
    """Run the module contract; returns the concrete output.

    Args:
        module: a fresh, unbuilt module.
        inputs: a concrete input (DataModel / JsonDataModel, or a list of them).
        expect_none: the module is expected to output ``None`` on this input.
        roundtrip: also check ``from_config(get_config())``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> from synalinks_nb.testing import check_module
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> out = asyncio.run(check_module(sn.Identity(), Query(query="hi")))
        >>> out.query
        'hi'
    """
    from synalinks_nb.language_models.base import BaseLanguageModel

    calls_before = _lm_calls(module, BaseLanguageModel)
    symbolic_out = await module(_symbolic(inputs))
    assert _lm_calls(module, BaseLanguageModel) == calls_before, (
        f"{type(module).__name__}: symbolic call must not call a language model"
    )
    for leaf in flatten(symbolic_out):
        assert isinstance(leaf, SymbolicDataModel), (
            f"{type(module).__name__}: symbolic call returned {type(leaf).__name__}"
        )
    assert module.built, f"{type(module).__name__} is not built after a symbolic call"
    output = await module(inputs)
    if expect_none:
        assert output is None, f"{type(module).__name__}: expected None, got {output!r}"
    else:
        _check_matches(output, symbolic_out, module)
    if roundtrip:
        config = module.get_config()
        json.dumps(config)
        clone = type(module).from_config(json.loads(json.dumps(config)))
        assert isinstance(clone, Module)
        clone_symbolic = await clone(_symbolic(inputs))
        assert [x.get_schema() for x in flatten(clone_symbolic) if x is not None] == [
            x.get_schema() for x in flatten(symbolic_out) if x is not None
        ], f"{type(module).__name__}: config round trip changed the output schema"
    return output


def _check_matches(output: Any, symbolic: Any, module: Module) -> None:
    for value, spec in zip(flatten(output), flatten(symbolic), strict=True):
        if value is None:
            continue
        validate_json(value.get_json(), spec.get_schema(),
                      what=f"the output of {type(module).__name__}")


def _lm_calls(module: Module, base: type) -> int:
    total = 0
    for m in [module, *module._walk()]:
        for value in vars(m).values():
            target = getattr(value, "_model", value)
            if isinstance(target, base):
                total += len(getattr(target, "calls", []))
    return total
