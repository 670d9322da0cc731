"""Modules: the building blocks of programs (layer 4).

Every built-in module is registered for safe loading under its class name.
"""

from __future__ import annotations

from synalinks_nb.modules.agents import CypherAgent, FunctionCallingAgent, SQLAgent, VectorRAGAgent
from synalinks_nb.modules.core.action import Action
from synalinks_nb.modules.core.branch import Branch
from synalinks_nb.modules.core.chain_of_thought import ChainOfThought
from synalinks_nb.modules.core.decision import Decision
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.core.identity import Identity, Not
from synalinks_nb.modules.core.input import AudioInput, ImageInput, Input, InputModule
from synalinks_nb.modules.core.lambda_module import Lambda
from synalinks_nb.modules.core.multi_decision import MultiDecision
from synalinks_nb.modules.core.self_critique import SelfCritique
from synalinks_nb.modules.core.tool import Tool
from synalinks_nb.modules.masking.masks import InMask, OutMask
from synalinks_nb.modules.merging.logical import And, Concat, Or, Xor
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.retrievers import (
    EmbedKnowledge,
    EntityFullTextSearch,
    FullTextSearch,
    GlobalGraphMapReduce,
    GlobalGraphSearch,
    HybridFTSSearch,
    LocalGraphSearch,
    RelationFullTextSearch,
    RetrieveKnowledge,
    SimilaritySearch,
    Text2Cypher,
    Text2SQL,
    UpdateKnowledge,
)
from synalinks_nb.modules.serialization import deserialize_module as deserialize
from synalinks_nb.modules.serialization import serialize_module as serialize
from synalinks_nb.utils.registry import register_builtin

Concatenate = Concat
"""Synalinks' second name for :class:`Concat`."""

__all__ = [
    "Action",
    "And",
    "AudioInput",
    "Branch",
    "ChainOfThought",
    "Concat",
    "Concatenate",
    "Decision",
    "EmbedKnowledge",
    "FullTextSearch",
    "FunctionCallingAgent",
    "Generator",
    "HybridFTSSearch",
    "Identity",
    "ImageInput",
    "InMask",
    "Input",
    "InputModule",
    "Lambda",
    "LocalGraphSearch",
    "Module",
    "MultiDecision",
    "Not",
    "Or",
    "OutMask",
    "RetrieveKnowledge",
    "SelfCritique",
    "SimilaritySearch",
    "Text2Cypher",
    "Text2SQL",
    "Tool",
    "UpdateKnowledge",
    "Xor",
    "deserialize",
    "serialize",
]

# Agents over a knowledge base, GraphRAG's global search, graph BM25 (issue 19).
__all__ += ["CypherAgent", "EntityFullTextSearch", "GlobalGraphMapReduce", "GlobalGraphSearch",
            "RelationFullTextSearch", "SQLAgent", "VectorRAGAgent"]

for _cls in (Action, And, Branch, ChainOfThought, Concat, Decision, Generator, Identity, InMask,
             InputModule, Lambda, Module, Not, Or, OutMask, SelfCritique, Xor, FullTextSearch,
             HybridFTSSearch, SimilaritySearch, UpdateKnowledge, EmbedKnowledge,
             FunctionCallingAgent, MultiDecision, Text2SQL,
             Text2Cypher, LocalGraphSearch, RetrieveKnowledge,
             CypherAgent, SQLAgent, VectorRAGAgent, GlobalGraphSearch, GlobalGraphMapReduce,
             EntityFullTextSearch, RelationFullTextSearch):
    register_builtin(_cls)
