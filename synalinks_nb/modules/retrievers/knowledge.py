"""``UpdateKnowledge``: a program step that stores its input in a knowledge base.

Graph-shaped inputs (a ``KnowledgeGraph``, ``KnowledgeGraphs``, ``Entities``,
``Relations``, one ``Relation`` or ``Entity``: see the ``is_*`` predicates) go to
the graph store of a knowledge base that has one, relations with their
endpoints; anything else is a row of the table named after its data model.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.modules.module import Module

__all__ = ["UpdateKnowledge"]


class UpdateKnowledge(Module):
    """Upsert the input into its table (or its graph) and pass it on unchanged.

    The input's data model names the table (see :class:`~synalinks_nb.KnowledgeBase`),
    so an extraction program ending in ``UpdateKnowledge`` fills the knowledge base
    as it runs, e.g. over ``program.predict(documents)``.

    Args:
        knowledge_base: where to store.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class City(sn.DataModel):
        ...     name: str
        ...     country: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[City])
        >>> _ = asyncio.run(sn.UpdateKnowledge(knowledge_base=kb)(City(name="Lyon",
        ...                                                            country="France")))
        >>> asyncio.run(kb.get("Lyon", table_name="City")).get_json()
        {'name': 'Lyon', 'country': 'France'}
    """

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None, name: str | None = None,
                 description: str | None = None, trainable: bool = False) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError("Expected knowledge_base to be a KnowledgeBase for "
                              f"UpdateKnowledge. Received: {knowledge_base!r}")
        self.knowledge_base = knowledge_base

    async def call(self, inputs: Any, training: bool = False) -> Any:
        kb = self.knowledge_base
        if kb.graph_path is None or not await kb.update_graph_records(inputs):
            await kb.update(inputs)
        return inputs

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return inputs

    def get_config(self) -> dict[str, Any]:
        return {"knowledge_base": self.knowledge_base.get_config(), **super().get_config()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> UpdateKnowledge:
        config = dict(config)
        config["knowledge_base"] = KnowledgeBase.from_config(config["knowledge_base"])
        return cls(**config)
