"""Wheel build hook: make sure the widget bundles exist in ``synalinks_nb/static/``.

The bundles are built from ``js/`` by esbuild (``npm run build``) and shipped in
the wheel, never committed by hand. This hook:

* rebuilds them when Node.js and npm are available and a bundle is missing or
  older than a source file in ``js/`` (or ``package.json`` / ``package-lock.json``);
* otherwise uses the bundles that are there (so ``pip install -e .`` works on a
  machine without Node.js once the bundle is built or shipped in the sdist);
* fails with an explanation when the bundles are missing and cannot be built.

``SYNALINKS_NB_SKIP_JS_BUILD=1`` skips the rebuild (the bundles must then exist).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLES = ("program_graph.js", "trace_viewer.js", "training_dashboard.js", "variable_history.js",
           "widgets.css")


def _newest_source(root: Path) -> float:
    """Modification time of the newest frontend source (0 when ``js/`` is absent)."""
    candidates = [root / "package.json", root / "package-lock.json"]
    js = root / "js"
    if js.is_dir():
        candidates += [
            p
            for p in js.rglob("*")
            if p.is_file() and p.suffix in {".ts", ".css", ".mjs"} and ".test." not in p.name
        ]
    return max((p.stat().st_mtime for p in candidates if p.exists()), default=0.0)


class WidgetBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    """Build (or check) the anywidget ESM bundles before the wheel is assembled."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        static = root / "synalinks_nb" / "static"
        bundles = [static / name for name in BUNDLES]
        missing = [p.name for p in bundles if not p.exists()]
        stale = not missing and min(p.stat().st_mtime for p in bundles) < _newest_source(root)
        can_build = (
            (root / "js").is_dir()
            and shutil.which("node") is not None
            and shutil.which("npm") is not None
            and os.environ.get("SYNALINKS_NB_SKIP_JS_BUILD", "") not in {"1", "true"}
        )
        if (missing or stale) and can_build:
            self._build(root)
            missing = [p.name for p in bundles if not p.exists()]
        elif stale:
            self.app.display_warning(
                "synalinks_nb: the widget bundles are older than js/ and cannot be rebuilt "
                "here (no node/npm, or SYNALINKS_NB_SKIP_JS_BUILD=1); using them as they are."
            )
        if missing:
            raise RuntimeError(
                "synalinks_nb: the widget bundles are missing from synalinks_nb/static/ "
                f"({', '.join(missing)}) and cannot be built: expected Node.js >= 20 and npm "
                "on PATH and the js/ sources. Install Node.js and rebuild, or run "
                "`bash scripts/build_js.sh` first."
            )
        build_data.setdefault("artifacts", []).extend(
            f"synalinks_nb/static/{name}" for name in BUNDLES
        )

    def _build(self, root: Path) -> None:
        npm = shutil.which("npm") or "npm"
        installed = root / "node_modules" / ".package-lock.json"
        lock = root / "package-lock.json"
        lock_changed = lock.exists() and (
            not installed.exists() or lock.stat().st_mtime > installed.stat().st_mtime
        )
        if not installed.exists() or lock_changed:
            self.app.display_info("synalinks_nb: npm ci")
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
        self.app.display_info("synalinks_nb: building the widget bundles (npm run build)")
        subprocess.run([npm, "run", "--silent", "build"], cwd=root, check=True)
