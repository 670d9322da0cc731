"""Small file helpers shared by the callbacks that write files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["atomic_write_json", "program_variables"]


def atomic_write_json(path: str | Path, data: Any) -> None:
    """Write JSON so that readers see either the old file or the new one, never half."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def program_variables(program: Any) -> dict[str, Any]:
    """``{variable path: value}`` for every variable of ``program``."""
    return {v.path: v.get_json() for v in program.variables}
