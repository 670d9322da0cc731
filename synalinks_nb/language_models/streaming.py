"""Streamed answers: where their tokens are shown, and when they arrived.

``lm(messages, streaming=True)`` (``Generator(streaming=True)`` does this) asks the
backend for a stream. The call still returns the whole answer, validated against the
schema exactly as a non-streamed one (a malformed answer gets the same repair attempt and
the same :class:`~synalinks_nb.errors.StructuredOutputError`); streaming changes what
the user *sees* while waiting and what is *measured*:

- **Shown.** Each attempt's text goes, token by token, to a :class:`TokenSink`. The sink
  is, first match wins: the one given to :func:`streaming_to` around the call; the one
  set with ``sn.config.set_token_sink(...)``; in a Jupyter kernel, the notebook's output
  that updates in place (registered by the notebook layer: core code never imports
  IPython); otherwise :class:`WriterSink`, which writes to ``sys.stderr`` (stdout stays
  the program's). A plain function ``fn(label, text)`` is accepted wherever a sink is.
  Calls made by the trainer's batch loops (``fit``, ``evaluate``, ``predict``) and by
  rewards and optimizers are not shown (hundreds of concurrent streams would bury the
  cell): they stream and are measured, quietly. A cache hit is shown whole, at once.
- **Measured.** Time to first token (request start to first non-empty chunk) and to
  last token, per call, in the call's usage phase: the metrics
  ``AvgTimeToFirstToken`` / ``AvgTimeToLastToken`` read them. Inside an agent's
  :func:`trajectory_scope`, the time from the (outermost) agent's start to the first
  token is recorded too (``AvgTrajectoryTimeToFirstToken``).

Difference with Synalinks, on purpose: Synalinks hands a live iterator back to the
caller instead of the answer, and therefore turns streaming off whenever there is an
output schema. Here the return value never changes shape, so structured answers stream
too (the JSON appears as it is written) and a program's outputs stay data models.

Example:
    >>> import asyncio
    >>> from synalinks_nb.language_models import ScriptedLanguageModel, streaming_to
    >>> lm = ScriptedLanguageModel(responses=["The capital is Paris."])
    >>> seen = []
    >>> async def ask():
    ...     with streaming_to(lambda label, text: seen.append(text)):
    ...         return await lm([{"role": "user", "content": "Capital?"}], streaming=True)
    >>> asyncio.run(ask())["content"]
    'The capital is Paris.'
    >>> seen
    ['The', ' capital', ' is', ' Paris.']
    >>> lm.usage["inference"].streamed_calls
    1
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import IO, Any, Protocol, TypeVar, runtime_checkable

__all__ = [
    "CallbackSink",
    "StreamTiming",
    "TokenSink",
    "TokenStream",
    "WriterSink",
    "as_token_sink",
    "current_trajectory_start",
    "quiet_streams",
    "register_kernel_sink",
    "streaming_to",
    "trajectory_scope",
]

T = TypeVar("T")


@runtime_checkable
class TokenStream(Protocol):
    """One streamed answer being shown: text arrives with ``write``, ends with ``close``."""

    def write(self, text: str) -> None:
        """Show ``text``, the next piece of the answer."""

    def close(self, error: str | None = None) -> None:
        """The answer is complete (``error``: why it stopped early)."""


@runtime_checkable
class TokenSink(Protocol):
    """Where streamed answers are shown: one :class:`TokenStream` per answer.

    Example:
        A sink that keeps every answer's pieces:

        >>> class Keep:
        ...     def __init__(self):
        ...         self.answers = {}
        ...     def open(self, label):
        ...         pieces = self.answers.setdefault(label, [])
        ...         class Stream:
        ...             def write(self, text):
        ...                 pieces.append(text)
        ...             def close(self, error=None):
        ...                 pieces.append("<end>")
        ...         return Stream()
        >>> isinstance(Keep(), TokenSink)
        True
    """

    def open(self, label: str) -> TokenStream:
        """A new answer begins; ``label`` names the model answering."""
        ...


class _CallbackStream:
    def __init__(self, fn: Callable[[str, str], Any], label: str) -> None:
        self._fn, self._label = fn, label

    def write(self, text: str) -> None:
        self._fn(self._label, text)

    def close(self, error: str | None = None) -> None:
        """Nothing to do: the callback has seen every piece."""


class CallbackSink:
    """A sink calling ``fn(label, text)`` for every piece of every answer.

    Example:
        >>> sink = CallbackSink(lambda label, text: print(f"{label}> {text}"))
        >>> stream = sink.open("m")
        >>> stream.write("Hi")
        m> Hi
    """

    def __init__(self, fn: Callable[[str, str], Any]) -> None:
        if not callable(fn):
            raise TypeError(f"Expected a function fn(label, text). Received: {fn!r}")
        self.fn = fn

    def open(self, label: str) -> TokenStream:
        return _CallbackStream(self.fn, label)


class _WriterStream:
    def __init__(self, file: IO[str], label: str) -> None:
        self._file = file
        file.write(f"[{label}] ")
        file.flush()

    def write(self, text: str) -> None:
        self._file.write(text)
        self._file.flush()

    def close(self, error: str | None = None) -> None:
        self._file.write(f" [stopped: {error}]\n" if error else "\n")
        self._file.flush()


class WriterSink:
    """The headless sink: each answer on its own line of a text file, ``[label] text...``.

    Args:
        file: where to write; ``None`` means ``sys.stderr`` as it is when an answer
            begins (so pytest's and notebooks' redirections apply).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> stream = WriterSink(out).open("scripted")
        >>> stream.write("Hello"); stream.write(" world"); stream.close()
        >>> out.getvalue()
        '[scripted] Hello world\\n'
    """

    def __init__(self, file: IO[str] | None = None) -> None:
        self.file = file

    def open(self, label: str) -> TokenStream:
        return _WriterStream(self.file if self.file is not None else sys.stderr, label)


def as_token_sink(sink: Any) -> TokenSink:
    """``sink`` as a :class:`TokenSink`: a sink is kept, a function ``fn(label, text)`` wrapped.

    Raises:
        TypeError: anything else.
    """
    if isinstance(sink, TokenSink):
        return sink
    if callable(sink):
        return CallbackSink(sink)
    raise TypeError("Expected a token sink (an object with open(label)) or a function "
                    f"fn(label, text). Received: {sink!r}")


_SINK: contextvars.ContextVar[TokenSink | None] = contextvars.ContextVar(
    "synalinks_nb_token_sink", default=None)
_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "synalinks_nb_quiet_streams", default=False)
_TRAJECTORY_START: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "synalinks_nb_trajectory_start", default=None)


@contextlib.contextmanager
def streaming_to(sink: Any) -> Iterator[TokenSink]:
    """Show the streamed answers of the calls made inside the block on ``sink``.

    Args:
        sink: a :class:`TokenSink` or a function ``fn(label, text)``.
    """
    shown = as_token_sink(sink)
    token = _SINK.set(shown)
    try:
        yield shown
    finally:
        _SINK.reset(token)


@contextlib.contextmanager
def quiet_streams() -> Iterator[None]:
    """Streamed calls inside the block are measured but not shown (the trainer's loops)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


@contextlib.contextmanager
def trajectory_scope() -> Iterator[float]:
    """Mark an agent's run: streamed answers inside it also record the time from its start.

    Nested scopes keep the outermost start (an agent calling an agent is one trajectory).

    Example:
        >>> with trajectory_scope() as outer:
        ...     with trajectory_scope() as inner:
        ...         inner == outer == current_trajectory_start()
        True
        >>> current_trajectory_start() is None
        True
    """
    start = _TRAJECTORY_START.get()
    token = _TRAJECTORY_START.set(start if start is not None else time.perf_counter())
    try:
        yield _TRAJECTORY_START.get() or 0.0
    finally:
        _TRAJECTORY_START.reset(token)


def current_trajectory_start() -> float | None:
    """The ``time.perf_counter()`` at which the enclosing agent run began, if any."""
    return _TRAJECTORY_START.get()


class _KernelSink:
    """Where the notebook layer registers its sink (see :func:`register_kernel_sink`)."""

    factory: Callable[[], TokenSink] | None = None
    sink: TokenSink | None = None


def register_kernel_sink(factory: Callable[[], TokenSink] | None) -> None:
    """Register how to make the sink used inside a Jupyter kernel (``None`` forgets it).

    The package registers the notebook layer's live output at import; ``factory`` is
    called on the first streamed call made in a kernel, so IPython is imported then.
    """
    _KernelSink.factory, _KernelSink.sink = factory, None


def _in_kernel() -> bool:
    # Look IPython up without importing it: the core never imports the notebook stack.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def display_sink(configured: Any, phase: str) -> TokenSink | None:
    """The sink a streamed call shows its tokens on, or ``None`` when it is not shown.

    Args:
        configured: ``sn.config``'s sink (``None`` when unset).
        phase: the call's usage phase; only ``"inference"`` calls are shown.
    """
    if _QUIET.get() or phase != "inference":
        return None
    sink = _SINK.get()
    if sink is not None:
        return sink
    if configured is not None:
        return as_token_sink(configured)
    if _KernelSink.factory is not None and _in_kernel():
        if _KernelSink.sink is None:
            _KernelSink.sink = _KernelSink.factory()
        return _KernelSink.sink
    return WriterSink()


class StreamTiming:
    """One streamed call: shows each attempt's pieces and times the first and last ones.

    Args:
        sink: where to show the pieces (``None``: measured only).
        label: the name shown with them.
    """

    def __init__(self, sink: TokenSink | None, label: str) -> None:
        self.sink = sink
        self.label = label
        self.trajectory_start = current_trajectory_start()
        self.request_start: float | None = None
        self.first_token: float | None = None
        self.last_token: float | None = None
        self._stream: TokenStream | None = None

    async def attempt(self, send: Callable[[], Awaitable[T]]) -> T:
        """Await one request sent with ``send()`` (which calls :meth:`emit` per piece).

        The first request starts the clock; the attempt's shown stream ends with it,
        saying why when it failed.
        """
        if self.request_start is None:
            self.request_start = time.perf_counter()
        try:
            answer = await send()
        except BaseException as exc:
            self.end_attempt(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            raise
        self.end_attempt()
        return answer

    def emit(self, text: str) -> None:
        """A piece of the answer arrived: time it and show it."""
        if not text:
            return
        now = time.perf_counter()
        if self.first_token is None:
            self.first_token = now
        self.last_token = now
        if self.sink is not None:
            if self._stream is None:
                self._stream = self.sink.open(self.label)
            self._stream.write(text)

    def show_whole(self, text: str) -> None:
        """Show an answer that did not stream (a cache hit), without timing it."""
        if self.sink is not None and text:
            stream = self.sink.open(self.label)
            stream.write(text)
            stream.close()

    def end_attempt(self, error: str | None = None) -> None:
        """The attempt's answer is complete (or failed): its shown stream ends."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close(error)

    def latencies(self) -> tuple[float | None, float | None, float | None]:
        """Seconds to the first token, to the last, and from the trajectory's start to the
        first (``None`` where unknown: no token arrived, or no agent around the call)."""
        if self.request_start is None or self.first_token is None or self.last_token is None:
            return None, None, None
        trajectory = (self.first_token - self.trajectory_start
                      if self.trajectory_start is not None else None)
        return (self.first_token - self.request_start, self.last_token - self.request_start,
                trajectory)
