"""What the retrievers whose query a Generator writes share in their config.

``SimilaritySearch`` & co., ``LocalGraphSearch``, ``RetrieveKnowledge``, ``Text2SQL`` and
``Text2Cypher`` each keep a ``query_generator`` and a knowledge base: their configs carry
the generator's model, instructions and examples, and restoring one rebuilds the
knowledge base and the model.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.knowledge_bases import KnowledgeBase

__all__ = ["query_writer_config", "restored_config"]


def query_writer_config(module: Any) -> dict[str, Any]:
    """The config keys of ``module``'s query generator and of what it returns."""
    generator = module.query_generator.get_config()
    return {"language_model": generator["language_model"],
            "instructions": generator["instructions"], "examples": generator["examples"],
            "return_inputs": module.return_inputs, "return_query": module.return_query}


def restored_config(config: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``config`` with its knowledge base and language model rebuilt."""
    from synalinks_nb.modules.core.language_model_ref import deserialize_language_model

    config = dict(config)
    config["knowledge_base"] = KnowledgeBase.from_config(config["knowledge_base"])
    config["language_model"] = deserialize_language_model(config.get("language_model"))
    return config


def joined(module: Any, inputs: Any, query: Any, result: Any) -> Any:
    """A retriever's output: its result, after the query it wrote (``return_query``) and
    the inputs (``return_inputs``) when the module returns them."""
    if module.return_query:
        result = query & result
    return inputs & result if module.return_inputs else result
