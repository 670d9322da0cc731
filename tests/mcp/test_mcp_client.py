"""MultiServerMCPClient against a real MCP server process over stdio."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import ConfigError, ToolError
from synalinks_nb.mcp import MultiServerMCPClient

pytestmark = pytest.mark.skipif(importlib.util.find_spec("mcp") is None,
                                reason="needs the 'mcp' extra: pip install 'synalinks_nb[mcp]'")

SERVER = str(Path(__file__).parent / "math_server.py")


def client() -> MultiServerMCPClient:
    return MultiServerMCPClient({"math": {"command": "python", "args": [SERVER],
                                          "transport": "stdio"}})


async def test_tools_are_listed_with_namespaced_names_and_their_schemas() -> None:
    tools = await client().get_tools()
    assert sorted(t.name for t in tools) == ["math_add", "math_divide"]
    add = next(t for t in tools if t.name == "math_add")
    assert add.description == "Add two numbers."
    assert add.schema["properties"]["a"]["type"] == "number"
    assert await add(a=2, b=3.5) == {"response": "5.5"}


async def test_a_server_error_raises_and_bad_arguments_never_reach_the_server() -> None:
    divide = next(t for t in await client().get_tools() if t.name == "math_divide")
    with pytest.raises(ToolError, match="Error executing tool divide"):
        await divide(a=1, b=0)
    with pytest.raises(sn.errors.SchemaValidationError):
        await divide(a="one", b=2)


async def test_an_action_lets_the_model_call_an_mcp_tool() -> None:
    class Query(sn.DataModel):
        query: str

    [add] = [t for t in await client().get_tools(server_name="math") if t.name == "math_add"]
    lm = sn.ScriptedLanguageModel(responses=[{"a": 40, "b": 2}])
    out = await sn.Action(add, language_model=lm)(Query(query="What is 40 plus 2?"))
    assert out["result"] == {"response": "42.0"}
    assert lm.calls[0].schema["title"] == "math_add"


def test_unsupported_connections_are_refused() -> None:
    with pytest.raises(ConfigError, match="only stdio"):
        MultiServerMCPClient({"web": {"url": "http://127.0.0.1:1/mcp", "transport": "http"}})
