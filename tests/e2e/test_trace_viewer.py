"""TraceViewer in a real browser: an evaluation's rows, the failures filter, a row's trace.

Runs the scenario notebook's setup cell, then ``evaluate(..., return_results=True)`` on 8
samples displayed in a :class:`~synalinks_nb.notebook.TraceViewer`; the test filters the
failures, opens the first one's trace and reads the prompt the model received.
"""

from __future__ import annotations

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need playwright: pip install -e '.[dev]'"
)

from playwright.sync_api import expect  # noqa: E402

from .lab import Lab  # noqa: E402
from .notebook_cells import CELL, tagged  # noqa: E402

pytestmark = pytest.mark.e2e


def test_an_evaluation_row_opens_its_trace(lab: Lab) -> None:
    tagged(lab.run_cell(CELL["setup"]), "SETUP")
    report = tagged(lab.run_cell(CELL["inspect"]), "INSPECT")
    viewer = lab.cell(CELL["inspect"]).locator(".sn-trace-viewer")
    rows = viewer.get_by_test_id("sn-eval-row")
    expect(rows).to_have_count(8)

    viewer.get_by_test_id("sn-filter-failures").click()
    expect(rows).to_have_count(len(report["failures"]))
    assert report["failures"], "the untrained program fails some samples"
    first = report["failures"][0]
    row = viewer.locator(f'[data-testid=sn-eval-row][data-index="{first}"]')
    row.get_by_test_id("sn-open-trace").click()

    panel = viewer.get_by_test_id("sn-trace-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("sn-trace-span").first).to_contain_text("item_classifier")
    # The root span is open; the Generator's span opens on a click, showing its prompt.
    classify = panel.locator(
        "details[data-testid=sn-trace-span]:has(> summary:has-text('classify (Generator)'))")
    expect(classify).to_have_count(1)
    expect(classify).not_to_have_attribute("open", "")
    classify.locator("> summary").click()
    expect(classify).to_have_attribute("open", "")
    messages = classify.locator("> [data-testid=sn-lm-call] > [data-testid=sn-trace-message]")
    expect(messages.first).to_be_visible()
    expect(messages.first).to_contain_text("Name the category of the item.")
    expect(messages.last).to_contain_text(report["items"][first])
    lab.screenshot(viewer, "trace-viewer")


def test_an_agent_trace_shows_its_steps(lab: Lab) -> None:
    lab.run_cell(CELL["setup"])
    lab.run_cell(CELL["agent"])
    viewer = lab.cell(CELL["agent"]).locator(".sn-trace-viewer")
    table = viewer.get_by_test_id("sn-agent-run")
    expect(table).to_be_visible()
    expect(table).to_contain_text("the model stopped calling tools and answered")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text('double{"x":21}{"result":42}')
    expect(rows.last).to_contain_text("(no tool: answer)")
    # The tool call is also a span of its own under the agent's.
    expect(viewer.locator("summary:has-text('double (Tool)')")).to_have_count(1)
    lab.screenshot(table, "agent-steps")
