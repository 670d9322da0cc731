"""The top-level public API is a contract: names are added on purpose, never by accident."""

from __future__ import annotations

import synalinks_nb as sn

EXPECTED = {
    # Synalinks-compatible names
    "AudioInput", "BatchMetric", "GapK", "ImageInput", "PassAtK", "PassHatK",
    "Action", "And", "Branch", "ChainOfThought", "ChatMessage", "ChatMessages", "Concat",
    "DataModel", "Decision", "Field", "Generator", "Identity", "InMask", "Input",
    "Instructions", "JsonDataModel", "Lambda", "Module", "Not", "Or", "OutMask", "Prediction",
    "Program", "Score", "SelfCritique", "Sequential", "SymbolicDataModel", "Tool", "Trainable",
    "Variable", "Xor", "clear_session", "ops", "saving",
    "BatchReward", "Concatenate", "CosineSimilarity", "ExactMatch", "LMAsJudge",
    "LMOperationalMetric", "LMOptimizersOperationalMetric", "LMRewardsOperationalMetric",
    "Metric", "OMEGA", "Operation", "ProgramAsJudge", "Reward", "api_base",
    "default_embedding_model", "default_language_model", "default_prompt_template",
    "enable_logging", "is_observability_enabled", "is_trace_recording_enabled", "record_traces",
    "register_synalinks_serializable",
    "set_api_base", "set_default_embedding_model", "set_default_language_model", "tree",
    "utils", "version", "backend", "ProgramOperationalMetric",
    "is_chat_message", "is_chat_messages", "is_instructions", "is_prediction",
    "KnowledgeBase", "knowledge_bases",
    "FullTextSearch", "HybridFTSSearch", "SimilaritySearch", "UpdateKnowledge",
    "MultiServerMCPClient", "EmbedKnowledge",
    "ChatRole", "FunctionCallingAgent", "MultiDecision", "ToolCall", "ToolCallFunction",
    "ToolCalling", "is_strictly_chat_message", "is_strictly_chat_messages", "is_tool_call",
    "ChatCompletionChoice", "ChatCompletionCompletionTokensDetails",
    "ChatCompletionFunctionCall", "ChatCompletionJsonSchema", "ChatCompletionMessage",
    "ChatCompletionPromptTokensDetails", "ChatCompletionRequest", "ChatCompletionResponse",
    "ChatCompletionResponseFormat", "ChatCompletionTool", "ChatCompletionToolCall",
    "ChatCompletionToolFunction", "ChatCompletionUsage", "from_chat_completion_message",
    "from_chat_completion_messages", "to_chat_completion_message",
    "to_chat_completion_messages", "to_chat_completion_request",
    "Text2SQL", "Text2Cypher", "LocalGraphSearch",
    "RetrieveKnowledge",
    "CypherAgent", "SQLAgent", "VectorRAGAgent", "GlobalGraphMapReduce", "GlobalGraphSearch",
    "Dataset", "MarkdownDataset", "MarkdownDocument", "MarkdownSection", "TextDataset",
    "TextDocument", "parse_markdown_sections", "EntityFullTextSearch", "RelationFullTextSearch",
    "Entity", "EmbeddedEntity", "Entities", "Relation", "Relations", "KnowledgeGraph",
    "KnowledgeGraphs", "is_entity", "is_embedded_entity", "is_entities", "is_relation",
    "is_relations", "is_knowledge_graph", "is_knowledge_graphs",
    "FineScore", "Rating", "Rating10", "Rating20", "EmbeddingModelOperationalMetric",
    "EmbeddingRequest", "Embeddings", "GenericIO", "GenericInputs", "GenericOutputs",
    "GenericResult", "Stamp", "is_embedded", "is_embedding", "is_embeddings", "is_stamped",
    "is_trainable", "Image", "Audio", "Initializer", "initializers",
    "CSVDataset", "ImageFolderDataset", "JSONDataset", "JSONLDataset", "ParquetDataset",
    "HuggingFaceDataset",
    "EmbeddingModelOptimizersOperationalMetric", "EmbeddingModelRewardsOperationalMetric",
    # ours
    "EmbeddingModel", "Example", "LanguageModel", "ScriptedLanguageModel", "Version",
    "__version__", "config", "errors", "get_seed", "set_seed", "synalinks_home",
    # training
    "ApprovalPolicy", "Callback", "History", "PredictionFailure", "Proposal",
    "callbacks", "datasets", "metrics", "optimizers", "rewards", "trainers",
    "tuners", "disable_keras_backend",
    # seeing inside
    "inspect_history", "traces",
    # graph function and variable scopes
    "Function", "StatelessScope", "SymbolicScope", "name_scope",
    # observability (Synalinks' hooks and MLflow switch)
    "enable_observability", "hooks",
}


def test_top_level_names_are_pinned() -> None:
    assert set(sn.__all__) == EXPECTED


def test_every_exported_name_exists() -> None:
    for name in sn.__all__:
        assert hasattr(sn, name), name
