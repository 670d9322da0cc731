"""Language-model calls written as JSON lines, for Synalinks' ``record_traces()``.

Each finished trace's model calls are appended, one JSON object per line, to
``<base_dir>/<program>/<module>/<module>_<timestamp>.jsonl`` (the program is the module
called at the top, the module the one whose call made the request; a model called on its
own files under its own name), as Synalinks' ``Recorder`` hook lays them out. A line
holds the conversation in OpenAI chat format (``messages``: the request, then the answer
as an assistant message), which fine-tuning tools read directly, and the call's
``program``, ``module``, ``model``, ``phase``, ``timestamp``, ``duration``, ``usage``,
``cost``, ``outputs``, ``inputs_hash`` (to deduplicate) and ``exception`` when it failed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from synalinks_nb.traces.records import CallTrace, LMCall, Span

__all__ = ["TraceFileWriter", "lm_call_record"]

_UNSAFE = re.compile(r"[^\w.-]+")


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "calls"


def _line(trace: CallTrace, span: Span, index: int, call: LMCall) -> dict[str, Any]:
    return lm_call_record(call, call_id=f"{trace.id}.{span.index}.{index}", program=trace.root,
                          module=span.module, timestamp=trace.timestamp + span.start_s)


def lm_call_record(call: LMCall, call_id: str, program: str, module: str, timestamp: float
                   ) -> dict[str, Any]:
    """One line of a file: ``call`` made by ``module`` inside a call of ``program``."""
    request = [dict(m) for m in call.messages]
    record: dict[str, Any] = {
        "call_id": call_id, "program": program,
        "module": module, "model": call.model, "phase": call.phase,
        "timestamp": timestamp, "duration": call.latency_s,
        "inputs_hash": hashlib.sha256(
            json.dumps(request, sort_keys=True, default=str).encode()).hexdigest(),
    }
    if call.error is not None:
        record.update(messages=request, usage=None, cost=None, outputs=None,
                      exception=call.error)
        return record
    answer = call.output if isinstance(call.output, str) else json.dumps(
        call.output, ensure_ascii=False)
    if isinstance(call.output, dict) and set(call.output) == {"role", "content"}:
        answer = str(call.output["content"])  # a chat answer: its text
    record.update(
        messages=[*request, {"role": "assistant", "content": answer}],
        usage={"prompt_tokens": call.prompt_tokens, "completion_tokens": call.completion_tokens,
               "total_tokens": call.prompt_tokens + call.completion_tokens},
        cost=call.cost, outputs=call.output,
    )
    return record


class TraceFileWriter:
    """Appends the model calls of finished traces under ``base_dir`` (see the module doc).

    Example:
        >>> import asyncio, json, tempfile, synalinks_nb as sn
        >>> folder = tempfile.mkdtemp()
        >>> sn.record_traces(base_dir=folder)
        >>> lm = sn.ScriptedLanguageModel(responses=["Paris."], name="quiz_model")
        >>> _ = asyncio.run(lm([{"role": "user", "content": "Capital of France?"}]))
        >>> [path] = sn.config.traces.writer.files()
        >>> json.loads(path.read_text())["messages"][-1]
        {'role': 'assistant', 'content': 'Paris.'}
        >>> sn.config.reset()
    """

    def __init__(self, base_dir: str | os.PathLike[str]) -> None:
        self.base_dir = Path(base_dir).expanduser()
        self._lock = threading.Lock()
        self._paths: dict[tuple[str, str], Path] = {}

    def _path(self, program: str, module: str) -> Path:
        key = (_safe(program), _safe(module))
        path = self._paths.get(key)
        if path is None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = self.base_dir / key[0] / key[1] / f"{key[1]}_{stamp}.jsonl"
            path.parent.mkdir(parents=True, exist_ok=True)
            self._paths[key] = path
        return path

    def write(self, trace: CallTrace) -> None:
        """Append one line per model call of ``trace``."""
        for span in trace.spans:
            for index, call in enumerate(span.lm_calls):
                self.append(trace.root, span.module, _line(trace, span, index, call))

    def append(self, program: str, module: str, record: dict[str, Any]) -> None:
        """Append ``record`` to the file of ``module`` under ``program``."""
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock, self._path(program, module).open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    def files(self) -> list[Path]:
        """The files written so far."""
        with self._lock:
            return sorted(self._paths.values())
