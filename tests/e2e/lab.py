"""Driving one JupyterLab page from the tests: cells, outputs, themes, screenshots, contrast.

Cells are run with JupyterLab's own ``notebook:run-cell`` command through
``window.jupyterapp`` (the server exposes it): no keyboard focus games, and the
call returns at once, so a test can click in the widgets while a cell runs.
A cell is done when its prompt shows a new execution count (``[*]`` while it
runs).

:meth:`Lab.contrast` measures a text element's WCAG contrast ratio in the page:
the text colour (``color``, or ``fill`` for SVG text) composited over the
effective background, found by walking up the ancestors and compositing every
translucent background on the way until an opaque one (SVG text drawn on a
shape, like a graph node's label on its ``rect``, uses that shape's fill as
its first layer).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .jupyterlab_server import JupyterLabServer

if TYPE_CHECKING:  # playwright may be missing: conftest imports this module to skip then
    from playwright.sync_api import Locator, Page

__all__ = ["DOCS_IMAGES", "SCREENSHOTS", "TIMEOUT_MS", "Lab"]

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "reports" / "screenshots"
"""Where every run saves its screenshots (gitignored), and failure artifacts."""
DOCS_IMAGES = REPO / "docs" / "images"
"""The README's images, refreshed from a run with ``SYNALINKS_NB_UPDATE_SCREENSHOTS=1``."""

# Generous: two cores, maybe busy with other jobs.
TIMEOUT_MS = 60_000

_RUN_CELL = """(index) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  panel.content.activeCellIndex = index;
  panel.content.deselectAll();
  // Not awaited: the fit cell only returns once the test has clicked through it.
  void app.commands.execute("notebook:run-cell");
}"""

_PROMPT = """(index) => {
  const cell = document.querySelectorAll(".jp-NotebookPanel .jp-Notebook .jp-Cell")[index];
  return cell ? (cell.querySelector(".jp-InputPrompt")?.textContent ?? "").trim() : null;
}"""

_CELL_DONE = """([index, before]) => {
  const cell = document.querySelectorAll(".jp-NotebookPanel .jp-Notebook .jp-Cell")[index];
  const prompt = cell ? (cell.querySelector(".jp-InputPrompt")?.textContent ?? "").trim() : "";
  return /^\\[\\d+\\]:$/.test(prompt) && prompt !== before;
}"""

_KERNEL_IDLE = """(path) => {
  const w = window.jupyterapp?.shell?.currentWidget;
  return !!w && w.context?.path === path && w.sessionContext?.session?.kernel?.status === "idle";
}"""

# Scroll the notebook (not the page: JupyterLab's layout would shift) so the element's top
# is at the top of the notebook's scroller.
_SCROLL_TO_TOP = """(el) => {
  document.scrollingElement.scrollTop = 0;
  let scroller = el.parentElement;
  while (scroller && !(scroller.scrollHeight > scroller.clientHeight
         && /(auto|scroll)/.test(getComputedStyle(scroller).overflowY))) {
    scroller = scroller.parentElement;
  }
  if (scroller) {
    const top = el.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTop += top - 8;
  }
}"""

_CONTRAST = """(el) => {
  if (!el.isConnected) return null;  // replaced by a redraw: no computed style to read
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const rgba = (color) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data);
  };
  const isSvgText = el instanceof SVGElement;
  const style = getComputedStyle(el);
  const fg = isSvgText ? style.fill : style.color;
  const layers = [];  // innermost first
  let node = el;
  if (isSvgText) {
    const shape = el.parentElement?.querySelector(":scope > rect");
    if (shape) layers.push(getComputedStyle(shape).fill);
  }
  let opaque = layers.length > 0 && rgba(layers[0])[3] === 255;
  while (!opaque && node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (rgba(bg)[3] > 0) {
      layers.push(bg);
      opaque = rgba(bg)[3] === 255;
    }
    node = node.parentElement;
  }
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, 1, 1);
  for (const layer of layers.slice().reverse()) {
    ctx.fillStyle = layer;
    ctx.fillRect(0, 0, 1, 1);
  }
  const back = Array.from(ctx.getImageData(0, 0, 1, 1).data).slice(0, 3);
  ctx.fillStyle = fg;
  ctx.fillRect(0, 0, 1, 1);
  const front = Array.from(ctx.getImageData(0, 0, 1, 1).data).slice(0, 3);
  const lum = ([r, g, b]) => {
    const lin = (c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const [hi, lo] = [lum(front), lum(back)].sort((a, b) => b - a);
  const size = parseFloat(style.fontSize);
  const bold = Number(style.fontWeight) >= 700;
  return {
    ratio: (hi + 0.05) / (lo + 0.05),
    large: size >= 24 || (bold && size >= 18.66),
    fg: `rgb(${front.join(", ")})`,
    bg: `rgb(${back.join(", ")})`,
    color: fg,
    layers,
    opaque,
    fontSize: size,
    text: (el.textContent ?? "").trim().slice(0, 40),
  };
}"""


class Lab:
    """One browser page on one notebook of a :class:`JupyterLabServer`."""

    def __init__(self, page: Page, server: JupyterLabServer) -> None:
        self.page = page
        self.server = server
        self.console: list[str] = []
        self.done: set[str] = set()
        """Steps of the scenario that completed (later tests skip without them)."""
        self.facts: dict[str, Any] = {}
        """What earlier steps learned (proposal ids, printed reports)."""
        page.on("console", lambda msg: self.console.append(f"[{msg.type}] {msg.text}"))
        page.on("pageerror", lambda err: self.console.append(f"[pageerror] {err}"))
        page.set_default_timeout(TIMEOUT_MS)

    # -- notebook --------------------------------------------------------------------------

    def open(self, notebook: str) -> None:
        """Open ``notebook`` in a reset workspace and wait for its kernel to be idle."""
        from playwright.sync_api import expect

        self.page.goto(self.server.lab_url(notebook))
        expect(self.page.locator(".jp-NotebookPanel")).to_be_visible(timeout=TIMEOUT_MS)
        # A cold kernel start on a busy machine can take a while.
        self.page.wait_for_function(_KERNEL_IDLE, arg=notebook, timeout=2 * TIMEOUT_MS)
        # More room for the notebook: the screenshots show widgets, not the file browser.
        self.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")

    def cell(self, index: int) -> Locator:
        """The ``index``-th cell of the open notebook."""
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)

    def prompt(self, index: int) -> str:
        """The cell's input prompt: ``[ ]:``, ``[*]:`` while it runs, ``[n]:`` after."""
        return str(self.page.evaluate(_PROMPT, index))

    def run_cell(self, index: int, wait: bool = True, timeout_ms: float = TIMEOUT_MS) -> str:
        """Run a cell; with ``wait``, wait for it to finish and return its text output."""
        before = self.prompt(index)
        self.page.evaluate(_RUN_CELL, index)
        if not wait:
            return ""
        return self.wait_cell(index, before, timeout_ms)

    def wait_cell(self, index: int, before: str, timeout_ms: float = TIMEOUT_MS) -> str:
        """Wait until the cell's prompt shows an execution count other than ``before``."""
        self.page.wait_for_function(_CELL_DONE, arg=[index, before], timeout=timeout_ms)
        return self.output(index)

    def output(self, index: int) -> str:
        """The cell's text outputs; raises with the traceback when the cell failed."""
        outputs = self.cell(index).locator(".jp-OutputArea-output")
        errors = self.cell(index).locator(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        )
        text = "\n".join(outputs.all_inner_texts())
        if "Traceback" in "\n".join(errors.all_inner_texts()):
            raise AssertionError(f"Cell {index} failed:\n{text}")
        return text

    def expect_running(self, index: int) -> None:
        """The cell is still executing (``[*]`` prompt)."""
        from playwright.sync_api import expect

        expect(self.cell(index).locator(".jp-InputPrompt")).to_have_text("[*]:")

    def require(self, *steps: str) -> None:
        """Skip unless earlier tests of the scenario completed ``steps``."""
        missing = [s for s in steps if s not in self.done]
        if missing:
            pytest.skip(f"needs the earlier step(s) {', '.join(missing)} of this scenario")

    # -- theme, screenshots, contrast -------------------------------------------------------

    def set_theme(self, name: str) -> None:
        """Switch JupyterLab's theme (saved in the run's temporary settings)."""
        from playwright.sync_api import expect

        self.page.evaluate(
            "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})",
            name,
        )
        expect(self.page.locator("body")).to_have_attribute("data-jp-theme-name", name)
        # The new theme's stylesheet is in once its variables apply.
        light = "true" if "Light" in name else "false"
        expect(self.page.locator("body")).to_have_attribute("data-jp-theme-light", light)
        self.page.wait_for_function(
            """(light) => {
              const bg = getComputedStyle(document.body).getPropertyValue('--jp-layout-color1');
              const c = document.createElement('canvas').getContext('2d');
              c.fillStyle = bg.trim() || '#fff'; c.fillRect(0, 0, 1, 1);
              const [r] = c.getImageData(0, 0, 1, 1).data;
              return light ? r > 128 : r < 128;
            }""",
            arg=light == "true",
        )

    def screenshot(self, locator: Locator, name: str, docs: bool = False) -> Path:
        """Save ``locator``'s screenshot as ``reports/screenshots/<name>.png``.

        A widget taller than the window would be cut by the notebook's scroller, so the
        viewport grows to fit it for the shot (same width), then comes back.
        With ``docs`` and ``SYNALINKS_NB_UPDATE_SCREENSHOTS=1``, also copy it into
        ``docs/images/`` under the same name (the README embeds those).
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        size = self.page.viewport_size or {"width": 1280, "height": 900}
        box = locator.bounding_box()
        assert box is not None, f"{name}: the element to photograph is not displayed"
        needed = int(box["height"]) + 200
        if needed > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": needed})
        try:
            locator.evaluate(_SCROLL_TO_TOP)
            locator.screenshot(path=str(path), animations="disabled", caret="hide")
        finally:
            self.page.set_viewport_size(size)
        if docs and os.environ.get("SYNALINKS_NB_UPDATE_SCREENSHOTS") == "1":
            DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_IMAGES / f"{name}.png")
        return path

    def contrast(self, locator: Locator) -> dict[str, Any]:
        """WCAG contrast of the element's text against its effective background.

        A widget may redraw (the graph follows its variables) between finding the element
        and reading its style; then the locator is resolved again.
        """
        for _ in range(20):
            result: dict[str, Any] | None = locator.evaluate(_CONTRAST)
            if result is not None:
                return result
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{locator} was replaced by a redraw every time it was measured")

    def save_failure(self, name: str) -> list[Path]:
        """Screenshot and console log of the page, for a failed test."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        saved = []
        shot = SCREENSHOTS / f"FAILED-{name}.png"
        try:
            self.page.screenshot(path=str(shot), full_page=True, timeout=10_000)
            saved.append(shot)
        except Exception as exc:  # the page may be gone; the log still helps
            self.console.append(f"[test] could not take the failure screenshot: {exc}")
        log = SCREENSHOTS / f"FAILED-{name}.console.txt"
        log.write_text("\n".join(self.console) + "\n", encoding="utf-8")
        saved.append(log)
        return saved
