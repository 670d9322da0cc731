"""A clean config (seeded, no approval override) for every trainer test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import synalinks_nb as sn


@pytest.fixture(autouse=True)
def clean_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SYNALINKS_NB_APPROVAL", raising=False)
    sn.config.reset()
    sn.set_seed(1234)
    yield
    sn.config.reset()


