"""``Recorder``: a language model's calls as JSON lines, for fine-tuning (Synalinks' hook).

The hook writes what ``sn.record_traces()`` writes, through the same writer
(:class:`~synalinks_nb.traces.files.TraceFileWriter`) and the same line format, but for
the one language model it is attached to, whether traces are recorded or not: each call
is one line in ``<base_dir>/<program>/<module>/<module>_<timestamp>.jsonl``, ``program``
being the outermost module of the call and ``module`` the one that asked the model
(a model called on its own files under its own name). Attached to anything but a
language model it records nothing, as in Synalinks.
"""

from __future__ import annotations

import os
import time
from typing import Any

from synalinks_nb.config import config
from synalinks_nb.hooks._context import current_lm_call
from synalinks_nb.hooks.dispatch import current_frame
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.traces.files import TraceFileWriter, lm_call_record

__all__ = ["Recorder"]


class Recorder(Hook):
    """Appends each call of the language model it watches to a JSON-lines file.

    Args:
        base_dir: the root folder (``None``: ``record_traces``' folder, else
            ``synalinks_home()``).

    Example:
        >>> import asyncio, json, tempfile, synalinks_nb as sn
        >>> folder = tempfile.mkdtemp()
        >>> lm = sn.ScriptedLanguageModel(responses=["Paris."], name="quiz")
        >>> recorder = sn.hooks.Recorder(base_dir=folder)
        >>> lm.add_hook(recorder)
        >>> _ = asyncio.run(lm([{"role": "user", "content": "Capital of France?"}]))
        >>> [path] = recorder.files()
        >>> json.loads(path.read_text())["messages"][-1]
        {'role': 'assistant', 'content': 'Paris.'}
    """

    def __init__(self, base_dir: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self.base_dir = str(base_dir) if base_dir else config.trace_recording_dir()
        self._writer = TraceFileWriter(self.base_dir)
        self._pending: dict[str, tuple[str, str, float]] = {}

    def files(self) -> list[Any]:
        """The files written so far (``pathlib.Path`` s)."""
        return self._writer.files()

    def on_call_begin(self, call_id: str, parent_call_id: str | None = None,
                      inputs: Any = None, kwargs: dict[str, Any] | None = None) -> None:
        """Note who asked the model, while the call's frame is still open."""
        if not hasattr(self.module, "model"):  # only language models are recorded
            return
        frame = current_frame()
        name = str(getattr(self.module, "name", "model"))
        if frame is None or frame.parent is None:
            program = origin = name
        else:
            program = str(getattr(frame.entry, "name", name))
            origin = str(getattr(frame.parent.owner, "name", name))
        self._pending[call_id] = (program, origin, time.time())

    def on_call_end(self, call_id: str, parent_call_id: str | None = None,
                    outputs: Any = None, exception: str | None = None) -> None:
        """Write the line (the model's record of the call holds messages and usage)."""
        pending = self._pending.pop(call_id, None)
        call = current_lm_call()
        if pending is None or call is None:
            return
        program, origin, started = pending
        record = lm_call_record(call, call_id=call_id, program=program, module=origin,
                                timestamp=started)
        record["parent_call_id"] = parent_call_id
        self._writer.append(program, origin, record)
