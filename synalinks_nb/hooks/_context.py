"""The language-model call whose hooks are ending (read by ``Monitor`` and ``Recorder``)."""

from __future__ import annotations

import contextvars
from typing import Any

__all__ = ["current_lm_call", "lm_call"]

lm_call: contextvars.ContextVar[Any] = contextvars.ContextVar("sn_hook_lm_call", default=None)


def current_lm_call() -> Any:
    """While a language model's hooks end: the call's record (an ``LMCall``), else ``None``."""
    return lm_call.get()
