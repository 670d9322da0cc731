"""The headless main job: execute the tutorials with the embedded model, write an HTML report.

    python scripts/run_tutorials.py [--out DIR] [PREFIX ...]

Runs the quickstart and training tutorials by default (all of them with ``all``) in a
fresh kernel, with ``SYNALINKS_NB_APPROVAL=accept`` so nothing waits for a click, and
writes one HTML page per notebook plus an index, then prints where the index is.
"""

from __future__ import annotations

import argparse
import html
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["01", "03"]  # the quickstart and training tutorials


def run(prefixes: list[str], out: Path) -> Path:
    os.environ.setdefault("SYNALINKS_NB_APPROVAL", "accept")
    out.mkdir(parents=True, exist_ok=True)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if prefixes != ["all"]:
        notebooks = [p for p in notebooks if any(p.name.startswith(x) for x in prefixes)]
    rows = []
    for path in notebooks:
        print(f"running {path.name} ...", flush=True)
        nb = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        elapsed = time.perf_counter() - started
        body, _ = HTMLExporter().from_notebook_node(nb)
        target = out / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        rows.append((path.stem, target.name, elapsed))
    index = out / "index.html"
    items = "".join(f"<li><a href='{html.escape(t)}'>{html.escape(n)}</a> ({s:.1f} s)</li>"
                    for n, t, s in rows)
    index.write_text(f"<!doctype html><title>synalinks_nb tutorials</title>"
                     f"<h1>synalinks_nb tutorials</h1><ul>{items}</ul>", encoding="utf-8")
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("prefixes", nargs="*", default=DEFAULT)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    index = run(args.prefixes or DEFAULT, args.out)
    print(f"Report written: {index}")


if __name__ == "__main__":
    main()
