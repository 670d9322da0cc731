"""Measure how many of Synalinks' own example and guide scripts run on synalinks_nb.

Each ``examples/*.py`` and ``guides/*.py`` of a Synalinks repository snapshot (a bare git
directory) runs in its own Python process, in a fresh temporary folder, with:

* ``synalinks`` bound to ``synalinks_nb`` (``import synalinks`` gets this package);
* every ``LanguageModel`` replaced by a ``ScriptedLanguageModel`` that answers any schema
  with a schema-valid placeholder, and every ``EmbeddingModel`` by one that returns a
  vector made from the text's characters (no provider, no network);
* ``dotenv.load_dotenv`` a no-op when python-dotenv is not installed.

Nothing else is changed. Scripts that need a family outside the core (knowledge bases,
datasets, sandboxes and the agents built on them, MCP, tuners, web servers) are counted
apart. The scripts are only run for measurement; none of their code is kept here.

    python scripts/run_synalinks_examples.py                  # default snapshot
    python scripts/run_synalinks_examples.py --repo DIR --timeout 60 --only 0_first
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_REPO = Path("/work/.mirror/SynaLinks+synalinks/repo")
NOT_CORE = re.compile(
    r"KnowledgeBase|knowledge_base|synalinks\.datasets|Dataset\(|MCP|Sandbox|sandbox|"
    r"RecursiveLanguageModel|\bRLM\b|DeepAgent|SQLAgent|CypherAgent|VectorRAG|Knowledge\(|"
    r"tuners|keras_tuner|fastapi|fastmcp|PythonSynthesis"
)
BOOT = r"""
import runpy, sys, types
import synalinks_nb
sys.modules["synalinks"] = synalinks_nb
try:
    import dotenv  # noqa: F401
except ImportError:
    sys.modules["dotenv"] = types.SimpleNamespace(load_dotenv=lambda *a, **k: True)


Scripted = synalinks_nb.ScriptedLanguageModel


class ScriptedLanguageModel(Scripted):  # same class name: a saved program loads it back
    def __init__(self, model=None, **kwargs):
        super().__init__(name=kwargs.get("name") or "fake")


class EmbeddingModel(synalinks_nb.EmbeddingModel):
    def __init__(self, model=None, **kwargs):
        super().__init__(name=kwargs.get("name") or "fake-embeddings")

    async def _embed(self, batch):
        return [[float(sum(map(ord, t)) % (i + 7)) for i in range(16)] for t in batch], 0


synalinks_nb.LanguageModel = ScriptedLanguageModel
synalinks_nb.language_models.LanguageModel = ScriptedLanguageModel
synalinks_nb.EmbeddingModel = EmbeddingModel
synalinks_nb.language_models.EmbeddingModel = EmbeddingModel
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def scripts(repo: Path) -> list[str]:
    names = git(repo, "ls-tree", "-r", "--name-only", "HEAD", "examples", "guides").split()
    return sorted(n for n in names if n.endswith(".py") and not n.endswith("__init__.py"))


def blocker(stderr: str) -> str:
    """The last line of a traceback, shortened: what stopped the script."""
    lines = [line for line in stderr.strip().splitlines()
             if line.strip() and not line.strip().startswith("For further information")]
    last = lines[-1] if lines else "no output"
    missing = re.search(r"has no attribute '(\w+)'", last)
    return f"missing name {missing.group(1)}" if missing else last[:160]


def run(repo: Path, path: str, timeout: float) -> tuple[str, str]:
    source = git(repo, "show", f"HEAD:{path}")
    if NOT_CORE.search(source):
        return "not core", ""
    with tempfile.TemporaryDirectory() as tmp:
        for folder in ("examples", "guides"):
            Path(tmp, folder).mkdir()
        script = Path(tmp, Path(path).name)
        script.write_text(source, encoding="utf-8")
        env = {**os.environ, "SYNALINKS_NB_HOME": str(Path(tmp, "home")),
               "SYNALINKS_NB_APPROVAL": "accept", "PYTHONPATH": os.pathsep.join(sys.path)}
        try:
            done = subprocess.run([sys.executable, "-c", BOOT, str(script)], cwd=tmp, env=env,
                                  capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return "timeout", f"still running after {timeout:g} s"
    return ("runs", "") if done.returncode == 0 else ("fails", blocker(done.stderr))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", default="", help="run the scripts whose path contains this")
    args = parser.parse_args()
    results = {p: run(args.repo, p, args.timeout) for p in scripts(args.repo) if args.only in p}
    for path, (status, why) in results.items():
        print(f"{status:9} {path}  {why}")
    counts = collections.Counter(status for status, _ in results.values())
    core = sum(n for status, n in counts.items() if status != "not core")
    print(f"\n{counts['runs']} of {core} core scripts run to the end "
          f"({counts['not core']} scripts need a family outside the core)")
    blockers = collections.Counter(why for status, why in results.values() if status == "fails")
    for why, n in blockers.most_common(15):
        print(f"{n:3}  {why}")


if __name__ == "__main__":
    main()
