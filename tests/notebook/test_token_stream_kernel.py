"""In a real kernel, a streamed answer is one output that grows as its pieces arrive."""

from __future__ import annotations

import json
import os
import queue
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.kernel

jupyter_client = pytest.importorskip("jupyter_client")

CELL = r"""
import asyncio, synalinks_nb as sn

async def pieces():
    for piece in ["The", " capital", " is", " Paris."]:
        await asyncio.sleep(0.15)  # longer than the output's 0.1 s between updates
        yield piece

lm = sn.ScriptedLanguageModel(handler=lambda messages, schema: pieces(), name="lm")
x = sn.Input(data_model=sn.ChatMessages)
program = sn.Program(inputs=x, outputs=await sn.Generator(language_model=lm, streaming=True)(x))
answer = await program(sn.ChatMessages(messages=[{"role": "user", "content": "Capital?"}]))
print("RESULT", answer["content"])
"""


def _messages(tmp_path: Path) -> list[dict[str, Any]]:
    """The iopub messages of CELL, run in a fresh kernel of this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    kernel = tmp_path / "kernels" / "synalinks-test"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "test", "language": "python"}))
    km = KernelManager(kernel_name="synalinks-test",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel.parent)]))
    km.start_kernel(env={**os.environ, "PYTHONWARNINGS": "ignore"})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        msg_id = kc.execute(CELL)
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                msg = kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            seen.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return seen
        raise AssertionError(f"the cell did not finish; messages so far: {seen}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_streamed_answer_updates_one_output_in_place(tmp_path: Path) -> None:
    seen = _messages(tmp_path)
    errors = [m["content"]["traceback"] for m in seen if m["msg_type"] == "error"]
    assert not errors, errors
    texts = [(m["msg_type"], m["content"]["data"]["text/plain"]) for m in seen
             if m["msg_type"] in ("display_data", "update_display_data")]
    ids = {m["content"]["transient"]["display_id"] for m in seen
           if m["msg_type"] in ("display_data", "update_display_data")}
    assert len(ids) == 1  # one output, updated in place
    # Shown as they arrived: the partial texts, in order, then the whole one.
    assert texts == [("display_data", "lm: The…"),
                     ("update_display_data", "lm: The capital…"),
                     ("update_display_data", "lm: The capital is…"),
                     ("update_display_data", "lm: The capital is Paris.…"),
                     ("update_display_data", "lm: The capital is Paris.")]
    stdout = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream"
                     and m["content"]["name"] == "stdout")
    assert "RESULT The capital is Paris." in stdout
