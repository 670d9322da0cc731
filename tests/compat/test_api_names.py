"""Synalinks' public names exist at the same paths here (``import synalinks_nb as synalinks``).

``synalinks_api_names.txt`` is generated from Synalinks' repository by
``scripts/synalinks_api_names.py`` (names and where Synalinks defines them, no code).
``missing_names.txt`` lists, with comments, the names of the core still missing. The test
fails when a core name is missing and not listed, and when a listed name exists: the list
only shrinks.

The families that belong to issue 19 (knowledge bases and their modules, datasets,
sandboxes and the agents built on them, MCP, tuners, embedding-model backends) are not
part of the core and are left out here.
"""

from __future__ import annotations

from pathlib import Path

import synalinks_nb

HERE = Path(__file__).parent

# Public paths (and everything under them) that are not part of the core.
EXCLUDED_PATHS = (
    "synalinks.datasets", "synalinks.knowledge_bases", "synalinks.sandboxes",
    "synalinks.tuners", "synalinks.utils.tuners", "synalinks.embedding_models",
)
# Where Synalinks defines a name: these definitions are not part of the core either.
EXCLUDED_ORIGINS = (
    "synalinks.src.datasets.", "synalinks.src.knowledge_bases.", "synalinks.src.sandboxes.",
    "synalinks.src.utils.mcp.", "synalinks.src.tuners.", "synalinks.src.modules.retrievers.",
    "synalinks.src.modules.knowledge.", "synalinks.src.modules.rerankers.",
    "synalinks.src.modules.agents.cypher_agent.", "synalinks.src.modules.agents.sql_agent.",
    "synalinks.src.modules.agents.vector_rag_agent.", "synalinks.src.modules.agents.rlm_agent.",
    "synalinks.src.modules.agents.deep_agent.", "synalinks.src.modules.synthesis.",
)


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines()
            if line.split("#", 1)[0].strip()]


def core_names() -> list[str]:
    """Synalinks' public paths of the core, e.g. ``synalinks.metrics.Cost``."""
    names = []
    for line in _lines("synalinks_api_names.txt"):
        public, origin = line.split()
        if public.startswith(EXCLUDED_PATHS) or origin.startswith(EXCLUDED_ORIGINS):
            continue
        if "knowledge_base" in public.rsplit(".", 1)[1]:  # default_knowledge_base & co.
            continue
        names.append(public)
    return names


def exists_here(public: str) -> bool:
    """Whether ``synalinks.a.b`` resolves as ``synalinks_nb.a.b``."""
    obj: object = synalinks_nb
    for part in public.split(".")[1:]:
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def test_the_generated_list_is_there_and_large() -> None:
    names = core_names()
    assert len(names) > 500, len(names)
    assert "synalinks.Generator" in names and "synalinks.metrics.Cost" in names


def test_every_core_name_exists_or_is_listed_as_missing() -> None:
    known_missing = set(_lines("missing_names.txt"))
    unexpected = [n for n in core_names() if not exists_here(n) and n not in known_missing]
    assert not unexpected, (
        f"{len(unexpected)} Synalinks names are missing and not in missing_names.txt: "
        f"{unexpected[:20]}"
    )


def test_the_missing_list_only_shrinks() -> None:
    known_missing = _lines("missing_names.txt")
    core = set(core_names())
    now_present = [n for n in known_missing if exists_here(n)]
    assert not now_present, f"Remove these from missing_names.txt, they exist: {now_present}"
    stale = [n for n in known_missing if n not in core]
    assert not stale, f"Not Synalinks core names (regenerated list?): {stale}"
    assert len(known_missing) == len(set(known_missing)), "duplicates in missing_names.txt"


def test_the_names_that_block_synalinks_examples_exist() -> None:
    # The first blockers measured in issue 18, by the number of scripts they stop.
    for name in ("enable_logging", "utils.plot_program", "default_prompt_template",
                 "ExactMatch", "utils.register_synalinks_serializable",
                 "set_default_language_model", "metrics.Cost"):
        assert exists_here(f"synalinks.{name}"), name
