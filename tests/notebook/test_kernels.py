"""Human approval against real ipykernel kernels, driven through jupyter_client.

The test plays the frontend: it reads the widget's comm messages on iopub,
answers the probe's pings with pongs and clicks **Accept** by sending comm
messages on the shell channel, exactly what JupyterLab does for
``js/training_dashboard.ts``.

* ipykernel >= 7.4 (this venv): decisions are received while an async cell
  awaits ``program.fit(...)``.
* ipykernel 6.x: needs a second environment. Point ``SYNALINKS_NB_IPYKERNEL6_PYTHON``
  at its python (``python -m venv /tmp/ipk6 && /tmp/ipk6/bin/pip install
  "ipykernel<7" anywidget && /tmp/ipk6/bin/pip install --no-deps -e .`` plus
  this package's runtime dependencies); without it that test is skipped.
  There the probe falls back to the policy while the cell awaits, and
  ``run_in_background`` makes approvals work.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.kernel

jupyter_client = pytest.importorskip("jupyter_client")

SETUP = r"""
import json, synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.notebook import TrainingDashboard, run_in_background

class Query(sn.DataModel):
    category: str
    item: str

class Label(sn.DataModel):
    label: str

def handler(messages, schema):
    query = json.loads(messages[-1]["content"])
    seen = any(f'"category": "{query["category"]}"' in m["content"] for m in messages[:-1])
    return {"label": query["category"].upper() if seen else "UNKNOWN"}

cats = ["fruit", "animal", "color", "country"]
xs = [Query(category=cats[i % 4], item=f"item-{i}") for i in range(8)]
ys = [Label(label=x.category.upper()) for x in xs]
inputs = sn.Input(data_model=Query)
outputs = await sn.Generator(data_model=Label, language_model=sn.ScriptedLanguageModel(
    handler=handler), name="gen")(inputs)
program = sn.Program(inputs=inputs, outputs=outputs, name="classifier")
program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot(
    nb_min_examples=4, nb_max_examples=8))
dash = TrainingDashboard(program, probe_timeout=PROBE_TIMEOUT)
var = program.trainable_variables[0]
import ipykernel
print("MODEL", dash.model_id, "IPYKERNEL", ipykernel.__version__)
"""

FIT_AWAIT = r"""
history = await program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, callbacks=[dash],
                            approval="human", )
v = var.versions[-1]
print("RESULT", json.dumps({"mode": history.approval["mode"], "versions": len(var.versions),
                            "decided_by": v.decided_by, "banner": dash.banner}))
"""

FIT_BACKGROUND = r"""
run = run_in_background(program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                                    callbacks=[dash], approval="human"))
"""

REPORT_BACKGROUND = r"""
v = var.versions[-1]
print("RESULT", json.dumps({"status": run.status, "mode": run.result().approval["mode"],
                            "versions": len(var.versions), "decided_by": v.decided_by}))
"""


class Frontend:
    """A kernel client that answers the dashboard's comm messages like its view."""

    def __init__(self, python: str, spec_dir: Path) -> None:
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager

        # A kernelspec of our own: the kernel runs ``python``, not whatever "python3" is.
        kernel = spec_dir / "kernels" / "synalinks-test"
        kernel.mkdir(parents=True, exist_ok=True)
        argv = [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        spec = {"argv": argv, "display_name": "test", "language": "python"}
        (kernel / "kernel.json").write_text(json.dumps(spec))
        ksm = KernelSpecManager(kernel_dirs=[str(spec_dir / "kernels")])
        self.km = KernelManager(kernel_name="synalinks-test", kernel_spec_manager=ksm)
        self.km.start_kernel(env={**os.environ, "PYTHONWARNINGS": "ignore"})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.model_id = ""
        self.ipykernel = ""
        self.accept = True
        self.received: list[dict[str, Any]] = []

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def send_custom(self, content: dict[str, Any]) -> None:
        data = {"method": "custom", "content": content}
        msg = self.kc.session.msg("comm_msg", {"comm_id": self.model_id, "data": data})
        self.kc.shell_channel.send(msg)

    def run(self, code: str, timeout: float = 60.0) -> str:
        """Execute ``code``, playing the view meanwhile; returns the cell's stdout."""
        msg_id = self.kc.execute(code)
        out: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_msg" and content.get("comm_id") == self.model_id:
                self._on_widget_message(content["data"])
            elif kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                raise AssertionError("\n".join(content["traceback"]))
            elif (
                kind == "status"
                and content["execution_state"] == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                return "".join(out)
        raise AssertionError(f"cell did not finish in {timeout}s; output so far: {out}")

    def pump_until_done(self, timeout: float = 30.0) -> None:
        """Play the view between cells (the kernel is idle, a background task runs)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.received[-1] if self.received else {}
            if last.get("type") == "delta" and last.get("status", {}).get("state") == "done":
                return
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                continue
            if msg["msg_type"] == "comm_msg" and msg["content"].get("comm_id") == self.model_id:
                self._on_widget_message(msg["content"]["data"])

    def _on_widget_message(self, data: dict[str, Any]) -> None:
        if data.get("method") != "custom":
            return
        content = data["content"]
        self.received.append(content)
        if content["type"] == "ping" and self.accept:
            self.send_custom({"type": "pong", "id": content["id"]})
        for proposal in content.get("proposals") or []:
            if content["type"] == "delta" and proposal["status"] == "pending" and self.accept:
                self.send_custom(
                    {"type": "decision", "proposal_id": proposal["id"], "action": "accept"}
                )


def _result(stdout: str) -> dict[str, Any]:
    line = next(x for x in stdout.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def _start(python: str, probe_timeout: float, spec_dir: Path) -> Frontend:
    frontend = Frontend(python, spec_dir)
    stdout = frontend.run(SETUP.replace("PROBE_TIMEOUT", repr(probe_timeout)))
    frontend.model_id = stdout.split("MODEL", 1)[1].split()[0]
    frontend.ipykernel = stdout.split("IPYKERNEL", 1)[1].split()[0]
    return frontend


@pytest.fixture
def kernel74(tmp_path: Path) -> Iterator[Frontend]:
    import ipykernel

    if tuple(int(x) for x in ipykernel.__version__.split(".")[:2]) < (7, 4):
        pytest.skip(f"needs ipykernel>=7.4 in this venv; found {ipykernel.__version__}")
    frontend = _start(sys.executable, probe_timeout=3.0, spec_dir=tmp_path)
    assert frontend.ipykernel == ipykernel.__version__
    yield frontend
    frontend.close()


def test_ipykernel74_receives_approvals_while_the_cell_awaits_fit(kernel74: Frontend) -> None:
    result = _result(kernel74.run(FIT_AWAIT))
    assert result == {"mode": "human", "versions": 2, "decided_by": "human", "banner": ""}
    types = {m["type"] for m in kernel74.received}
    assert {"ping", "delta"} <= types


def test_ipykernel74_without_a_view_falls_back_with_a_banner(kernel74: Frontend) -> None:
    kernel74.accept = False  # nobody renders the widget (e.g. nbclient)
    kernel74.run("dash._gate.probe_timeout = 0.5")
    result = _result(kernel74.run(FIT_AWAIT))
    assert result["mode"] == "accept" and result["decided_by"] == "policy"
    assert "did not answer" in result["banner"]


IPK6 = os.environ.get("SYNALINKS_NB_IPYKERNEL6_PYTHON", "")


@pytest.mark.skipif(
    not (IPK6 and Path(IPK6).is_file()),
    reason="no ipykernel 6 environment: set SYNALINKS_NB_IPYKERNEL6_PYTHON to its python "
    "(see this module's docstring)",
)
def test_ipykernel6_falls_back_while_awaiting_and_approves_in_background(tmp_path: Path) -> None:
    frontend = _start(IPK6, probe_timeout=1.0, spec_dir=tmp_path)
    try:
        assert frontend.ipykernel.startswith("6."), frontend.ipykernel
        awaited = _result(frontend.run(FIT_AWAIT))
        assert awaited["mode"] == "accept" and awaited["decided_by"] == "policy"
        frontend.run("var.revert(0)")
        frontend.received.clear()
        frontend.run(FIT_BACKGROUND)
        # The cell returned: the kernel now handles the view's pong and Accept.
        frontend.pump_until_done()
        result = _result(frontend.run(REPORT_BACKGROUND))
        assert result["status"] == "done" and result["mode"] == "human"
        assert result["decided_by"] == "human"
    finally:
        frontend.close()
