"""Agents: modules that call tools in a loop (Synalinks' ``FunctionCallingAgent``)."""

from __future__ import annotations

from synalinks_nb.modules.agents.function_calling_agent import FunctionCallingAgent

__all__ = ["FunctionCallingAgent"]
