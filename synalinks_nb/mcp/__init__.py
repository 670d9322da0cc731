"""MCP: tools from Model Context Protocol servers, usable by ``Action`` and agents.

Needs the ``mcp`` extra (``pip install 'synalinks_nb[mcp]'``); the official ``mcp``
package is imported when tools are first loaded, never at package import.
"""

from __future__ import annotations

from synalinks_nb.mcp.client import MultiServerMCPClient

__all__ = ["MultiServerMCPClient"]
