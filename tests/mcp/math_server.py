"""A small MCP server over stdio, started as a separate process by the MCP tests."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

server = MCPServer("math")


@server.tool()
def add(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


@server.tool()
def divide(a: float, b: float) -> float:
    """Divide a by b."""
    if b == 0:
        raise ValueError("division by zero")
    return a / b


if __name__ == "__main__":
    server.run("stdio")
