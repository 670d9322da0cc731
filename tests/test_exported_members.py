"""The top-level public API is a contract: names are added on purpose, never by accident."""

from __future__ import annotations

import synalinks_nb as sn

EXPECTED = {
    # Synalinks-compatible names
    "Action", "And", "Branch", "ChainOfThought", "ChatMessage", "ChatMessages", "Concat",
    "DataModel", "Decision", "Field", "Generator", "Identity", "InMask", "Input",
    "Instructions", "JsonDataModel", "Lambda", "Module", "Not", "Or", "OutMask", "Prediction",
    "Program", "Score", "SelfCritique", "Sequential", "SymbolicDataModel", "Tool", "Trainable",
    "Variable", "Xor", "clear_session", "ops", "saving", "KnowledgeBase", "knowledge_bases",
    "FullTextSearch", "HybridFTSSearch", "SimilaritySearch", "UpdateKnowledge",
    "MultiServerMCPClient", "EmbedKnowledge",
    # ours
    "EmbeddingModel", "Example", "LanguageModel", "Rating", "ScriptedLanguageModel", "Version",
    "__version__", "config", "errors", "get_seed", "set_seed", "synalinks_home",
    # training
    "ApprovalPolicy", "Callback", "History", "PredictionFailure", "Proposal",
    "callbacks", "datasets", "metrics", "optimizers", "rewards", "trainers",
}


def test_top_level_names_are_pinned() -> None:
    assert set(sn.__all__) == EXPECTED


def test_every_exported_name_exists() -> None:
    for name in sn.__all__:
        assert hasattr(sn, name), name
