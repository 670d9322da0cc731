"""``GlobalGraphMapReduce``: answer from every important community, then combine.

The query-time half of GraphRAG's global search (see
:mod:`~synalinks_nb.modules.retrievers.global_graph_search`): a
:class:`GlobalGraphSearch` finds the ``k`` communities; the *map* generator answers the
inputs from each community alone (concurrently), scoring its relevance 0-100; answers
scored below ``score_threshold`` are dropped, the rest sorted best first; the *reduce*
generator combines them into the output.
"""

from __future__ import annotations

import asyncio
from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.retrievers.global_graph_search import (
    CommunityAnswer,
    CommunityAnswers,
    GlobalGraphSearch,
    check_search_arguments,
)
from synalinks_nb.modules.retrievers.graph_search import graph_result_schema

__all__ = ["GlobalGraphMapReduce"]

MAP_INSTRUCTIONS = (
    "Answer the inputs using ONLY the provided community subgraph (its entities and "
    "relations). Then rate the community's relevance to the inputs with `relevance_score` "
    "between 0 and 100 (0 = nothing in this community helps).")
REDUCE_INSTRUCTIONS = (
    "Combine the community partial answers into one comprehensive answer to the inputs. "
    "Weigh each partial answer by its relevance score and ignore the irrelevant ones.")


class GlobalGraphMapReduce(Module):
    """GraphRAG's global answer: map the question over the top communities, then reduce.

    Args:
        knowledge_base: a knowledge base whose graph ``build_communities`` has indexed.
        language_model: the map and reduce generators' model.
        schema, data_model: the final answer's (default: a chat message).
        node_labels, rel_labels, k, members_per_community: the communities searched
            (see :class:`GlobalGraphSearch`).
        score_threshold: drop partial answers scored below it (default 0: keep all).
        map_instructions, reduce_instructions: the generators' starting instructions.
        temperature, max_tokens, top_p: sampling, for both generators.
        use_inputs_schema, use_outputs_schema: as for :class:`Generator`.
        return_inputs: join the inputs before the answer.
        return_community_answers: join the kept partial answers before the answer.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Question(sn.DataModel):
        ...     question: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
        >>> _ = asyncio.run(kb.update_relations([
        ...     {"subj": {"label": "P", "name": a}, "label": "Knows",
        ...      "obj": {"label": "P", "name": b}} for a, b in ("ab", "cd")]))
        >>> _ = asyncio.run(kb.build_communities())
        >>> def model(messages, schema):
        ...     if "relevance_score" in schema["properties"]:
        ...         return {"partial_answer": "a pair", "relevance_score": 50.0}
        ...     return {"answer": "two pairs"}
        >>> lm = sn.ScriptedLanguageModel(handler=model)
        >>> answer = sn.GlobalGraphMapReduce(knowledge_base=kb, language_model=lm,
        ...                                  data_model=Answer, return_community_answers=True)
        >>> out = asyncio.run(answer(Question(question="Who knows whom?")))
        >>> out["answer"], len(out["community_answers"]), len(lm.calls)
        ('two pairs', 2, 3)
    """

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None,
                 language_model: Any = None, schema: dict[str, Any] | None = None,
                 data_model: Any = None, node_labels: list[str] | None = None,
                 rel_labels: list[str] | None = None, k: int = 10,
                 members_per_community: int | None = None, score_threshold: float = 0.0,
                 map_instructions: str | None = None, reduce_instructions: str | None = None,
                 temperature: float | None = None, max_tokens: int | None = None,
                 top_p: float | None = None, top_k: int | None = None,
                 use_inputs_schema: bool = False, use_outputs_schema: bool = False,
                 return_inputs: bool = False, return_community_answers: bool = False,
                 name: str | None = None, description: str | None = None,
                 trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        check_search_arguments(knowledge_base, k, members_per_community,
                               "GlobalGraphMapReduce")
        if isinstance(score_threshold, bool) or not isinstance(score_threshold, int | float) \
                or score_threshold < 0:
            raise ModuleError("Expected score_threshold to be a number >= 0. "
                              f"Received: score_threshold={score_threshold!r}")
        self.score_threshold = float(score_threshold)
        self.return_inputs = return_inputs
        self.return_community_answers = return_community_answers
        self.global_graph_search = GlobalGraphSearch(
            knowledge_base=knowledge_base, node_labels=node_labels, rel_labels=rel_labels,
            k=k, members_per_community=members_per_community, return_inputs=False,
            name=f"global_graph_search_{self.name}")
        common: dict[str, Any] = {
            "language_model": language_model, "use_inputs_schema": use_inputs_schema,
            "use_outputs_schema": use_outputs_schema,
            "sampling": SamplingSettings(temperature=temperature, max_tokens=max_tokens,
                                         top_p=top_p, top_k=top_k)}
        self.map_generator = Generator(data_model=CommunityAnswer,
                                       instructions=map_instructions or MAP_INSTRUCTIONS,
                                       name=f"map_generator_{self.name}", **common)
        self.reduce_generator = Generator(schema=schema, data_model=data_model,
                                          instructions=reduce_instructions or
                                          REDUCE_INSTRUCTIONS,
                                          name=f"reduce_generator_{self.name}", **common)

    async def _map_one(self, inputs: Any, graph: dict[str, Any], training: bool) -> Any:
        community = JsonDataModel(schema=graph_result_schema(), json=graph,
                                  name=f"community_{self.name}")
        answer = await self.map_generator(inputs & community, training=training)
        return None if answer is None else answer.get_json()

    def _join(self, inputs: Any, answers: Any, result: Any) -> Any:
        if self.return_community_answers:
            result = answers & result
        return inputs & result if self.return_inputs else result

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        found = await self.global_graph_search(inputs, training=training)
        graphs = found.get_json().get("knowledge_graphs") or [] if found is not None else []
        answers = await asyncio.gather(*(self._map_one(inputs, g, training) for g in graphs))
        kept = sorted((a for a in answers if a is not None
                       and float(a.get("relevance_score") or 0.0) >= self.score_threshold),
                      key=lambda a: float(a.get("relevance_score") or 0.0), reverse=True)
        if not kept:
            return None
        community_answers = JsonDataModel(
            schema=CommunityAnswers.get_schema(), json={"community_answers": kept},
            name=f"community_answers_{self.name}")
        result = await self.reduce_generator(inputs & community_answers, training=training)
        return None if result is None else self._join(inputs, community_answers, result)

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        await self.global_graph_search(inputs, training=training)
        community = SymbolicDataModel(schema=graph_result_schema(),
                                      name=f"community_{self.name}")
        await self.map_generator(inputs & community, training=training)
        answers = SymbolicDataModel(schema=CommunityAnswers.get_schema(),
                                    name=f"community_answers_{self.name}")
        result = await self.reduce_generator(inputs & answers, training=training)
        return self._join(inputs, answers, result)

    def get_config(self) -> dict[str, Any]:
        search = self.global_graph_search
        reduce = self.reduce_generator.get_config()
        sampling = reduce["sampling"]
        return {
            "knowledge_base": search.knowledge_base.get_config(),
            "language_model": reduce["language_model"], "schema": reduce["schema"],
            "node_labels": search.node_labels, "rel_labels": search.rel_labels,
            "k": search.k, "members_per_community": search.members_per_community,
            "score_threshold": self.score_threshold,
            "map_instructions": self.map_generator.get_config()["instructions"],
            "reduce_instructions": reduce["instructions"],
            **{key: sampling.get(key) for key in ("temperature", "max_tokens", "top_p", "top_k")},
            "use_inputs_schema": reduce["use_inputs_schema"],
            "use_outputs_schema": reduce["use_outputs_schema"],
            "return_inputs": self.return_inputs,
            "return_community_answers": self.return_community_answers,
            **super().get_config(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> GlobalGraphMapReduce:
        from synalinks_nb.modules.core.language_model_ref import deserialize_language_model

        config = dict(config)
        config["knowledge_base"] = KnowledgeBase.from_config(config["knowledge_base"])
        config["language_model"] = deserialize_language_model(config.get("language_model"))
        return cls(**config)
