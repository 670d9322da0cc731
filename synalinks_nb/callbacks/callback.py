"""``Callback``: react to training events, with Keras' method names.

The trainer emits typed events (:mod:`synalinks_nb.events`).
A :class:`CallbackList` delivers each one to every callback, in list order:
first ``on_event(event)``, then the Keras-named method for it. Any method may
be ``async def``; it is awaited before the next callback runs, so a callback
can slow training down (a human approval gate) but never races it.

Event → method:

========================  ==============================================
``train_begin/end``       ``on_train_begin(logs)`` / ``on_train_end(logs)``
``train_failed``          ``on_train_failed(event)`` (instead of ``train_end``)
``epoch_begin/end``       ``on_epoch_begin(epoch, logs)`` / ``on_epoch_end``
``batch_begin/end``       ``on_train_batch_begin(batch, logs)`` (``test``/
                          ``predict`` variants by mode); the train ones
                          call ``on_batch_begin``/``on_batch_end`` by default
``test_begin/end``        ``on_test_begin(logs)`` / ``on_test_end(logs)``
``predict_begin/end``     ``on_predict_begin(logs)`` / ``on_predict_end(logs)``
``proposal_made``         ``on_proposal_made(event)``
``proposal_scored``       ``on_proposal_scored(event)``
``decision_taken``        ``on_decision(event)``
``variable_changed``      ``on_variable_changed(event)``
========================  ==============================================

A callback stops training with ``self.program.stop_training = True``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any

from synalinks_nb.events import (
    DecisionTaken,
    Event,
    ProposalMade,
    ProposalScored,
    TrainFailed,
    VariableChanged,
)

__all__ = ["Callback", "CallbackList"]


class Callback:
    """Base class of callbacks. Override only what you need.

    Attributes:
        program: the program being trained (set by the trainer).
        params: the run parameters (epochs, steps, batch_size...).

    Example:
        Log every accepted change, asynchronously:

        >>> import synalinks_nb as sn
        >>> class ChangeLog(Callback):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.lines = []
        ...     async def on_variable_changed(self, event):
        ...         self.lines.append(f"{event.variable_path} v{event.version}")
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.lines.append(f"epoch {epoch}: {logs['reward']:.2f}")
    """

    def __init__(self) -> None:
        self.program: Any = None
        self.params: dict[str, Any] = {}

    def set_program(self, program: Any) -> None:
        """Attach the program (Keras' ``set_model``)."""
        self.program = program

    def set_params(self, params: dict[str, Any]) -> None:
        """Receive the run parameters."""
        self.params = dict(params)

    def on_event(self, event: Event) -> Any:
        """Every event, before the specific method."""

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> Any:
        """Training starts."""

    def on_train_end(self, logs: dict[str, Any] | None = None) -> Any:
        """Training ended."""

    def on_train_failed(self, event: TrainFailed) -> Any:
        """``fit`` is ending with an exception
        (:class:`~synalinks_nb.events.TrainFailed`); ``on_train_end`` is not called."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> Any:
        """An epoch starts."""

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> Any:
        """An epoch ended."""

    def on_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """Alias of ``on_train_batch_begin`` (Keras)."""

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """Alias of ``on_train_batch_end`` (Keras)."""

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """A training batch starts (calls ``on_batch_begin``)."""
        return self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """A training batch ended (calls ``on_batch_end``)."""
        return self.on_batch_end(batch, logs)

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> Any:
        """Evaluation starts."""

    def on_test_end(self, logs: dict[str, Any] | None = None) -> Any:
        """Evaluation ended."""

    def on_test_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """An evaluation batch starts."""

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """An evaluation batch ended."""

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> Any:
        """Prediction starts."""

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> Any:
        """Prediction ended."""

    def on_predict_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """A prediction batch starts."""

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        """A prediction batch ended."""

    def on_proposal_made(self, event: ProposalMade) -> Any:
        """The optimizer proposed a value (:class:`~synalinks_nb.events.ProposalMade`)."""

    def on_proposal_scored(self, event: ProposalScored) -> Any:
        """A proposal was scored before/after on the same minibatch."""

    def on_decision(self, event: DecisionTaken) -> Any:
        """A proposal was accepted, edited or rejected."""

    def on_variable_changed(self, event: VariableChanged) -> Any:
        """A variable got a new version."""


def _method_call(cb: Callback, event: Event) -> Any:
    kind = event.kind
    logs = event.logs
    if kind in ("train_begin", "train_end", "test_begin", "test_end", "predict_begin",
                "predict_end"):
        return getattr(cb, f"on_{kind}")(logs)
    if kind in ("epoch_begin", "epoch_end"):
        return getattr(cb, f"on_{kind}")(event.epoch, logs)
    if kind in ("batch_begin", "batch_end"):
        mode = getattr(event, "mode", "train")
        return getattr(cb, f"on_{mode}_{kind}")(event.batch, logs)
    # The typed hooks: each receives its own event class.
    if isinstance(event, DecisionTaken):
        return cb.on_decision(event)
    if isinstance(event, ProposalMade):
        return cb.on_proposal_made(event)
    if isinstance(event, ProposalScored):
        return cb.on_proposal_scored(event)
    if isinstance(event, VariableChanged):
        return cb.on_variable_changed(event)
    if isinstance(event, TrainFailed):
        return cb.on_train_failed(event)
    return None


class CallbackList:
    """Deliver events to callbacks in order, awaiting async methods.

    The trainer sends typed events through :meth:`emit`. Code written for Synalinks (or
    Keras) may also call the ``on_*`` methods directly: each calls the same method of every
    callback in order. They are plain calls; when a callback's method is ``async``, the call
    returns an awaitable that finishes the remaining callbacks in order: await it.

    Args:
        callbacks: The callbacks (``None``: none).
        add_history: Add a :class:`~synalinks_nb.callbacks.History` if there is none.
        add_progbar: Add a :class:`~synalinks_nb.callbacks.ProgbarLogger` if there is none.
        program: Given to every callback's ``set_program``.
        params: Given to every callback's ``set_params`` (the keyword arguments that follow
            are added to them, as Synalinks' ``**params``).

    Example:
        >>> import synalinks_nb as sn
        >>> class Epochs(sn.callbacks.Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print("epoch", epoch, logs)
        >>> hooks = sn.callbacks.CallbackList([Epochs()], add_history=True, epochs=2)
        >>> [type(cb).__name__ for cb in hooks.callbacks]
        ['Epochs', 'History']
        >>> hooks.on_epoch_end(0, {"reward": 0.5})
        epoch 0 {'reward': 0.5}
    """

    def __init__(self, callbacks: Iterable[Callback] | None = None, add_history: bool = False,
                 add_progbar: bool = False, program: Any = None,
                 params: dict[str, Any] | None = None, **more_params: Any) -> None:
        self.program: Any = None
        self.params: dict[str, Any] = {}
        callbacks = () if callbacks is None else callbacks
        if isinstance(callbacks, Callback | str | bytes) or not isinstance(callbacks, Iterable):
            raise TypeError("Expected callbacks to be a list of Callback instances. "
                            f"Received: callbacks={callbacks!r}")
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"Expected callbacks to be Callback instances. "
                                f"Received: {type(cb).__name__}")
        self._add_default_callbacks(add_history, add_progbar)
        if program is not None:
            self.set_program(program)
        if params is not None or more_params:
            self.set_params({**(params or {}), **more_params})

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool) -> None:
        # Imported here: both modules subclass Callback, defined above.
        from synalinks_nb.callbacks.history import History
        from synalinks_nb.callbacks.progbar_logger import ProgbarLogger

        if add_history and not any(isinstance(cb, History) for cb in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.append(ProgbarLogger())

    def set_program(self, program: Any) -> None:
        """Give ``program`` to this list and to every callback."""
        self.program = program
        for cb in self.callbacks:
            cb.set_program(program)

    def set_params(self, params: dict[str, Any]) -> None:
        """Give the training parameters to this list and to every callback."""
        self.params = dict(params)
        for cb in self.callbacks:
            cb.set_params(params)

    def _each(self, method: str, *args: Any) -> Any:
        """Call ``method`` of each callback in order; see the class docstring for async ones."""
        for index, cb in enumerate(self.callbacks):
            result = getattr(cb, method)(*args)
            if inspect.isawaitable(result):
                return self._finish(result, method, args, index + 1)
        return None

    async def _finish(self, pending: Any, method: str, args: tuple[Any, ...],
                      start: int) -> None:
        await pending
        for cb in self.callbacks[start:]:
            result = getattr(cb, method)(*args)
            if inspect.isawaitable(result):
                await result

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_train_begin", logs)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_train_end", logs)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_test_begin", logs)

    def on_test_end(self, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_test_end", logs)

    def on_test_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_test_batch_end", batch, logs)

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_predict_begin", logs)

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_predict_end", logs)

    def on_predict_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> Any:
        return self._each("on_predict_batch_end", batch, logs)

    async def emit(self, event: Event) -> None:
        """Deliver ``event`` to every callback (``on_event`` then the specific method)."""
        for cb in self.callbacks:
            result = cb.on_event(event)
            if inspect.isawaitable(result):
                await result
            result = _method_call(cb, event)
            if inspect.isawaitable(result):
                await result

    def __iter__(self) -> Any:
        return iter(self.callbacks)
