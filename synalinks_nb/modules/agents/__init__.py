"""Agents: modules that call tools in a loop (Synalinks' ``FunctionCallingAgent``), and
the agents born with tools over a knowledge base (``SQLAgent``, ``CypherAgent``,
``VectorRAGAgent``)."""

from __future__ import annotations

from synalinks_nb.modules.agents.cypher_agent import CypherAgent
from synalinks_nb.modules.agents.function_calling_agent import FunctionCallingAgent
from synalinks_nb.modules.agents.knowledge_agent import KnowledgeAgent
from synalinks_nb.modules.agents.sql_agent import SQLAgent
from synalinks_nb.modules.agents.vector_rag_agent import VectorRAGAgent

__all__ = ["CypherAgent", "FunctionCallingAgent", "KnowledgeAgent", "SQLAgent",
           "VectorRAGAgent"]
