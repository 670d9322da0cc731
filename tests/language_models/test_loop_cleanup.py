"""litellm's cached HTTP clients are closed when an event loop ends (asyncio.run in scripts)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import psutil
from openai_server import OpenAIServer, Reply

from synalinks_nb import LanguageModel


def open_connections_to(api_base: str) -> int:
    port = urlsplit(api_base).port
    return sum(1 for c in psutil.Process().net_connections(kind="tcp")
               if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED)


def test_asyncio_run_leaves_no_open_connection_behind(openai_server: OpenAIServer) -> None:
    openai_server.script(Reply(content="one"), Reply(content="two"))
    lm = LanguageModel("openai/test-model", api_base=openai_server.api_base, api_key="sk-test")
    for expected in ("one", "two"):  # a script calling asyncio.run per request: a new loop each
        answer = asyncio.run(lm([{"role": "user", "content": "hi"}]))
        assert answer.get_json()["content"] == expected
        assert open_connections_to(openai_server.api_base) == 0
