"""docs/customizing_fit.md's example runs as written (scripted model, no network)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "customizing_fit.md"


async def test_the_every_other_batch_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    code = compile(blocks[0], str(DOC), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    namespace: dict[str, Any] = {}
    result = eval(code, namespace)  # our own documentation: running it is the point
    if result is not None:
        await result
    proposals = namespace["history"].proposals
    assert proposals and {p["batch"] for p in proposals} <= {0, 2}
