"""A throwaway JupyterLab for the browser tests.

:class:`JupyterLabServer` starts ``python -m jupyterlab`` with this interpreter
on 127.0.0.1 and a free port, without token or password, in a temporary
folder that holds everything the server could otherwise read from or leave in
the user's home: root dir (the notebooks), config, data (our kernel spec),
runtime, IPython profile, JupyterLab user settings and workspaces. So no state
leaks between runs, and the user's own Jupyter set-up never leaks in.

The kernel spec ``synalinks-e2e`` runs ``sys.executable``: the notebooks
import the synalinks_nb being tested. User settings pin what the tests rely
on: the light theme, every cell attached to the DOM (``windowingMode:
none``; the default skips rendering off-screen cells) and no news or update
checks (no network, no pop-up).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["KERNEL_NAME", "JupyterLabServer"]

KERNEL_NAME = "synalinks-e2e"

_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/themes": {"theme": "JupyterLab Light"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class JupyterLabServer:
    """One JupyterLab process and its temporary world (see the module docstring).

    Args:
        base: an empty folder owned by the caller; everything is created in it.
        startup_timeout: seconds to wait for the server to answer.
    """

    def __init__(self, base: Path, startup_timeout: float = 90.0) -> None:
        self.base = base
        self.root = base / "root"
        self.log_path = base / "jupyterlab.log"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None

    # -- set-up ----------------------------------------------------------------------------

    def _prepare(self) -> dict[str, str]:
        dirs = {
            name: self.base / name
            for name in ("root", "config", "data", "runtime", "ipython", "settings", "workspaces")
        }
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        (dirs["root"] / "home").mkdir(exist_ok=True)
        kernel_dir = dirs["data"] / "kernels" / KERNEL_NAME
        kernel_dir.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "synalinks_nb (e2e)",
            "language": "python",
        }
        (kernel_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        for name, values in _SETTINGS.items():
            path = dirs["settings"] / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = {
            k: v
            for k, v in os.environ.items()
            # The tests decide approval and the default model; nothing from the caller's shell.
            if k not in ("SYNALINKS_NB_APPROVAL", "SYNALINKS_NB_DEFAULT_LM", "JUPYTER_TOKEN")
        }
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            IPYTHONDIR=str(dirs["ipython"]),
            JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
            SYNALINKS_NB_HOME=str(dirs["root"] / "home"),
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> None:
        """Start the server and wait until its REST API answers."""
        env = self._prepare()
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            f"--ServerApp.root_dir={self.root}",
            # Exposes window.jupyterapp: the tests run cells and switch themes with commands.
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers run as root
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            cmd, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self._process.returncode} while starting.\n"
                    + self.log_tail()
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(
            f"JupyterLab did not answer on {self.url} within {self.startup_timeout:.0f} s.\n"
            + self.log_tail()
        )

    # -- use -------------------------------------------------------------------------------

    def lab_url(self, notebook: str) -> str:
        """URL that opens ``notebook`` (relative to the root) in a reset workspace."""
        return f"{self.url}/lab/tree/{notebook}?reset"

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the server log, for failure messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no JupyterLab log)"
        # Long lines cut: a failed `yarn config` at start-up logs a minified bundle.
        tail = [line[:400] for line in text.splitlines()[-lines:]]
        header = f"--- JupyterLab log ({self.log_path}), last {len(tail)} lines ---"
        return "\n".join([header, *tail])

    def stop(self) -> None:
        """Shut the server (and with it the kernels) down."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
