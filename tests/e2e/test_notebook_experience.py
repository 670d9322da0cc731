"""What a person sees and does in JupyterLab, in a real browser (issue #9).

One notebook (``notebook_cells.py``), one scenario in four steps that run in
order on the same page; a step whose predecessor failed is skipped:

1. the program's graph widget draws every module; clicking the Generator
   ``classify`` opens the side panel with its instructions;
2. ``await program.fit(..., callbacks=[dash], approval="human")``: the reward
   chart grows while the cell still runs, Accept applies a proposal, Edit with
   invalid JSON (then with a value the schema refuses) shows the error and
   changes nothing, Reject discards, a valid Edit applies the edited value;
   later cells print what the kernel holds;
3. Revert on a history row restores that version (printed by a later cell);
4. under JupyterLab Dark, the same widgets (with a fresh proposal waiting)
   keep readable text.

Text contrast is measured in both themes (:meth:`Lab.contrast`): WCAG AA,
4.5:1 (3:1 for large text). Screenshots go to ``reports/screenshots/``.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need playwright: pip install -e '.[dev]'"
)

from playwright.sync_api import Locator, expect  # noqa: E402

from .lab import TIMEOUT_MS, Lab  # noqa: E402
from .notebook_cells import CELL, tagged  # noqa: E402

pytestmark = pytest.mark.e2e

VARIABLE = "classify/instructions"
EDITED = "Name the category of the item, in capitals."
LIGHT, DARK = "JupyterLab Light", "JupyterLab Dark"
BATCHES = 12  # 3 epochs of 24 training examples in batches of 6: one proposal each

GRAPH_TEXT = {
    "node name": '[data-node-id="classify"] .sn-node-name',
    "node type": '[data-node-id="explain"] .sn-node-type',
    "trainable badge": '[data-node-id="classify"] .sn-badge-trainable text',
    "title": ".sn-title",
    "Fit button": "[data-testid=sn-fit]",
    "side panel heading": "[data-testid=sn-side-panel] h4",
    "side panel note": "[data-testid=sn-side-panel] .sn-muted",
    "side panel value": "[data-testid=sn-side-panel] .sn-var pre",
}
DASHBOARD_TEXT = {
    "status line": "[data-testid=sn-status]",
    "Accept button": "[data-testid=sn-pending] [data-testid=sn-accept]",
    "Edit button": "[data-testid=sn-pending] [data-testid=sn-edit]",
    "Reject button": "[data-testid=sn-pending] [data-testid=sn-reject]",
    "Accept all button": "[data-testid=sn-accept-all]",
    "proposal variable": "[data-testid=sn-pending] .sn-variable-path",
    "proposal epoch": "[data-testid=sn-pending] .sn-proposal-head .sn-muted",
    "proposal status": "[data-testid=sn-pending] [data-testid=sn-proposal-status]",
    "reward change": "[data-testid=sn-pending] .sn-rewards > span",
    "diff": "[data-testid=sn-pending] [data-testid=sn-diff] pre",
    "chart tick": "[data-testid=sn-chart] .sn-tick",
    "chart legend": "[data-testid=sn-chart] .sn-legend-item",
    "usage table": "[data-testid=sn-usage] td",
    "history table": "[data-testid=sn-history] td",
    "Revert button": "[data-testid=sn-revert]",
    "current version": "[data-testid=sn-history] .sn-current .sn-muted",
    "node under review": ".sn-node--highlight .sn-node-name",
}


# -- helpers -------------------------------------------------------------------------------


def graph_widget(lab: Lab) -> Locator:
    return lab.cell(CELL["graph"]).locator(".sn-program-graph")


def dashboard(lab: Lab) -> Locator:
    return lab.cell(CELL["dashboard"]).locator(".sn-dashboard")


def pending_card(dash: Locator, seen: set[str]) -> tuple[Locator, str]:
    """Wait for a pending proposal not in ``seen``; returns its card and id."""
    exclude = "".join(f':not([data-proposal-id="{pid}"])' for pid in sorted(seen))
    card = dash.locator(f"[data-testid=sn-pending] [data-testid=sn-proposal]{exclude}")
    expect(card).to_have_count(1)
    # Shown when made, the card gets its rewards once the proposal is scored.
    expect(card.locator(".sn-rewards > span")).to_be_visible()
    pid = card.get_attribute("data-proposal-id")
    assert pid, "a proposal card carries its id"
    seen.add(pid)
    return dash.locator(f'[data-testid=sn-proposal][data-proposal-id="{pid}"]'), pid


def wait_points(lab: Lab, dash: Locator, at_least: int) -> int:
    """Wait until the chart draws ``at_least`` training points; returns how many it draws."""
    chart = dash.get_by_test_id("sn-chart")
    lab.page.wait_for_function(
        "([el, n]) => Number(el.dataset.trainPoints) >= n",
        arg=[chart.element_handle(), at_least],
    )
    return int(chart.get_attribute("data-train-points") or 0)


def open_flipped_samples(card: Locator) -> None:
    """The card says which samples of its batch the proposal fixes and breaks; the line
    opens the list, and a listed sample opens its trace (traces are on in a kernel)."""
    flips = card.get_by_test_id("sn-batch-flips")
    summary = flips.locator("summary")
    expect(summary).to_have_text(re.compile(r"fixes \d+ · breaks \d+ on its batch"))
    fixed, broken = map(int, re.findall(r"\d+", summary.inner_text()))
    summary.click()
    rows = flips.get_by_test_id("sn-flip-row")
    expect(rows).to_have_count(min(fixed, 20) + min(broken, 20))
    if fixed + broken:
        rows.first.get_by_role("button", name="Open trace (after)").click()
        expect(flips.get_by_test_id("sn-trace-panel").get_by_test_id("sn-trace")).to_be_visible()


def added_examples(card: Locator) -> list[Any]:
    """The few-shot examples the card's diff shows as added (its ``+`` blocks)."""
    blocks = card.locator(".sn-diff-added").all_inner_texts()
    return [json.loads(text.removeprefix("+ ")) for text in blocks]


def assert_readable(lab: Lab, root: Locator, targets: dict[str, str], theme: str) -> None:
    """Every target's text reaches WCAG AA contrast against its background."""
    failures = []
    for name, selector in targets.items():
        element = root.locator(selector).first
        expect(element).to_be_attached()
        c = lab.contrast(element)
        need = 3.0 if c["large"] else 4.5
        if not c["opaque"] or c["ratio"] < need:
            failures.append(
                f"{name} ({selector}, {c['text']!r}): {c['ratio']:.2f} < {need} — text "
                f"{c['fg']} ({c['color']}) on {c['bg']} (layers {c['layers']}), "
                f"{c['fontSize']}px"
            )
    assert not failures, f"Unreadable text under {theme}:\n" + "\n".join(failures)


def assert_inside(element: Locator, container: Locator) -> None:
    """``element`` is drawn within ``container``'s box: not cut off or scrolled aside."""
    inner, outer = element.bounding_box(), container.bounding_box()
    assert inner and outer, "both are displayed"
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer[
        "width"
    ], f"{inner} lies outside {outer}"


def by_json(values: list[Any]) -> list[str]:
    """Comparable JSON texts (JavaScript prints 1.0 as 1: every number becomes a float)."""
    same = [json.loads(json.dumps(v), parse_int=float) for v in values]
    return sorted(json.dumps(v, sort_keys=True) for v in same)


# -- the scenario --------------------------------------------------------------------------


def test_graph_draws_every_module_and_opens_the_generator_panel(lab: Lab) -> None:
    setup = tagged(lab.run_cell(CELL["setup"]), "SETUP")
    assert setup["python"] == sys.executable, "the notebook kernel runs this interpreter"
    lab.facts["setup"] = setup
    lab.done.add("setup")

    lab.run_cell(CELL["graph"])
    widget = graph_widget(lab)
    nodes = widget.get_by_test_id("sn-node")
    expect(nodes).to_have_count(len(setup["nodes"]))
    drawn = [n.get_attribute("data-node-id") for n in nodes.all()]
    assert sorted(drawn, key=str) == sorted(setup["nodes"])

    panel = widget.get_by_test_id("sn-side-panel")
    expect(panel).to_be_hidden()
    classify = widget.locator('[data-testid=sn-node][data-node-id="classify"]')
    classify.click()
    expect(classify).to_have_attribute("aria-pressed", "true")
    expect(panel).to_be_visible()
    expect(panel.locator("h4")).to_have_text("classify")
    value = panel.locator(f'.sn-var[data-variable-path="{VARIABLE}"] pre')
    expect(value).to_contain_text(setup["value"]["instructions"])
    expect(value).to_be_in_viewport()  # not scrolled away below the schemas
    # The widget's styles win over JupyterLab's output-area `pre` (break-all, no padding).
    expect(value).to_have_css("word-break", "break-word")
    expect(value).to_have_css("padding-left", "6px")

    assert_readable(lab, widget, GRAPH_TEXT, LIGHT)
    lab.screenshot(widget, "graph", docs=True)
    lab.done.add("graph")


def test_dashboard_updates_live_and_applies_human_decisions(lab: Lab) -> None:
    lab.require("setup")
    lab.run_cell(CELL["dashboard"])
    dash = dashboard(lab)
    status = dash.get_by_test_id("sn-status")
    history_rows = dash.locator("[data-testid=sn-history] tbody tr")
    expect(status).to_have_attribute("data-state", "idle")
    expect(history_rows).to_have_count(1)
    seen: set[str] = set()

    fit_prompt = lab.prompt(CELL["fit"])
    lab.run_cell(CELL["fit"], wait=False)

    # 1. Accept: the examples shown as added are what the variable gets.
    card, first = pending_card(dash, seen)
    expect(status).to_have_attribute("data-state", "waiting")
    expect(card.locator(".sn-proposal-head")).to_contain_text("epoch 1, batch 1")
    shown = added_examples(card)
    assert shown, "the first proposal adds few-shot examples"
    open_flipped_samples(card)
    card.get_by_test_id("sn-accept").click()
    expect(card.get_by_test_id("sn-proposal-status")).to_have_text("accepted (human)")
    expect(history_rows).to_have_count(2)
    # The history counts epochs and batches from 1, like the proposal did.
    expect(history_rows.nth(1)).to_contain_text("1 / 1")

    # The chart draws batch 1 while the cell still runs (it waits for the next decision).
    card, second = pending_card(dash, seen)
    assert wait_points(lab, dash, 1) >= 1
    lab.expect_running(CELL["fit"])

    # 2. Edit: invalid JSON is refused in the page, a value against the schema by the
    #    kernel; the proposal stays pending and nothing changes. Then Reject.
    card.get_by_test_id("sn-edit").click()
    editor = card.get_by_test_id("sn-edit-input")
    expect(editor).to_be_focused()
    error = card.get_by_test_id("sn-edit-error")
    editor.fill('{"instructions": "no closing brace"')
    card.get_by_test_id("sn-edit-save").click()
    expect(error).to_be_visible()
    expect(error).to_contain_text("Not valid JSON")
    editor.fill(json.dumps({"instructions": 42, "examples": []}))
    card.get_by_test_id("sn-edit-save").click()
    expect(error).to_contain_text("instructions")
    assert_readable(lab, card, {"edit error": "[data-testid=sn-edit-error]"}, LIGHT)
    expect(card.get_by_test_id("sn-proposal-status")).to_have_text("pending")
    expect(history_rows).to_have_count(2)
    card.get_by_test_id("sn-edit-cancel").click()
    card.get_by_test_id("sn-reject").click()
    expect(card.get_by_test_id("sn-proposal-status")).to_have_text("rejected (human)")

    card, third = pending_card(dash, seen)
    assert wait_points(lab, dash, 2) >= 2
    lab.expect_running(CELL["fit"])
    expect(history_rows).to_have_count(2)

    # 3. A valid edit is applied as edited.
    card.get_by_test_id("sn-edit").click()
    editor = card.get_by_test_id("sn-edit-input")
    edited = {**json.loads(editor.input_value()), "instructions": EDITED}
    editor.fill(json.dumps(edited, indent=2))
    card.get_by_test_id("sn-edit-save").click()
    expect(card.get_by_test_id("sn-proposal-status")).to_have_text("edited (human)")

    # Decide like a reviewer (accept what does not lower the reward) until the chart has a
    # curve and a proposal improves it: the screenshot the README shows (the run is
    # seeded, so it is always the same one).
    while True:
        card, _pid = pending_card(dash, seen)
        points = wait_points(lab, dash, len(seen) - 1)
        change = float(card.locator(".sn-rewards > span").inner_text().strip("() "))
        if (points >= 6 and change > 0) or len(seen) == BATCHES:
            break
        card.get_by_test_id("sn-accept" if change >= 0 else "sn-reject").click()
    lab.expect_running(CELL["fit"])
    assert_readable(lab, dash, DASHBOARD_TEXT, LIGHT)
    lab.screenshot(dash, "dashboard", docs=True)

    dash.get_by_test_id("sn-accept-all").click()
    fit = tagged(lab.wait_cell(CELL["fit"], fit_prompt, timeout_ms=3 * TIMEOUT_MS), "FIT")
    assert fit["mode"] == "human", fit
    expect(status).to_have_attribute("data-state", "done")
    expect(dash.get_by_test_id("sn-chart")).to_have_attribute("data-train-points", str(BATCHES))
    expect(dash.get_by_test_id("sn-chart")).to_have_attribute("data-val-points", "3")

    report = tagged(lab.run_cell(CELL["report"]), "REPORT")
    versions = report["versions"]
    assert [v["source"] for v in versions[:3]] == ["init", "optimizer", "edit"], versions
    assert versions[1]["decided_by"] == "human"
    assert by_json(versions[1]["value"]["examples"]) == by_json(shown)
    # The refused edits and the rejection left no version: the next one is the edit.
    assert versions[2]["value"] == edited
    assert report["proposals"][first] == "accepted"
    assert report["proposals"][second] == "rejected"
    assert report["proposals"][third] == "edited"
    expect(history_rows).to_have_count(len(versions))
    # One validation point per epoch, drawn above the epoch's last batch (4 per epoch).
    assert [x for x, _ in report["series"]["val_reward"]] == [4, 8, 12]
    lab.facts["report"] = report
    lab.facts["proposals"] = seen
    lab.done.add("trained")


def test_revert_restores_an_earlier_version(lab: Lab) -> None:
    lab.require("trained")
    versions = lab.facts["report"]["versions"]
    history = dashboard(lab).get_by_test_id("sn-history")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(len(versions))
    row = history.locator(f'tr[data-variable-path="{VARIABLE}"][data-index="1"]')
    button = row.get_by_test_id("sn-revert")
    assert_inside(button, dashboard(lab))
    button.click()

    expect(rows).to_have_count(len(versions) + 1)
    newest = history.locator(f'tr[data-index="{len(versions)}"]')
    expect(newest).to_have_class(re.compile(r"\bsn-current\b"))
    expect(newest).to_contain_text("revert")

    value = tagged(lab.run_cell(CELL["value"]), "VALUE")
    assert value["value"] == versions[1]["value"]
    assert value["value"] != versions[-1]["value"], "the revert changed the value"
    assert value["last_source"] == "revert"
    assert value["versions"] == len(versions) + 1
    lab.done.add("reverted")


def test_dark_theme_keeps_text_readable(lab: Lab) -> None:
    lab.require("graph", "trained")
    lab.set_theme(DARK)
    try:
        widget = graph_widget(lab)
        expect(widget.get_by_test_id("sn-side-panel")).to_be_visible()
        assert_readable(lab, widget, GRAPH_TEXT, DARK)
        lab.screenshot(widget, "graph-dark")

        # Train again, so a proposal waits with its buttons and diff.
        dash = dashboard(lab)
        fit_prompt = lab.prompt(CELL["fit"])
        lab.run_cell(CELL["fit"], wait=False)
        card, _pid = pending_card(dash, set(lab.facts["proposals"]))
        empty = {"empty chart": "[data-testid=sn-chart] .sn-chart-empty"}
        assert_readable(lab, dash, {**DASHBOARD_TEXT, **empty}, DARK)
        lab.screenshot(dash, "dashboard-dark")
        card.get_by_test_id("sn-edit").click()
        card.get_by_test_id("sn-edit-input").fill("{")
        card.get_by_test_id("sn-edit-save").click()
        expect(card.get_by_test_id("sn-edit-error")).to_be_visible()
        assert_readable(lab, card, {"edit error": "[data-testid=sn-edit-error]"}, DARK)
        card.get_by_test_id("sn-edit-cancel").click()
        dash.get_by_test_id("sn-accept-all").click()
        lab.wait_cell(CELL["fit"], fit_prompt, timeout_ms=3 * TIMEOUT_MS)
        expect(dash.get_by_test_id("sn-status")).to_have_attribute("data-state", "done")
    finally:
        lab.set_theme(LIGHT)
