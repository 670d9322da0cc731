"""The static HTML of the widgets shows what their views show."""

from __future__ import annotations

import json
import re
from pathlib import Path

from synalinks_nb.notebook.reprs import dashboard_html, usage_table

VIEW = Path(__file__).resolve().parents[2] / "js" / "training_dashboard.ts"

USAGE = {
    "inference": {"calls": 1200, "prompt_tokens": 50, "completion_tokens": 7, "cost": 0.5,
                  "cache_hits": 3},
    "optimizer": {"calls": 2, "prompt_tokens": 10, "completion_tokens": 4, "cost": 0.25,
                  "cache_hits": 0},
}


def _view_usage_columns() -> list[str]:
    """The header row of ``usageTable`` in the TypeScript view."""
    source = VIEW.read_text(encoding="utf-8")
    body = source[source.index("function usageTable"):]
    match = re.search(r'\[("Phase"[^\]]*)\]', body)
    assert match is not None, "usageTable's header row not found in js/training_dashboard.ts"
    columns: list[str] = json.loads(f"[{match.group(1)}]")
    return columns


def _rows(page: str) -> list[list[str]]:
    return [re.findall(r"<t[dh]>(.*?)</t[dh]>", row) for row in page.split("<tr>")[1:]]


def test_static_usage_table_has_the_columns_of_the_view() -> None:
    assert _rows(usage_table(USAGE))[0] == _view_usage_columns()


def test_static_usage_table_counts_cache_hits_and_ends_with_a_total() -> None:
    rows = _rows(usage_table(USAGE))
    assert rows[1] == ["inference", "1,200", "50", "7", "3", "$0.5000"]
    assert rows[-1] == ["total", "1,202", "60", "11", "3", "$0.7500"]


def test_dashboard_fallback_shows_the_usage_table() -> None:
    page = dashboard_html({"status": {}, "series": {}, "usage": USAGE, "proposals": [],
                           "versions": [], "banner": ""})
    assert "<th>Cache hits</th>" in page and "<td>total</td>" in page


def test_no_usage_no_table() -> None:
    assert usage_table({}) == ""
