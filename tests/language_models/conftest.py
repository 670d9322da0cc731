"""Fixtures for language-model tests: a local OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openai_server import OpenAIServer


@pytest.fixture(scope="module")
def openai_server() -> Iterator[OpenAIServer]:
    """An OpenAI-compatible chat-completions server on 127.0.0.1, one per test module."""
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def server(openai_server: OpenAIServer) -> OpenAIServer:
    """The module's server with no scripted replies and no recorded requests."""
    openai_server.script()
    return openai_server
