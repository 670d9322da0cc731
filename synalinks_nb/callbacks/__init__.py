"""Callbacks: react to training events (Keras names, sync or async)."""

from __future__ import annotations

from synalinks_nb.callbacks.callback import Callback, CallbackList
from synalinks_nb.callbacks.history import History
from synalinks_nb.callbacks.progress_bar import ProgressBar

__all__ = ["Callback", "CallbackList", "History", "ProgressBar"]
