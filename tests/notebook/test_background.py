"""run_in_background: the handle's status, cancel, result, and failures that are not silent."""

from __future__ import annotations

import asyncio
import logging

import pytest

from synalinks_nb.notebook import run_in_background


async def test_cancel_and_error_are_reported_by_status(caplog: pytest.LogCaptureFixture) -> None:
    run = run_in_background(asyncio.sleep(10), name="slow")
    assert repr(run) == "BackgroundRun(name='slow', status='running')"
    with pytest.raises(RuntimeError, match="still running"):
        run.result()
    assert run.cancel()
    await asyncio.sleep(0)
    assert run.status == "cancelled"

    async def boom() -> None:
        raise ValueError("broken fit")

    with caplog.at_level(logging.ERROR):
        failed = run_in_background(boom())
        await asyncio.sleep(0.01)
    assert failed.status == "error"
    assert "broken fit" in caplog.text
    with pytest.raises(ValueError, match="broken fit"):
        failed.result()


def test_needs_a_running_loop() -> None:
    with pytest.raises(RuntimeError, match="running event loop"):
        run_in_background(asyncio.sleep(0))
    with pytest.raises(TypeError, match="coroutine"):
        run_in_background(42)  # type: ignore[arg-type]
