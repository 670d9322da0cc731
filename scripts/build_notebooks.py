"""Build the tutorial notebooks from their sources in notebooks/src/, execute them, save them.

Each ``notebooks/src/NN_name.py`` is a percent-format script: ``# %% [markdown]`` cells
hold markdown (each line starting with ``# ``), ``# %%`` cells hold code. The built
notebook is executed in a fresh kernel (``SYNALINKS_NB_APPROVAL=accept``, so nothing waits
for a click), widget state is stripped from its metadata, and its outputs are kept so
GitHub shows the static fallbacks.

    python scripts/build_notebooks.py            # every notebook
    python scripts/build_notebooks.py 01 03      # the ones whose name starts so
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"


def parse(source: str) -> nbformat.NotebookNode:
    """Percent-format script -> notebook."""
    nb = nbformat.v4.new_notebook()
    for chunk in re.split(r"^# %%", source, flags=re.MULTILINE)[1:]:
        header, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if "[markdown]" in header:
            text = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                             for line in body.splitlines())
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(body))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def strip_widget_state(nb: nbformat.NotebookNode) -> None:
    """Remove saved widget state (a check in the tests enforces it)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def build(path: Path) -> Path:
    nb = parse(path.read_text(encoding="utf-8"))
    os.environ.setdefault("SYNALINKS_NB_APPROVAL", "accept")
    NotebookClient(nb, timeout=3600, kernel_name="python3",
                   resources={"metadata": {"path": str(OUT)}}).execute()
    strip_widget_state(nb)
    target = OUT / f"{path.stem}.ipynb"
    nbformat.write(nb, target)
    return target


def main(prefixes: list[str]) -> None:
    for path in sorted(SRC.glob("*.py")):
        if prefixes and not any(path.stem.startswith(p) for p in prefixes):
            continue
        print(f"building {path.name} ...", flush=True)
        print(f"  -> {build(path).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
