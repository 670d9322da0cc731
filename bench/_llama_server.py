"""One ``python -m llama_cpp.server`` on 127.0.0.1 for the length of a ``with`` block.

Started on a free port with the embedded SmolLM2 GGUF; the log goes to a file (a pipe
fills up with the model's loading log and stalls the server). Every wait is bounded and
the process is stopped in ``finally``, whatever happens inside the block.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def llama_server(model_path: Path, log_path: Path, *, n_threads: int = 1, n_ctx: int = 4096,
                 start_timeout: float = 120.0) -> Iterator[str]:
    """Serve ``model_path``; yields the ``api_base`` (``http://127.0.0.1:<port>/v1``)."""
    port = free_port()
    # Unbuffered: the access log is read while the server runs, to count requests.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path),
             "--host", "127.0.0.1", "--port", str(port), "--n_threads", str(n_threads),
             # Prompt threads too: two spinning threads on a busy 2-core machine stall.
             "--n_threads_batch", str(n_threads), "--n_ctx", str(n_ctx)],
            stdout=log, stderr=subprocess.STDOUT, env=env)
    api_base = f"http://127.0.0.1:{port}/v1"
    # SIGTERM (a user's kill) ends the run through the finally below, stopping the server.
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        deadline = time.monotonic() + start_timeout
        while not _answers(api_base):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Expected llama_cpp.server to answer on {api_base} within "
                                   f"{start_timeout:.0f} s. Received no answer; log:\n{tail}")
            time.sleep(0.5)
        yield api_base
    finally:
        signal.signal(signal.SIGTERM, previous)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _answers(api_base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_base}/models", timeout=2):
            return True
    except OSError:
        return False


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
