"""Hooks: code told when each call of a module or language model begins and ends.

Synalinks' ``synalinks.hooks``: :class:`Hook` (the base), :class:`HookList`,
:class:`Logger` (calls as text in the log, on with ``sn.enable_logging("info")``),
:class:`Monitor` (calls as MLflow spans, on with ``sn.enable_observability()``) and
:class:`Recorder` (a language model's calls as JSON lines). Attach one with
``module.add_hook(hook)`` or ``LanguageModel(..., hooks=[...])``;
:mod:`~synalinks_nb.hooks.dispatch` runs them for every call.

This package sits below language models and modules (which call it) and above
``traces`` and ``data_models``.
"""

from __future__ import annotations

from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.hook_list import HookList
from synalinks_nb.hooks.logger import Logger
from synalinks_nb.hooks.monitor import Monitor
from synalinks_nb.hooks.recorder import Recorder

__all__ = ["Hook", "HookList", "Logger", "Monitor", "Recorder"]
