"""The headless report (``scripts/start.sh --headless``) opens offline and shows everything.

``report_html.export_html`` is checked on a hand-built executed notebook (no kernel);
``run_tutorials.py`` itself runs once on a small notebook in a real kernel (``kernel``
marker) to check what it prints.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLOTLY = "application/vnd.plotly.v1+json"
# Any <script>/<link> loading from the network, written independently of the module's check.
REMOTE_TAG = re.compile(r"<(script|link)\b[^>]*(src|href)=[\"']?(https?:)?//", re.IGNORECASE)
PLOTLY_LIBRARY = re.compile(r"\* plotly\.js v\d")  # the header comment of plotly.min.js


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report_html = _load("report_html")


def _figure(kind: str) -> dict[str, Any]:
    return {"data": [{"type": kind, "x": [1, 2], "y": [3, 4]}], "layout": {}}


def _executed_notebook() -> nbformat.NotebookNode:
    """What nbclient leaves: a widget output (view + fallback), two plotly figures."""
    widget = nbformat.v4.new_output(
        "display_data",
        data={
            "text/plain": "ProgramGraph(name='qa', nodes=2, edges=1)",
            WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/html": "<div><svg><title>qa graph fallback</title></svg></div>",
        },
    )
    plots = [nbformat.v4.new_output("display_data", data={PLOTLY: _figure(k)})
             for k in ("scatter", "bar")]
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("program", outputs=[widget]),
        nbformat.v4.new_code_cell("history.plot()", outputs=plots[:1]),
        nbformat.v4.new_code_cell("history.plot()", outputs=plots[1:]),
    ])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"abc": {"model_name": "AnyModel", "state": {}}},
        "version_major": 2, "version_minor": 0}}
    return nb


def test_stock_nbconvert_page_fetches_from_cdns() -> None:
    # The baseline the report replaces: the check below must see these, and the figures go.
    from nbconvert import HTMLExporter

    with pytest.warns(UserWarning, match="plotly"):
        page, _ = HTMLExporter().from_notebook_node(_executed_notebook())
    refs = report_html.network_references(page)
    assert any("require" in r for r in refs) and any("html-manager" in r for r in refs)
    assert REMOTE_TAG.search(page)


def test_report_page_has_no_network_reference() -> None:
    page = report_html.export_html(_executed_notebook())
    assert report_html.network_references(page) == []
    assert REMOTE_TAG.search(page) is None


def test_widgets_show_their_static_fallback() -> None:
    page = report_html.export_html(_executed_notebook())
    assert "qa graph fallback" in page
    assert WIDGET_VIEW not in page


def test_plotly_figures_drawn_with_the_shipped_library_once() -> None:
    page = report_html.export_html(_executed_notebook())
    assert page.count("Plotly.newPlot") == 2  # both figures drawn
    assert len(PLOTLY_LIBRARY.findall(page)) == 1  # the library inlined once
    assert "cdn.plot.ly/plotly" not in page


def test_the_notebook_itself_is_left_unchanged() -> None:
    nb = _executed_notebook()
    report_html.export_html(nb)
    assert WIDGET_VIEW in nb.cells[0].outputs[0].data and "widgets" in nb.metadata


@pytest.mark.kernel
def test_run_tutorials_prints_only_progress_and_the_report_path(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import synalinks_nb as sn\n"
        "v = sn.Variable(initializer={'instructions': 'Be brief.'}, data_model=sn.Instructions,"
        " name='instructions', module='gen')\n"
        "sn.notebook.VariableHistory(v)")])
    nbformat.write(nb, folder / "01_tiny.ipynb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "run_tutorials.py"), "--out",
         str(tmp_path / "out"), "--notebooks", str(folder), "01"],
        capture_output=True, text=True, env=env, timeout=300, check=True)
    index = tmp_path / "out" / "index.html"
    assert done.stdout.splitlines() == ["running 01_tiny.ipynb ...", f"Report written: {index}"]
    assert done.stderr == ""  # no kernel warning (TCP without encryption) or anything else
    page = (tmp_path / "out" / "01_tiny.html").read_text(encoding="utf-8")
    assert "<code>gen/instructions</code>" in page  # VariableHistory's fallback table
    assert report_html.network_references(page) == []
