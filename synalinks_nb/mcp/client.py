"""``MultiServerMCPClient``: load the tools of MCP servers as :class:`~synalinks_nb.Tool` objects.

Follows Synalinks' client: servers are named connections (``{"math": {"command":
"python", "args": ["server.py"], "transport": "stdio"}}``), ``get_tools()`` lists
each server's tools, and each tool's name is prefixed with its server's name
(``math_add``) so two servers may both have an ``add``. Calling a tool returns
``{"response": text}`` (a list of texts when the server sent several), as in
Synalinks; an error reported by the server raises :class:`~synalinks_nb.errors.ToolError`.

Each tool call opens its own session (starts the server process, initialises,
calls, closes), as Synalinks does by default: nothing stays open between calls,
so a notebook can be interrupted at any point without leaking a process, at the
price of a process start per call (tens of milliseconds for a small Python
server). ``session(name)`` keeps one open for a batch of calls. Only the stdio
transport is supported here; HTTP transports are refused with a clear error.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Mapping
from typing import Any

from synalinks_nb.errors import ConfigError, MissingDependencyError, ToolError
from synalinks_nb.modules.core.tool import Tool

__all__ = ["MultiServerMCPClient"]

_CONNECTION_KEYS = {"command", "args", "env", "cwd", "transport"}


def _import_mcp() -> Any:
    try:
        import mcp
        import mcp.client.stdio
    except ImportError as exc:
        raise MissingDependencyError("mcp", "mcp", "MCP tools") from exc
    return mcp


def _check(name: str, connection: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(connection) - _CONNECTION_KEYS
    transport = connection.get("transport", "stdio")
    if unknown or transport != "stdio" or not isinstance(connection.get("command"), str):
        raise ConfigError(
            f"Expected connection {name!r} to be {{'command': str, 'args': [...], 'env': "
            f"{{...}}, 'cwd': str, 'transport': 'stdio'}} (only stdio is supported). "
            f"Received: {dict(connection)!r}")
    return dict(connection)


def _response(result: Any) -> dict[str, Any]:
    texts = [c.text for c in result.content if getattr(c, "type", None) == "text"]
    response: str | list[str] = texts[0] if len(texts) == 1 else (texts or "")
    if result.is_error:
        raise ToolError(f"The MCP tool reported an error: {response}")
    return {"response": response}


class MultiServerMCPClient:
    """Tools of one or more MCP servers.

    Args:
        connections: server name -> ``{"command", "args", "env", "cwd", "transport"}``
            (``transport`` is ``"stdio"``; ``command`` ``"python"`` means this interpreter).

    Example:
        >>> client = MultiServerMCPClient({"math": {"command": "python",
        ...                                         "args": ["math_server.py"]}})
        >>> client
        MultiServerMCPClient(servers=['math'])
    """

    def __init__(self, connections: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.connections = {name: _check(name, c) for name, c in (connections or {}).items()}

    @contextlib.asynccontextmanager
    async def session(self, server_name: str) -> AsyncIterator[Any]:
        """An initialised ``mcp.ClientSession`` to one server, closed on exit."""
        mcp = _import_mcp()
        connection = self.connections.get(server_name)
        if connection is None:
            raise ConfigError(f"Expected a server among {sorted(self.connections)}. "
                              f"Received: {server_name!r}")
        command = connection["command"]
        # "python" in a connection means the interpreter running this kernel, whose
        # environment has the packages the server imports.
        params = mcp.client.stdio.StdioServerParameters(
            command=sys.executable if command in ("python", "python3") else command,
            args=list(connection.get("args", [])), env=connection.get("env"),
            cwd=connection.get("cwd"))
        async with mcp.client.stdio.stdio_client(params) as (read, write), \
                mcp.ClientSession(read, write) as session:
            await session.initialize()
            yield session

    async def get_tools(self, *, server_name: str | None = None) -> list[Tool]:
        """The tools of one server, or of every server, as :class:`Tool` objects."""
        names = [server_name] if server_name is not None else list(self.connections)
        tools: list[Tool] = []
        for name in names:
            async with self.session(name) as session:
                listed = await session.list_tools()
            tools.extend(self._tool(name, t.name, t.description, t.input_schema)
                         for t in listed.tools)
        return tools

    def _tool(self, server: str, tool: str, description: str | None,
              schema: dict[str, Any]) -> Tool:
        async def call(**arguments: Any) -> dict[str, Any]:
            async with self.session(server) as session:
                result = await session.call_tool(
                    tool, {k: v for k, v in arguments.items() if v is not None})
            return _response(result)

        return Tool(call, name=f"{server}_{tool}", description=description or tool,
                    schema={k: v for k, v in schema.items() if k != "title"})

    def __repr__(self) -> str:
        return f"MultiServerMCPClient(servers={sorted(self.connections)})"
