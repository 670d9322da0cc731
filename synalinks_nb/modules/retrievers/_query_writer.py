"""What the retrievers whose query a Generator writes share: their config and their output.

``SimilaritySearch`` & co., ``LocalGraphSearch``, ``RetrieveKnowledge``, ``Text2SQL`` and
``Text2Cypher`` each keep a ``query_generator`` and a knowledge base: their configs carry
the generator's model, instructions and examples, and restoring one rebuilds the
knowledge base and the model.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.knowledge_bases import KnowledgeBase

__all__ = ["joined", "query_writer_config", "restored_config", "symbolic_output"]


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


async def symbolic_output(module: Any, inputs: Any, schema: dict[str, Any],
                          training: bool = False) -> Any:
    """A retriever's ``compute_output_spec``: the query its generator writes, and a
    symbolic result of ``schema``, :func:`joined`."""
    query = await module.query_generator(inputs, training=training)
    return joined(module, inputs, query, SymbolicDataModel(schema=schema, name=module.name))
