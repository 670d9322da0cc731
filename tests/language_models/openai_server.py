"""A tiny OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

Standard library only. Each request is answered by the next scripted
:class:`Reply` (the last one repeats); every request is recorded with its
arrival time so tests can check retries, waits and what reached the server.
A request with ``"stream": true`` is answered with server-sent events, one chunk per
piece of the content, then a usage chunk when ``stream_options.include_usage`` is set.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted reply: a status, a body, headers, or a hang."""

    status: int = 200
    content: str | None = None
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    tool_arguments: str | None = None
    hang_s: float = 0.0
    reset: bool = False  # close the connection with a TCP reset instead of answering
    pieces: list[str] | None = None  # a streamed answer's chunks (default: one per word)
    # Streamed: after the first piece, wait for this event (set by the client's side) before
    # sending the others; ``gate_opened`` says whether it was set in time.
    gate: threading.Event | None = None
    gate_opened: bool | None = None


def completion(content: str | None = None, tool_arguments: str | None = None) -> dict[str, Any]:
    """A chat-completions response body carrying ``content`` or a tool call."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_arguments is not None:
        message["tool_calls"] = [{
            "id": "call_1", "type": "function",
            "function": {"name": "structured_output", "arguments": tool_arguments},
        }]
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "test-model",
        "choices": [{"index": 0, "message": message,
                     "finish_reason": "tool_calls" if tool_arguments else "stop"}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    """One chunk of a streamed chat completion."""
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1700000000,
            "model": "test-model",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


@dataclass
class Received:
    """A request as the server saw it."""

    time: float
    path: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class OpenAIServer:
    """Start with ``with OpenAIServer() as server:``; script with ``server.replies``."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def api_base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies = list(replies)
            self.requests = []

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.requests.append(received)
            if not self.replies:
                return Reply(status=500, body={"error": {"message": "no reply scripted"}})
            return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server._next(Received(time.monotonic(), self.path, body, headers))
                if reply.reset:
                    # SO_LINGER with a zero timeout: close() sends RST, as a crashed
                    # proxy or a dropped NAT entry would.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                if reply.hang_s:
                    server._stop.wait(reply.hang_s)
                    return
                if body.get("stream") and reply.status == 200:
                    self._stream(reply, bool((body.get("stream_options") or {})
                                             .get("include_usage")))
                    return
                payload = reply.body
                if payload is None:
                    payload = completion(reply.content, reply.tool_arguments)
                data = json.dumps(payload).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: Reply, include_usage: bool) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                text = reply.content or ""
                pieces = reply.pieces if reply.pieces is not None else [
                    word for word in text.replace(" ", "\0 ").split("\0") if word]
                for i, piece in enumerate(pieces):
                    self._event(chunk({"content": piece}))
                    if i == 0 and reply.gate is not None:
                        reply.gate_opened = reply.gate.wait(10)
                self._event(chunk({}, finish="stop"))
                if include_usage:
                    self._event({**chunk({}), "choices": [], "usage": {
                        "prompt_tokens": 11, "completion_tokens": len(pieces),
                        "total_tokens": 11 + len(pieces)}})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

        return Handler

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def serve() -> Iterator[OpenAIServer]:
    """Generator for a pytest fixture."""
    with OpenAIServer() as server:
        yield server
