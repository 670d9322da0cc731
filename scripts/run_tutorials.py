"""The headless main job: execute the tutorials with the embedded model, write an HTML report.

    python scripts/run_tutorials.py [--out DIR] [--notebooks DIR] [PREFIX ...]

Runs the quickstart and training tutorials by default (all of them with ``all``) in a
fresh kernel, with ``SYNALINKS_NB_APPROVAL=accept`` so nothing waits for a click, and
writes one self-contained HTML page per notebook (``report_html.py``: no network
references, widgets shown by their static fallback, plotly figures inlined) plus an index,
then prints where the index is. Kernels talk over IPC (Unix sockets in a private temporary
folder), not unencrypted TCP, so ipykernel has nothing to warn about.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_html import export_html  # a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["01", "03"]  # the quickstart and training tutorials


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    """Run every cell of ``nb`` in a fresh kernel reached over IPC sockets."""
    with tempfile.TemporaryDirectory(prefix="sn-kernel-") as sockets:
        manager = KernelManager(kernel_name="python3", transport="ipc",
                                ip=str(Path(sockets) / "kernel"))
        try:
            NotebookClient(nb, km=manager, timeout=900,
                           resources={"metadata": {"path": str(cwd)}}).execute()
        finally:  # a client given its manager leaves the kernel running
            if manager.has_kernel:
                manager.shutdown_kernel()


def run(prefixes: list[str], out: Path, folder: Path = ROOT / "notebooks") -> Path:
    os.environ.setdefault("SYNALINKS_NB_APPROVAL", "accept")
    out.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(folder.glob("*.ipynb"))
    if prefixes != ["all"]:
        notebooks = [p for p in notebooks if any(p.name.startswith(x) for x in prefixes)]
    rows = []
    for path in notebooks:
        print(f"running {path.name} ...", flush=True)
        nb = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        execute(nb, path.parent)
        elapsed = time.perf_counter() - started
        target = out / f"{path.stem}.html"
        target.write_text(export_html(nb), encoding="utf-8")
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
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the folder of notebooks to run (default: the tutorials)")
    args = parser.parse_args()
    index = run(args.prefixes or DEFAULT, args.out, args.notebooks)
    print(f"Report written: {index}")


if __name__ == "__main__":
    main()
