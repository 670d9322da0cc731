"""The Synalinks example runner: how it sorts scripts, and what its placeholder model writes.

The triage is checked on hand-written sources; one run goes end to end on a throwaway git
repository holding a single example (a real subprocess, as the runner always does).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "run_synalinks_examples", ROOT / "scripts" / "run_synalinks_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_triage_runs_the_core_and_sorts_the_other_families() -> None:
    r = runner()
    core = "import synalinks\nsynalinks.Generator()\n"
    kb = "kb = synalinks.KnowledgeBase(uri='duckdb://x')\n"
    assert r.triage("examples/1_core.py", core, every=False) is None
    assert r.triage("examples/13_rag.py", kb, every=False) == ("not core", "")
    assert r.triage("examples/13_rag.py", kb, every=True) is None  # --all runs it
    network = kb + "(x, y), _ = synalinks.datasets.mmlu.load_data()\n"
    assert r.triage("guides/17_tune.py", network, every=True)[0] == "network"
    # gsm8k and dair-ai/emotion are served from the runner's local copies
    served = kb + "(x, y), _ = synalinks.datasets.gsm8k.load_data()\n" \
        "x = synalinks.datasets.load_split(path='dair-ai/emotion', split='test')\n"
    assert r.triage("guides/17_tune.py", served, every=True) is None
    unserved = served + "y = synalinks.HuggingFaceDataset(path='imdb')\n"
    assert r.triage("guides/17_tune.py", unserved, every=True)[0] == "network"
    sandbox = kb + "agent = synalinks.DeepAgent(workdir='.')\n"
    status, why = r.triage("guides/22_deep.py", sandbox, every=True)
    assert status == "apart" and "sandbox" in why
    prose = kb + '"""A sandbox is mentioned here; DeepAgent too."""\n'
    assert r.triage("guides/23_sql.py", prose, every=True) is None  # prose is not use
    assert r.triage("examples/mcp_math_server.py", "MCP server", every=True)[0] == "apart"


def test_a_run_with_all_fills_string_lists_and_counts_both_numbers(tmp_path: Path) -> None:
    repo = tmp_path / "synalinks"
    (repo / "examples").mkdir(parents=True)
    (repo / "examples" / "1_search.py").write_text(
        "import asyncio\nimport synalinks\n\n"
        "class Q(synalinks.DataModel):\n    q: str\n\n"
        "class S(synalinks.DataModel):\n    search: list[str]\n\n"
        "# uses the datasets family: synalinks.datasets\n"
        "async def main():\n"
        "    lm = synalinks.LanguageModel(model='ollama/x')\n"
        "    out = await synalinks.Generator(data_model=S, language_model=lm)(Q(q='?'))\n"
        "    assert out['search'] == ['x'], out\n\n"
        "asyncio.run(main())\n", encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "one example"], check=True)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_synalinks_examples.py"),
                           "--repo", str(repo), "--all"], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert "runs      examples/1_search.py" in done.stdout
    assert "0 of 0 core scripts" in done.stdout
    assert "1 of 1 scripts of every family run to the end" in done.stdout


def test_a_blocker_is_the_error_line_even_after_an_exception_group() -> None:
    r = runner()
    group = ("  + Exception Group Traceback (most recent call last):\n"
             "    | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)\n"
             "      | mcp.shared.exceptions.MCPError: Connection closed\n"
             "      +------------------------------------\n")
    assert r.blocker(group) == "mcp.shared.exceptions.MCPError: Connection closed"
    assert r.blocker("Traceback...\nAttributeError: module 'x' has no attribute 'Foo'\n") == \
        "missing name Foo"


def test_local_copies_are_read_by_the_loaders(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import synalinks_nb as sn

    r = runner()
    r.write_local_copies(tmp_path)
    monkeypatch.setattr(sn.config, "_home", tmp_path)
    (x_train, y_train), _ = sn.datasets.gsm8k.load_data()
    assert len(x_train) == len(r.LOCAL_COPIES["gsm8k/main"]) and y_train[0].answer == 3.0
