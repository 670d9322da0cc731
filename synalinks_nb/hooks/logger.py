"""``Logger``: each module call as a block of text in the ``synalinks_nb.hooks.logger`` log.

A block names the call and its parent (so the blocks of one program call rebuild its
tree), the module's class, name and description, and the data: the JSON of the inputs
when the call begins and of the outputs when it ends at INFO, their schemas at DEBUG
while a graph is built, and the error at ERROR. ``sn.enable_logging("info")`` shows them
(modules get this hook from the settings; see :mod:`~synalinks_nb.hooks.dispatch`).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from synalinks_nb.hooks._payload import is_symbolic, leaves_json, plain_kwargs
from synalinks_nb.hooks.hook import Hook

__all__ = ["CALL_LOGGER", "Logger"]

CALL_LOGGER = __name__
"""The logger the blocks go to (a child of ``synalinks_nb``, which ``enable_logging`` sets)."""

_log = logging.getLogger(CALL_LOGGER)


class Logger(Hook):
    """Logs module calls through Python ``logging`` (Synalinks' hook).

    Example:
        >>> import asyncio, logging, synalinks_nb as sn
        >>> class Text(sn.DataModel):
        ...     text: str
        >>> records = []
        >>> class Keep(logging.Handler):
        ...     def emit(self, record):
        ...         records.append(record.getMessage())
        >>> log = logging.getLogger("synalinks_nb.hooks.logger")
        >>> log.addHandler(Keep()); log.setLevel(logging.INFO)
        >>> echo = sn.Identity(name="echo", description="Repeats its input")
        >>> _ = asyncio.run(echo(Text(text="hi")))
        >>> print(records[0].strip())
        Call ID: ...
        Parent call ID: None
        Module: Identity
        Module Name: echo
        Module Description: Repeats its input
        Data Model JSON:
        [
          {
            "text": "hi"
          }
        ]
        >>> log.handlers.clear(); log.setLevel(logging.NOTSET)
    """

    def on_call_begin(self, call_id: str, parent_call_id: str | None = None,
                      inputs: Any = None, kwargs: dict[str, Any] | None = None) -> None:
        """Log the inputs (their schemas at DEBUG for a symbolic call)."""
        symbolic = is_symbolic(inputs)
        leaves = leaves_json(inputs)
        if leaves:
            self._log(symbolic, call_id, parent_call_id, leaves)
            return
        shown = {k: v for k, v in plain_kwargs(kwargs).items() if k != "training"}
        if shown and not symbolic:
            self._log(False, call_id, parent_call_id, shown, "Keyword Arguments")

    def on_call_end(self, call_id: str, parent_call_id: str | None = None,
                    outputs: Any = None, exception: str | None = None) -> None:
        """Log the error, if any, then the outputs."""
        if exception:
            _log.error("\n# Exception\n%s\nException: %s\n",
                       self._header(call_id, parent_call_id), exception)
        leaves = leaves_json(outputs)
        if leaves:
            self._log(is_symbolic(outputs), call_id, parent_call_id, leaves)

    def _log(self, symbolic: bool, call_id: str, parent_call_id: str | None, data: Any,
             title: str | None = None) -> None:
        level = logging.DEBUG if symbolic else logging.INFO
        if not _log.isEnabledFor(level):
            return
        title = title or ("Data Model JSON Schema" if symbolic else "Data Model JSON")
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        _log.log(level, "\n%s\n%s:\n%s\n", self._header(call_id, parent_call_id), title, text)

    def _header(self, call_id: str, parent_call_id: str | None) -> str:
        module = self.module
        return (f"Call ID: {call_id}\nParent call ID: {parent_call_id}\n"
                f"Module: {type(module).__name__}\n"
                f"Module Name: {getattr(module, 'name', '')}\n"
                f"Module Description: {getattr(module, 'description', '') or ''}")
