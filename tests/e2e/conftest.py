"""Package fixtures for the browser tests: one JupyterLab, one headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``, or ``SYNALINKS_NB_CHROMIUM``),
never a Playwright download; without it, or without the ``playwright``
package, the tests skip and say why. A failing test leaves a screenshot and
the page's console log in ``reports/screenshots/`` and gets the tails of the
console and of the JupyterLab log added to its report.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .jupyterlab_server import JupyterLabServer
from .lab import SCREENSHOTS, TIMEOUT_MS, Lab
from .notebook_cells import write_notebook

CHROMIUM = Path(os.environ.get("SYNALINKS_NB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
NOTEBOOK = "training.ipynb"


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright.

    Package-scoped, not session-scoped: Playwright's sync API keeps an event loop
    running in this thread while it is open, and the async tests collected after
    this package need the thread free (``asyncio.run`` refuses a running loop).
    """
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.skip("the browser tests need playwright: pip install -e '.[dev]'")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"the browser tests need Chromium at {CHROMIUM} "
            "(bash scripts/setup.sh --browser installs Debian's)"
        )
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    """A JupyterLab of our own on 127.0.0.1, in a temporary folder."""
    server = JupyterLabServer(tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """``reports/screenshots/``, without the failure artifacts of an earlier run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob("FAILED-*"):
        stale.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="module")
def lab(browser: Any, jupyterlab: JupyterLabServer, screenshots: Path) -> Iterator[Lab]:
    """The scenario's notebook, open in a fresh browser context."""
    write_notebook(jupyterlab.root / NOTEBOOK)
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    lab = Lab(page, jupyterlab)
    try:
        lab.open(NOTEBOOK)
        yield lab
    finally:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not report.failed:
        return
    lab = getattr(item, "funcargs", {}).get("lab")
    if isinstance(lab, Lab):
        saved = lab.save_failure(item.name)
        report.sections.append(
            ("browser console (last 40 lines)", "\n".join(lab.console[-40:]) or "(empty)")
        )
        report.sections.append(("failure artifacts", "\n".join(str(p) for p in saved)))
        report.sections.append(("JupyterLab server log", lab.server.log_tail()))
    else:
        server = getattr(item, "funcargs", {}).get("jupyterlab")
        if isinstance(server, JupyterLabServer):
            report.sections.append(("JupyterLab server log", server.log_tail()))
