"""Committed notebooks carry outputs (for GitHub) but no saved widget state."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_outputs_and_no_widget_state(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, f"{path.name}: strip widget state before committing"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert any(c.outputs for c in code), f"{path.name}: run it before committing (outputs)"


def test_every_notebook_has_a_source() -> None:
    sources = {p.stem for p in (NOTEBOOKS[0].parent / "src").glob("*.py")} if NOTEBOOKS else set()
    assert {p.stem for p in NOTEBOOKS} == sources
