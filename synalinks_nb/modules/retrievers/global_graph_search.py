"""``GlobalGraphSearch`` and ``GlobalGraphMapReduce``: GraphRAG's global side as program steps.

``KnowledgeBase.build_communities`` clusters the graph and ranks its nodes once, at
index time. At query time :class:`GlobalGraphSearch` returns the ``k`` most important
communities as knowledge graphs, calling no language model and reading nothing of its
input (global search is about the whole graph; relevance is decided downstream).
:class:`GlobalGraphMapReduce` is that downstream: a *map* generator answers the input
from each community alone, in parallel, with a 0-100 relevance score; the answers at or
above ``score_threshold``, best first, go to a *reduce* generator that writes the final
answer (a chat message without ``schema``/``data_model``, as a bare Generator). Both
generators have trainable instructions. With no community (before a build), the search
returns an empty list of graphs and the map-reduce ``None``, as in Synalinks.
"""

from __future__ import annotations

import copy
from typing import Any

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.knowledge import KnowledgeGraphs
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.modules.module import Module

__all__ = ["CommunityAnswer", "CommunityAnswers", "GlobalGraphSearch", "check_search_arguments",
           "graphs_result_schema"]


class CommunityAnswer(DataModel):
    """The map step's answer from one community."""

    partial_answer: str = Field(description=(
        "The partial answer to the inputs, using ONLY the provided community subgraph "
        "(its entities and relations)"))
    relevance_score: float = Field(description=(
        "How relevant this community is to the inputs, between 0 and 100 (0 = the "
        "community contains nothing useful)"))


class CommunityAnswers(DataModel):
    """The reduce step's input: the kept partial answers, best first."""

    community_answers: list[CommunityAnswer] = Field(
        description="The community partial answers, most relevant first")


def graphs_result_schema() -> dict[str, Any]:
    """``KnowledgeGraphs``' schema with open entities and relations (any label's fields)."""
    schema = copy.deepcopy(KnowledgeGraphs.get_schema())
    for definition in schema.get("$defs", {}).values():
        definition.pop("additionalProperties", None)
    return schema


def check_search_arguments(knowledge_base: Any, k: Any, members: Any, owner: str) -> None:
    if not isinstance(knowledge_base, KnowledgeBase):
        raise ModuleError(f"Expected knowledge_base to be a KnowledgeBase for {owner}. "
                          f"Received: {knowledge_base!r}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ModuleError(f"Expected k to be a positive int. Received: k={k!r}")
    if members is not None and (isinstance(members, bool) or not isinstance(members, int)
                                or members < 1):
        raise ModuleError("Expected members_per_community to be a positive int or None. "
                          f"Received: members_per_community={members!r}")


class GlobalGraphSearch(Module):
    """The graph's ``k`` most important communities, as knowledge graphs (no LM call).

    Args:
        knowledge_base: a knowledge base whose graph ``build_communities`` has indexed.
        node_labels, rel_labels: only these labels (default: all).
        k: communities returned, highest total PageRank first.
        members_per_community: keep at most this many members each (best ranked).
        return_inputs: join the inputs before the communities.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Question(sn.DataModel):
        ...     question: str
        >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
        >>> _ = asyncio.run(kb.update_relations([
        ...     {"subj": {"label": "P", "name": a}, "label": "Knows",
        ...      "obj": {"label": "P", "name": b}} for a, b in ("ab", "cd")]))
        >>> _ = asyncio.run(kb.build_communities())
        >>> out = asyncio.run(sn.GlobalGraphSearch(knowledge_base=kb, k=1)(
        ...     Question(question="What is there?")))
        >>> [len(g["entities"]) for g in out["knowledge_graphs"]], out["question"]
        ([2], 'What is there?')
    """

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None,
                 node_labels: list[str] | None = None, rel_labels: list[str] | None = None,
                 k: int = 10, members_per_community: int | None = None,
                 return_inputs: bool = True, name: str | None = None,
                 description: str | None = None, trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        check_search_arguments(knowledge_base, k, members_per_community, "GlobalGraphSearch")
        assert isinstance(knowledge_base, KnowledgeBase)
        self.knowledge_base = knowledge_base
        self.node_labels, self.rel_labels = node_labels, rel_labels
        self.k, self.members_per_community = k, members_per_community
        self.return_inputs = return_inputs

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        graphs = await self.knowledge_base.community_graph_search(
            node_labels=self.node_labels, rel_labels=self.rel_labels, k=self.k,
            members_per_community=self.members_per_community)
        result = JsonDataModel(schema=graphs_result_schema(), json=graphs.get_json(),
                               name=self.name)
        return inputs & result if self.return_inputs else result

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        result = SymbolicDataModel(schema=graphs_result_schema(), name=self.name)
        return inputs & result if self.return_inputs else result

    def get_config(self) -> dict[str, Any]:
        return {"knowledge_base": self.knowledge_base.get_config(),
                "node_labels": self.node_labels, "rel_labels": self.rel_labels, "k": self.k,
                "members_per_community": self.members_per_community,
                "return_inputs": self.return_inputs, **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> GlobalGraphSearch:
        config = dict(config)
        config["knowledge_base"] = KnowledgeBase.from_config(config["knowledge_base"])
        return cls(**config)
