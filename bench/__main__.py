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

from bench._common import RESULTS_ENV

BENCHMARKS = {
    "import": "bench.bench_import",
    "overhead": "bench.bench_overhead",
    "evaluate": "bench.bench_evaluate",
    "optimizer": "bench.bench_optimizer",
    "dashboard": "bench.bench_dashboard",
    "memory": "bench.bench_memory",
    "embedded_model": "bench.bench_embedded_model",
    "retrieval": "bench.bench_retrieval",
}


def main(names: list[str], quick: bool = False) -> None:
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        raise SystemExit(f"Expected benchmark names among {', '.join(BENCHMARKS)}. "
                         f"Received: {', '.join(unknown)}")
    selected = names or list(BENCHMARKS)
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
        if hasattr(module, "run"):
            module.run(quick=quick)
        else:  # scripts with their own command line
            args = ["--quick"] if quick else []
            subprocess.run([sys.executable, "-m", BENCHMARKS[name], *args], check=True,
                           cwd=Path(__file__).parent.parent)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--results", help="folder for the JSON results")
    args = parser.parse_args()
    if args.results:
        os.environ[RESULTS_ENV] = str(Path(args.results).resolve())  # subprocesses too
    main(args.names, quick=args.quick)
