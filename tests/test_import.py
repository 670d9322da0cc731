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
    # Walk the files, not the packages: pkgutil.walk_packages would import notebook/ itself.
    code = textwrap.dedent(
        """
        import importlib, pathlib, sys, synalinks_nb
        root = pathlib.Path(synalinks_nb.__file__).parent
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(root.parent).with_suffix("")
            if "notebook" in rel.parts:
                continue
            importlib.import_module(".".join(p for p in rel.parts if p != "__init__"))
        bad = [m for m in ("anywidget", "ipywidgets", "IPython") if m in sys.modules]
        print(",".join(bad))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
