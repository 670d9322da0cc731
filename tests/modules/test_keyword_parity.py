"""Synalinks' keywords of ``InputModule`` (``input_data_model``) and ``Tool`` (``trainable``)."""

from __future__ import annotations

import pytest

import synalinks_nb as synalinks
from synalinks_nb.errors import ModuleError


async def test_input_module_uses_the_given_input_data_model_as_the_graph_input() -> None:
    placeholder = synalinks.SymbolicDataModel(data_model=synalinks.ChatMessage)
    module = synalinks.modules.InputModule(input_data_model=placeholder, name="chat")
    assert module.output is placeholder and module.get_schema() == placeholder.get_schema()
    program = synalinks.Program(inputs=placeholder,
                                outputs=await synalinks.Identity()(placeholder))
    out = await program(synalinks.ChatMessage(role="user", content="hi"))
    assert out.get_json()["content"] == "hi"
    with pytest.raises(ModuleError, match="input_data_model's schema"):
        synalinks.modules.InputModule(schema={"type": "object"}, input_data_model=placeholder)
    with pytest.raises(ModuleError, match="SymbolicDataModel"):
        synalinks.modules.InputModule(input_data_model=synalinks.ChatMessage)


def test_tool_takes_synalinks_trainable_keyword() -> None:
    async def ping() -> str:
        """Ping."""
        return "pong"

    assert synalinks.Tool(ping, trainable=True).trainable is True
    assert synalinks.Tool(ping).trainable is False
