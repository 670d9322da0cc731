"""Run every benchmark: ``python -m bench`` (or ``python -m bench overhead dashboard``).

Each benchmark prints a table and writes ``bench/results/<name>.json``; every figure is a
ratio or a pair measured side by side in one run, with its target next to it.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

BENCHMARKS = {
    "import": "bench.bench_import",
    "overhead": "bench.bench_overhead",
    "dashboard": "bench.bench_dashboard",
    "embedded_model": "bench.bench_embedded_model",
}


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        module = BENCHMARKS[name]
        print(f"\n## {name}", flush=True)
        if hasattr(importlib.import_module(module), "run"):
            importlib.import_module(module).run()
        else:  # scripts with their own command line
            subprocess.run([sys.executable, "-m", module], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
