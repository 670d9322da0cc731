"""Helpers for testing programs, for our tests and for yours.

* ``await check_module(module, inputs)`` — the contract every module must
  meet (Keras' ``run_layer_test``): build from a symbolic input, produce a
  symbolic output without calling a language model, run on a concrete input
  with an output that matches the symbolic schema, and survive a
  ``get_config`` / ``from_config`` round trip (JSON-serialisable config, same
  output schema).
* :class:`OpenAICompatibleServer` — a local stand-in for a hosted provider:
  an OpenAI-compatible chat-completions endpoint on 127.0.0.1 whose answers
  come from any synalinks_nb language model (scripted or embedded), so the
  real litellm code path (HTTP, parsing, token counts, cost) runs offline, in
  tests, docs and notebooks, with no API key.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
from collections.abc import Collection, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.data_models.validation import validate_json
from synalinks_nb.modules.module import Module
from synalinks_nb.utils.tree import flatten, map_structure

__all__ = ["OpenAICompatibleServer", "check_module", "estimate_tokens"]


def _symbolic(x: Any) -> Any:
    return map_structure(lambda v: v.to_symbolic_data_model() if v is not None else None, x)


async def check_module(
    module: Module, inputs: Any, *, expect_none: bool = False, roundtrip: bool = True
) -> Any:
    """Run the module contract; returns the concrete output.

    Args:
        module: a fresh, unbuilt module.
        inputs: a concrete input (DataModel / JsonDataModel, or a list of them).
        expect_none: the module is expected to output ``None`` on this input.
        roundtrip: also check ``from_config(get_config())``.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> from synalinks_nb.testing import check_module
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> out = asyncio.run(check_module(sn.Identity(), Query(query="hi")))
        >>> out.query
        'hi'
    """
    from synalinks_nb.language_models.base import BaseLanguageModel

    calls_before = _lm_calls(module, BaseLanguageModel)
    symbolic_out = await module(_symbolic(inputs))
    assert _lm_calls(module, BaseLanguageModel) == calls_before, (
        f"{type(module).__name__}: symbolic call must not call a language model"
    )
    for leaf in flatten(symbolic_out):
        assert isinstance(leaf, SymbolicDataModel), (
            f"{type(module).__name__}: symbolic call returned {type(leaf).__name__}"
        )
    assert module.built, f"{type(module).__name__} is not built after a symbolic call"
    output = await module(inputs)
    if expect_none:
        assert output is None, f"{type(module).__name__}: expected None, got {output!r}"
    else:
        _check_matches(output, symbolic_out, module)
    if roundtrip:
        config = module.get_config()
        json.dumps(config)
        clone = type(module).from_config(json.loads(json.dumps(config)))
        assert isinstance(clone, Module)
        clone_symbolic = await clone(_symbolic(inputs))
        assert [x.get_schema() for x in flatten(clone_symbolic) if x is not None] == [
            x.get_schema() for x in flatten(symbolic_out) if x is not None
        ], f"{type(module).__name__}: config round trip changed the output schema"
    return output


def _check_matches(output: Any, symbolic: Any, module: Module) -> None:
    for value, spec in zip(flatten(output), flatten(symbolic), strict=True):
        if value is None:
            continue
        validate_json(value.get_json(), spec.get_schema(),
                      what=f"the output of {type(module).__name__}")


def _lm_calls(module: Module, base: type) -> int:
    total = 0
    for m in [module, *module.submodules]:
        for value in vars(m).values():
            target = getattr(value, "_model", value)
            if isinstance(target, base):
                total += len(getattr(target, "calls", []))
    return total


# -- a local OpenAI-compatible server ----------------------------------------------------

_SAMPLING_KEYS = ("temperature", "top_p", "max_tokens", "seed", "stop", "presence_penalty",
                  "frequency_penalty")


def estimate_tokens(text: str) -> int:
    """Tokens in ``text`` by OpenAI's rule of thumb, one per 4 characters (at least 1).

    Example:
        >>> estimate_tokens("Paris"), estimate_tokens("")
        (2, 1)
    """
    return max(1, math.ceil(len(text) / 4))


def _schema_of(body: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON schema a request asks for, and the tool to answer with (tool mode).

    JSON mode counts when it carries the schema (``response_format``'s ``schema`` key,
    llama-cpp-python's extension); a schema only in the prompt does not.
    """
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        return (schema if isinstance(schema, dict) else None), None
    if isinstance(response_format, dict) and isinstance(response_format.get("schema"), dict):
        return response_format["schema"], None
    tools = body.get("tools")
    if isinstance(tools, list) and len(tools) == 1 and isinstance(tools[0], dict):
        function = tools[0].get("function") or {}
        parameters = function.get("parameters")
        if isinstance(parameters, dict):
            return parameters, str(function.get("name", "structured_output"))
    return None, None


def _request_mode(body: Mapping[str, Any]) -> str:
    """How a request asks for structured output: json_schema, json_object, tool or prompt."""
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") in (
        "json_schema", "json_object"
    ):
        return str(response_format["type"])
    return "tool" if body.get("tools") else "prompt"


def _refusal(mode: str) -> dict[str, Any]:
    """The error llama-cpp-python's server sends (with HTTP 500) for a format it lacks."""
    field, value = ("tool_choice", "function") if mode == "tool" else (
        "response_format.type", mode)
    return _error(f"1 validation error: {field}: this server does not support {value!r}",
                  "internal_server_error")


class OpenAICompatibleServer:
    """A chat-completions endpoint on 127.0.0.1, answered by a synalinks_nb language model.

    It stands in for a hosted provider: point a provider model at it with
    ``LanguageModel("openai/gpt-4o-mini", api_base=server.api_base, api_key="...")``
    and every request goes through litellm and HTTP as it would to OpenAI,
    while the answer comes from ``language_model`` (a
    :class:`~synalinks_nb.language_models.ScriptedLanguageModel` for exact,
    repeatable answers, or ``LanguageModel("local/smollm2")``). The response
    echoes the requested model name, so litellm prices it from its own table.

    What it understands: ``POST .../chat/completions`` with ``messages``, the
    sampling settings, and a schema given as ``response_format`` of type
    ``json_schema`` or as one forced tool (answered with a tool call); without a
    schema the answer is plain text. Token counts are *estimated*
    (:func:`estimate_tokens` over the message contents and the schema, and over
    the answer), so costs have a realistic size and are the same on every run.
    A failure of the backing model is answered with HTTP 500.

    ``refuse`` makes it behave like a server that lacks some ways of asking for
    structured output: a request in one of those modes (``"json_schema"``,
    ``"json_object"``, ``"tool"``) is answered with HTTP 500 naming the parameter, as
    llama-cpp-python's server answers ``response_format`` of type ``json_schema``.
    JSON mode is understood with the schema as ``response_format``'s ``schema`` key
    (llama-cpp-python's extension); a schema given only in the prompt reaches the
    backing model as a plain chat request.

    Use it as a context manager, or call :meth:`start` and :meth:`close`
    (a notebook keeps it running across cells).

    Args:
        language_model: answers every request.
        host: the interface to listen on; loopback by default.
        port: the port; 0 picks a free one.
        timeout: seconds allowed to the backing model per request.
        refuse: structured-output modes answered with HTTP 500.

    Attributes:
        requests: the JSON bodies received, oldest first.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> answers = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        >>> schema = {"type": "object", "properties": {"answer": {"type": "string"}},
        ...           "required": ["answer"], "additionalProperties": False}
        >>> with OpenAICompatibleServer(answers) as server:
        ...     lm = sn.LanguageModel("openai/gpt-4o-mini", api_base=server.api_base,
        ...                           api_key="sk-local")
        ...     out = asyncio.run(lm([{"role": "user", "content": "Capital of France?"}],
        ...                          schema=schema))
        >>> out.get_json(), len(server.requests), server.requests[0]["model"]
        ({'answer': 'Paris'}, 1, 'gpt-4o-mini')
        >>> lm.usage.total.cost > 0
        True
    """

    def __init__(self, language_model: Any, *, host: str = "127.0.0.1", port: int = 0,
                 timeout: float = 120.0, refuse: Collection[str] = ()) -> None:
        if not callable(language_model):
            raise TypeError("Expected a language model (an object with async __call__). "
                            f"Received: {type(language_model).__name__}")
        unknown = sorted(set(refuse) - {"json_schema", "json_object", "tool"})
        if unknown:
            raise ValueError("Expected refuse to hold modes among 'json_schema', "
                             f"'json_object', 'tool'. Received: {unknown}")
        self.language_model = language_model
        self.refuse = frozenset(refuse)
        self.timeout = float(timeout)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._count = 0
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self._threads: list[threading.Thread] = []

    @property
    def api_base(self) -> str:
        """The base URL to give as ``api_base`` (``http://127.0.0.1:<port>/v1``)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def running(self) -> bool:
        """Whether the server is serving requests."""
        return bool(self._threads)

    def start(self) -> OpenAICompatibleServer:
        """Serve in background threads; returns the server."""
        if self.running:
            return self
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._threads = [
            threading.Thread(target=loop.run_forever, name="openai-server-loop", daemon=True),
            threading.Thread(target=self._httpd.serve_forever, name="openai-server",
                             daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port (the server cannot be restarted)."""
        if self.running:
            self._httpd.shutdown()
            assert self._loop is not None
            self._loop.call_soon_threadsafe(self._loop.stop)
            for thread in self._threads:
                thread.join(timeout=5)
            self._threads = []
            self._loop.close()
        self._httpd.server_close()

    def __enter__(self) -> OpenAICompatibleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return (f"OpenAICompatibleServer(api_base={self.api_base!r}, {state}, "
                f"requests={len(self.requests)})")

    # -- answering ------------------------------------------------------------------------

    def _answer(self, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """The HTTP status and JSON response for one chat-completions request body."""
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return 400, _error("Expected a non-empty 'messages' list.", "invalid_request_error")
        mode = _request_mode(body)
        if mode in self.refuse:
            return 500, _refusal(mode)
        schema, tool = _schema_of(body)
        settings = {k: body[k] for k in _SAMPLING_KEYS if body.get(k) is not None}
        if isinstance(settings.get("stop"), list):
            settings["stop"] = tuple(settings["stop"])
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(
            self.language_model(messages, schema=schema, **settings), self._loop)
        try:
            result = future.result(timeout=self.timeout).get_json()
        except Exception as exc:  # the backing model failed: a provider would say 500
            future.cancel()
            return 500, _error(f"{type(exc).__name__}: {exc}", "server_error")
        text = json.dumps(result, ensure_ascii=False) if schema is not None else str(
            result.get("content", ""))
        prompt = "".join(str(m.get("content") or "") for m in messages if isinstance(m, dict))
        prompt += json.dumps(schema) if schema is not None else ""
        return 200, self._completion(str(body.get("model", "")), text, tool,
                                     estimate_tokens(prompt), estimate_tokens(text))

    def _completion(self, model: str, text: str, tool: str | None, prompt_tokens: int,
                    completion_tokens: int) -> dict[str, Any]:
        with self._lock:
            self._count += 1
            number = self._count
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if tool is not None:
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": f"call_{number}", "type": "function",
                "function": {"name": tool, "arguments": text}}]}
        return {
            "id": f"chatcmpl-local-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if tool is not None else "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # no access log on stderr (it would land in notebook outputs)

            def do_POST(self) -> None:
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._reply(404, _error(f"Unknown path {self.path!r}.", "not_found"))
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._reply(400, _error("Expected a JSON body.", "invalid_request_error"))
                    return
                if not isinstance(body, dict):
                    self._reply(400, _error("Expected a JSON object.", "invalid_request_error"))
                    return
                with server._lock:
                    server.requests.append(body)
                self._reply(*server._answer(body))

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind}}
