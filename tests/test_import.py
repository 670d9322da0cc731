"""Importing the package is fast, offline, and never pulls in heavy or notebook-only modules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import json, socket, sys, time
    def refuse(*a, **k):
        raise AssertionError("network access during import")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    t = time.perf_counter()
    import synalinks_nb
    elapsed = time.perf_counter() - t
    heavy = [m for m in ("litellm", "llama_cpp", "pandas", "plotly", "numpy", "anywidget",
                         "ipywidgets", "IPython", "jsonschema") if m in sys.modules]
    print(json.dumps({"elapsed": elapsed, "heavy": heavy}))
    """
)


def _probe() -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_import_opens_no_connection_and_skips_heavy_modules() -> None:
    result = _probe()
    assert result["heavy"] == []


def test_core_layers_never_import_the_notebook_stack() -> None:
    code = textwrap.dedent(
        """
        import sys, pkgutil, importlib, synalinks_nb
        for m in pkgutil.walk_packages(synalinks_nb.__path__, "synalinks_nb."):
            if m.name.startswith("synalinks_nb.notebook") or m.name.endswith("tutorials_report"):
                continue
            importlib.import_module(m.name)
        bad = [m for m in ("anywidget", "ipywidgets", "IPython") if m in sys.modules]
        print(",".join(bad))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
