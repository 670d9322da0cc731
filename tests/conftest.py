"""Shared fixtures: every test gets a clean config and its own home folder."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

import synalinks_nb as sn


@pytest.fixture(autouse=True)
def clean_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SYNALINKS_NB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SYNALINKS_NB_APPROVAL", raising=False)
    monkeypatch.delenv("SYNALINKS_NB_DEFAULT_LM", raising=False)
    monkeypatch.delenv("SYNALINKS_NB_TRUSTED_API_BASES", raising=False)
    sn.config.reset()
    yield
    sn.config.reset()


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["sn"] = sn


def pytest_unconfigure(config: pytest.Config) -> None:
    """MLflow logs "Flushing the async trace logging queue..." at interpreter exit, after
    pytest's summary, which must stay the last line CI prints: keep its logger quiet then."""
    logging.getLogger("mlflow").setLevel(logging.WARNING)
