"""The answer cache never turns a paid answer into an error, and refuses a blocked folder
before any request is made."""

from __future__ import annotations

import errno
import logging
import tempfile
from pathlib import Path
from typing import Any

import pytest

from synalinks_nb.errors import ConfigError
from synalinks_nb.language_models import Cache, ScriptedLanguageModel

SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}}


async def test_a_lone_surrogate_is_cached_and_replayed(tmp_path: Path) -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "x \ud800 y"}], name="m")
    lm.cache = Cache(tmp_path)
    ask = [{"role": "user", "content": "bad \udfff input"}]
    first = await lm(ask, schema=SCHEMA)
    assert first.get_json() == {"answer": "x \ud800 y"}
    again = await lm(ask, schema=SCHEMA)
    assert again.get_json() == first.get_json()
    assert lm.usage.total.cache_hits == 1 and len(lm.calls) == 1


async def test_a_file_where_the_cache_folder_should_be_is_refused_before_the_call(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    lm = ScriptedLanguageModel(responses=[{"answer": "paid"}])
    lm.cache = Cache(blocker)
    with pytest.raises(ConfigError, match="to be a folder"):
        await lm([{"role": "user", "content": "hi"}], schema=SCHEMA)
    assert lm.calls == []


async def test_a_cache_write_failure_keeps_the_paid_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "paid"}])
    lm.cache = Cache(tmp_path)

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", disk_full)
    with caplog.at_level(logging.WARNING):
        out = await lm([{"role": "user", "content": "hi"}], schema=SCHEMA)
    assert out.get_json() == {"answer": "paid"}
    assert len(lm.cache) == 0
    assert "Could not write to the language-model cache" in caplog.text
