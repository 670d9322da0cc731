"""Run every benchmark: ``python -m bench`` (or ``python -m bench overhead dashboard``).

Each benchmark prints a table and writes ``bench/results/<name>.json``; every figure is a
ratio or a pair measured side by side in one run, with its target next to it.

Options: ``--quick`` runs each one small (seconds, for the CI smoke; the numbers mean
nothing), ``--results DIR`` writes the JSON files to DIR instead of ``bench/results``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench._common import RESULTS_ENV

BENCHMARKS = {
    "import": "bench.bench_import",
    "overhead": "bench.bench_overhead",
    "evaluate": "bench.bench_evaluate",
    "optimizer": "bench.bench_optimizer",
    "optimizers": "bench.bench_optimizers",
    "dashboard": "bench.bench_dashboard",
    "memory": "bench.bench_memory",
    "embedded_model": "bench.bench_embedded_model",
    "traces": "bench.bench_traces",
    "retrieval": "bench.bench_retrieval",
}


def main(names: list[str], quick: bool = False, options: list[str] | None = None) -> None:
    """Run the named benchmarks (all when none); ``options`` go to ``optimizers`` only."""
    options = options or []
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        raise SystemExit(f"Expected benchmark names among {', '.join(BENCHMARKS)}. "
                         f"Received: {', '.join(unknown)}")
    selected = names or list(BENCHMARKS)
    if options and selected != ["optimizers"]:
        raise SystemExit(f"Expected {' '.join(options)} only with the optimizers benchmark "
                         f"alone. Received benchmarks: {', '.join(selected)}")
    if len(selected) > 1:
        # One fresh interpreter per benchmark: what one leaves behind (imported modules,
        # threads, a grown heap) made the next one's CPU per sample up to 60 % higher.
        for name in selected:
            subprocess.run([sys.executable, "-m", "bench", name, *(["--quick"] if quick else [])],
                           check=True, cwd=Path(__file__).parent.parent)
        return
    for name in selected:
        module = importlib.import_module(BENCHMARKS[name])
        print(f"\n## {name}", flush=True)
        if name == "optimizers":
            module.run(quick=quick, dspy_only="--dspy-only" in options,
                       ours_only="--ours-only" in options, **_values(options))
        elif hasattr(module, "run"):
            module.run(quick=quick)
        else:  # scripts with their own command line
            args = ["--quick"] if quick else []
            subprocess.run([sys.executable, "-m", BENCHMARKS[name], *args], check=True,
                           cwd=Path(__file__).parent.parent)


def _values(options: list[str]) -> dict[str, Any]:
    """``--dspy-timeout=``, ``--tasks=``, ``--optimizers=``, ``--test-limit=`` and
    ``--dspy-adapter=`` as ``run()`` arguments."""
    values = dict(o[2:].split("=", 1) for o in options if "=" in o)
    out: dict[str, Any] = {}
    if "dspy-timeout" in values:
        out["dspy_timeout"] = float(values["dspy-timeout"])
    if "tasks" in values:
        out["tasks"] = values["tasks"].split(",")
    if "test-limit" in values:
        out["test_limit"] = int(values["test-limit"])
    if "optimizers" in values:
        out["optimizers"] = values["optimizers"].split(",")
    if "dspy-adapter" in values:
        out["dspy_adapter"] = values["dspy-adapter"]
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--results", help="folder for the JSON results")
    parser.add_argument("--dspy-only", action="store_true",
                        help="optimizers: run only DSPy's side")
    parser.add_argument("--ours-only", action="store_true",
                        help="optimizers: run only synalinks_nb's side")
    parser.add_argument("--dspy-timeout", type=float,
                        help="optimizers: seconds allowed to one DSPy compile (default 300)")
    parser.add_argument("--tasks", help="optimizers: some of topic,city,city_country")
    parser.add_argument("--optimizers", help="optimizers: some of ours, e.g. "
                        "RandomFewShot,BootstrapRandomSearch (default all)")
    parser.add_argument("--test-limit", type=int,
                        help="optimizers: score the first N test samples only (default all 48)")
    parser.add_argument("--dspy-adapter", choices=["tolerant", "default"],
                        help="optimizers: DSPy's ChatAdapter with a parser tolerant of "
                        "SmolLM2's slips (default), or DSPy's own")
    args = parser.parse_args()
    if args.results:
        os.environ[RESULTS_ENV] = str(Path(args.results).resolve())  # subprocesses too
    options = [*(["--dspy-only"] if args.dspy_only else []),
               *(["--ours-only"] if args.ours_only else []),
               *([f"--dspy-timeout={args.dspy_timeout}"] if args.dspy_timeout else []),
               *([f"--tasks={args.tasks}"] if args.tasks else []),
               *([f"--optimizers={args.optimizers}"] if args.optimizers else []),
               *([f"--test-limit={args.test_limit}"] if args.test_limit else []),
               *([f"--dspy-adapter={args.dspy_adapter}"] if args.dspy_adapter else [])]
    main(args.names, quick=args.quick, options=options)
