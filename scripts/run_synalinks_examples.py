"""Measure how many of Synalinks' own example and guide scripts run on synalinks_nb.

Each ``examples/*.py`` and ``guides/*.py`` of a Synalinks repository snapshot (a bare git
directory) runs in its own Python process, in a fresh temporary folder, with:

* ``synalinks`` bound to ``synalinks_nb`` (``import synalinks`` gets this package);
* every ``LanguageModel`` replaced by a ``ScriptedLanguageModel`` that answers any schema
  with a schema-valid placeholder (lists of plain strings hold one word, ``"x"``, so a
  retriever has a search to run), and every ``EmbeddingModel`` by one that returns a
  vector made from the text's characters (no provider, no network);
* ``dotenv.load_dotenv`` a no-op when python-dotenv is not installed;
* ``enable_observability(tracking_uri="http://localhost:...")`` (a tracking server the
  script expects on this machine) records to an MLflow SQLite store in the temporary
  folder instead.

Nothing else is changed. Scripts that need a family outside the core (knowledge bases,
datasets, sandboxes and the agents built on them, MCP, tuners, web servers) are counted
apart. The scripts are only run for measurement; none of their code is kept here.

With ``--all`` those run too, with the same scripted LM and fake embeddings, except:

* scripts that fetch data from the internet (Hugging Face datasets, images by URL) are
  reported "needs network", unless every dataset they load is one the runner writes a
  small local copy of (``LOCAL_COPIES``: made-up rows in the Hub's columns, in the folder
  ``HuggingFaceDataset`` reads under the script's ``SYNALINKS_NB_HOME``);
* families kept apart, each for a reason printed with it (code sandboxes and the agents
  built on them, web-server deployments, helper scripts other scripts start).

A script's sibling helper (``mcp_math_server.py``, named in its source) is copied next to
it, and the interpreter's folder leads ``PATH``. An MCP server a script starts as
``python`` runs on this interpreter (with the official ``mcp`` package when installed),
or on ``--mcp-python PY``: Synalinks' example server is written for mcp 1.x's
``Server.list_tools()`` decorators, which mcp 2.x removed, so with mcp 2.x it needs an
interpreter that has ``mcp<2`` (our client speaks to either).

    python scripts/run_synalinks_examples.py                  # default snapshot, core only
    python scripts/run_synalinks_examples.py --all            # every family
    python scripts/run_synalinks_examples.py --repo DIR --timeout 300 --only 0_first
"""

from __future__ import annotations

import argparse
import collections
import json
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
# Families kept apart under --all, by what the code uses (not what the prose names), first
# match wins: (pattern, why).
APART = (
    (re.compile(r"synalinks\.PythonSynthesis\b|Sandbox\("),
     "runs model-written Python in a code sandbox: no sandbox here"),
    (re.compile(r"synalinks\.RLM\b"),
     "the RLM agent runs model-written code in a sandboxed REPL: no sandbox here"),
    (re.compile(r"synalinks\.DeepAgent\b"),
     "the deep agent works in a copy-on-write sandbox filesystem with bash: no sandbox here"),
    (re.compile(r"^\s*(?:import|from) (?:fastapi|fastmcp)\b", re.MULTILINE),
     "deploys the program behind a web server (FastAPI/uvicorn, fastmcp) and serves requests"),
)
# Data fetched from the internet when the script runs (not merely named in its text).
NETWORK = re.compile(
    r"synalinks\.datasets\.\w+\.load_data\(|load_split\(|HuggingFaceDataset\(|PHOTO_URL"
)
# Small made-up copies of the Hugging Face datasets the scripts load, by the folder
# HuggingFaceDataset reads (``<home>/datasets/huggingface/<path>/<config>``): row, split.
# Enough rows for the guides' slices (guide 17: 12 train + 6 validation).
_GSM8K = [{"question": f"Ann has {n} apples and buys {n + 1} more. How many does she have?",
           "answer": f"{n} + {n + 1} = {2 * n + 1}\n#### {2 * n + 1}"} for n in range(1, 41)]
_EMOTION = [{"text": f"i feel {word} today", "label": label}
            for label, word in enumerate(["sad", "happy", "loving", "angry", "scared",
                                          "surprised"] * 2)]
LOCAL_COPIES: dict[str, list[dict[str, object]]] = {
    "gsm8k/main": _GSM8K, "dair-ai/emotion/default": _EMOTION}
# Which local copy a loader module reads (``synalinks.datasets.gsm8k.load_data()``).
LOADER_COPIES = {"gsm8k": "gsm8k/main"}
HUB_PATH = re.compile(r"""\bpath=["']([\w./-]+)["']""")
LOADER = re.compile(r"synalinks\.datasets\.(\w+)\.(?:load_data|iterable_dataset)\(")


def served_locally(source: str) -> bool:
    """Whether every dataset the script loads is one the runner copies (and no photo URL)."""
    if "PHOTO_URL" in source:
        return False
    copies = {c.rsplit("/", 1)[0] for c in LOCAL_COPIES}
    loaders = set(LOADER.findall(source))
    return loaders <= set(LOADER_COPIES) and set(HUB_PATH.findall(source)) <= copies


def write_local_copies(home: Path) -> None:
    """The ``LOCAL_COPIES`` as train/validation/test JSON Lines files under ``home``."""
    for folder, rows in LOCAL_COPIES.items():
        target = home / "datasets" / "huggingface" / folder
        target.mkdir(parents=True, exist_ok=True)
        for split in ("train", "validation", "test"):
            text = "".join(json.dumps(row) + "\n" for row in rows)
            (target / f"{split}.jsonl").write_text(text, encoding="utf-8")


BOOT = r"""
import runpy, sys, types
import synalinks_nb
sys.modules["synalinks"] = synalinks_nb
try:
    import dotenv  # noqa: F401
except ImportError:
    sys.modules["dotenv"] = types.SimpleNamespace(load_dotenv=lambda *a, **k: True)


Scripted = synalinks_nb.ScriptedLanguageModel
from synalinks_nb.language_models.scripted import example_from_schema


def with_words(node):  # the schema, each list of plain strings asked for one word
    if isinstance(node, list):
        return [with_words(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: with_words(v) for k, v in node.items()}
    items = node.get("items")
    if node.get("type") == "array" and isinstance(items, dict) and \
            items.get("type") == "string" and "enum" not in items:
        node["minItems"] = max(1, node.get("minItems", 0))
        node["items"] = {**items, "minLength": max(1, items.get("minLength", 0))}
    return node


class ScriptedLanguageModel(Scripted):  # same class name: a saved program loads it back
    def __init__(self, model=None, **kwargs):
        super().__init__(name=kwargs.get("name") or "fake")

    async def _generate(self, messages, schema, settings):
        answer = await super()._generate(messages, schema, settings)
        return example_from_schema(with_words(schema)) if schema is not None else answer


class EmbeddingModel(synalinks_nb.EmbeddingModel):
    def __init__(self, model=None, **kwargs):
        super().__init__(name=kwargs.get("name") or "fake-embeddings")

    async def _embed(self, batch):
        return [[float(sum(map(ord, t)) % (i + 7)) for i in range(16)] for t in batch], 0


synalinks_nb.LanguageModel = ScriptedLanguageModel
synalinks_nb.language_models.LanguageModel = ScriptedLanguageModel
synalinks_nb.EmbeddingModel = EmbeddingModel
synalinks_nb.language_models.EmbeddingModel = EmbeddingModel

import os
SERVER_PYTHON = os.environ.get("RUN_SYNALINKS_EXAMPLES_MCP_PYTHON")
if SERVER_PYTHON:
    class MultiServerMCPClient(synalinks_nb.MultiServerMCPClient):
        def __init__(self, connections=None):
            super().__init__({
                name: {**c, "command": SERVER_PYTHON} if c.get("command") == "python" else c
                for name, c in (connections or {}).items()})

    synalinks_nb.MultiServerMCPClient = MultiServerMCPClient
    synalinks_nb.mcp.MultiServerMCPClient = MultiServerMCPClient

# A tracking server on this machine (no one runs one here) becomes a local MLflow store.
_enable_observability = synalinks_nb.enable_observability


def enable_observability(tracking_uri=None, **kwargs):
    if tracking_uri and tracking_uri.startswith(("http://localhost", "http://127.0.0.1")):
        tracking_uri = "sqlite:///" + os.path.abspath("mlflow.db")
    return _enable_observability(tracking_uri=tracking_uri, **kwargs)


synalinks_nb.enable_observability = enable_observability
synalinks_nb.config.enable_observability = enable_observability
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
    # An exception group ends on box drawing: its last error line says more.
    errors = [m.group(1) for line in lines
              if (m := re.match(r"^[\s|+]*([\w.]+(?:Error|Exception)\b.*)", line))]
    last = lines[-1] if lines else "no output"
    if errors and not re.search(r"\w", last.strip(" |+-")):
        last = errors[-1]
    missing = re.search(r"has no attribute '(\w+)'", last)
    return f"missing name {missing.group(1)}" if missing else last[:160]


def triage(path: str, source: str, every: bool) -> tuple[str, str] | None:
    """Why a script is not run, or None to run it."""
    if not NOT_CORE.search(source):
        return None
    if not every:
        return "not core", ""
    if not Path(path).name[0].isdigit():
        return "apart", "helper: a server another script starts (not a scenario)"
    for pattern, why in APART:
        if pattern.search(source):
            return "apart", why
    if NETWORK.search(source) and not served_locally(source):
        return "network", "needs network: fetches a dataset or an image from the internet"
    return None


def helpers(repo: Path, path: str, source: str) -> dict[str, str]:
    """Sibling scripts the source names (``mcp_math_server.py``), by file name."""
    folder = str(Path(path).parent)
    names = git(repo, "ls-tree", "--name-only", "HEAD", f"{folder}/").split()
    return {Path(n).name: git(repo, "show", f"HEAD:{n}") for n in names
            if n.endswith(".py") and not Path(n).name[0].isdigit()
            and Path(n).name != "__init__.py" and Path(n).name in source}


def run(repo: Path, path: str, timeout: float, every: bool = False,
        mcp_python: str = "") -> tuple[str, str]:
    source = git(repo, "show", f"HEAD:{path}")
    skipped = triage(path, source, every)
    if skipped:
        return skipped
    with tempfile.TemporaryDirectory() as tmp:
        for folder in ("examples", "guides"):
            Path(tmp, folder).mkdir()
        script = Path(tmp, Path(path).name)
        script.write_text(source, encoding="utf-8")
        for name, text in helpers(repo, path, source).items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        write_local_copies(Path(tmp, "home"))
        env = {**os.environ, "SYNALINKS_NB_HOME": str(Path(tmp, "home")),
               "SYNALINKS_NB_APPROVAL": "accept", "PYTHONPATH": os.pathsep.join(sys.path),
               # the `python` a script starts (an MCP server) is this interpreter
               "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                        os.environ.get("PATH", "")])}
        if mcp_python:
            env["RUN_SYNALINKS_EXAMPLES_MCP_PYTHON"] = mcp_python
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
    parser.add_argument("--timeout", type=float, default=300.0)  # example 8 traces to MLflow
    parser.add_argument("--only", default="", help="run the scripts whose path contains this")
    parser.add_argument("--all", action="store_true",
                        help="also run the knowledge-base, dataset, MCP and tuner scripts")
    parser.add_argument("--mcp-python", default="",
                        help="interpreter for the MCP servers the scripts start as `python` "
                             "(Synalinks' example server needs mcp 1.x's Server decorators)")
    args = parser.parse_args()
    results = {p: run(args.repo, p, args.timeout, args.all, args.mcp_python)
               for p in scripts(args.repo) if args.only in p}
    for path, (status, why) in results.items():
        print(f"{status:9} {path}  {why}")
    summarize(results, args.repo)


def summarize(results: dict[str, tuple[str, str]], repo: Path) -> None:
    """Core and (with --all) every-family counts, then the most common blockers."""
    core = {p: r for p, r in results.items()
            if not NOT_CORE.search(git(repo, "show", f"HEAD:{p}"))}
    core_runs = sum(status == "runs" for status, _ in core.values())
    print(f"\n{core_runs} of {len(core)} core scripts run to the end "
          f"({len(results) - len(core)} scripts need a family outside the core)")
    counts = collections.Counter(status for status, _ in results.values())
    if counts["not core"] == 0 and len(results) > len(core):
        tried = len(results) - counts["apart"] - counts["network"]
        print(f"{counts['runs']} of {tried} scripts of every family run to the end "
              f"({counts['network']} need the network, {counts['apart']} kept apart)")
    blockers = collections.Counter(why for status, why in results.values() if status == "fails")
    for why, n in blockers.most_common(15):
        print(f"{n:3}  {why}")


if __name__ == "__main__":
    main()
