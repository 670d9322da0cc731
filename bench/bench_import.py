"""``import synalinks_nb`` wall time (target < 0.3 s) and time to the first provider call.

Import: a fresh interpreter times ``import synalinks_nb``, best of 5.

First provider call: a fresh interpreter imports the package, builds
``LanguageModel("openai/bench-model", api_base=...)`` and awaits one structured
answer from an OpenAI-compatible server on 127.0.0.1 (the standard-library server
of the test suite, ``tests/language_models/openai_server.py``, run in this process).
Real HTTP through litellm, no network, no key. It is timed two ways: from the first
line of the script (import included) and from just before the interpreter is
started (interpreter start-up included), and split into importing the package,
importing litellm (deferred by the package to the first call, done apart here to show
where the time goes) and the call itself; a second call on the same model shows the
warm cost. No target in the issue; best of 3 (each line's own best).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from bench._common import write_results

TARGET_S = 0.3
SERVER = Path(__file__).parent.parent / "tests" / "language_models" / "openai_server.py"

IMPORT = "import time; t=time.perf_counter(); import synalinks_nb; print(time.perf_counter()-t)"
FIRST_CALL = """
import asyncio, json, sys, time
t = time.perf_counter()
import synalinks_nb as sn
from synalinks_nb.language_models.litellm_backend import import_litellm
imported = time.perf_counter() - t
lm = sn.LanguageModel("openai/bench-model", api_base=sys.argv[1], api_key="sk-bench")
schema = {"type": "object", "properties": {"answer": {"type": "string"}},
          "required": ["answer"]}
s = time.perf_counter()
import_litellm()  # what the first call would do; timed apart to show where time goes
litellm = time.perf_counter() - s
async def main():
    s = time.perf_counter()
    first = await lm([{"role": "user", "content": "hi"}], schema=schema)
    answered = time.time(), time.perf_counter() - t, time.perf_counter() - s
    s = time.perf_counter()
    await lm([{"role": "user", "content": "again"}], schema=schema)
    return first.get_json(), answered, time.perf_counter() - s
answer, (wall, total, first), second = asyncio.run(main())
assert answer == {"answer": "hello"}, answer
print(json.dumps({"import_s": imported, "litellm_import_s": litellm, "first_call_s": first,
                  "total_s": total, "wall": wall, "second_call_s": second}))
"""


def _python(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1][:200])
    return out.stdout.strip().splitlines()[-1]


def _server_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openai_server", SERVER)
    if spec is None or spec.loader is None:
        raise ImportError(f"Expected the test server at {SERVER}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _first_call(api_base: str) -> dict[str, Any]:
    started = time.time()
    result: dict[str, Any] = json.loads(_python(FIRST_CALL, api_base))
    result["from_start_s"] = result.pop("wall") - started
    return result


def run(quick: bool = False) -> list[dict[str, Any]]:
    repeat = 1 if quick else 5
    import_s = min(float(_python(IMPORT)) for _ in range(repeat))
    rows: list[dict[str, Any]] = [{"measure": "import synalinks_nb (s)", "value": import_s,
                                   "target": TARGET_S, "met": import_s < TARGET_S}]
    server = _server_module()
    with server.OpenAIServer() as local:
        local.script(server.Reply(content='{"answer": "hello"}'))
        calls = [_first_call(local.api_base) for _ in range(1 if quick else 3)]
    best = {key: min(c[key] for c in calls) for key in calls[0]}
    for key, what in [("total_s", "script start -> first provider answer (s)"),
                      ("from_start_s", "interpreter start -> first provider answer (s)"),
                      ("import_s", "  of which: import synalinks_nb (s)"),
                      ("litellm_import_s", "  of which: import litellm (s)"),
                      ("first_call_s", "  of which: the first call, litellm imported (s)"),
                      ("second_call_s", "second provider call, warm (s)")]:
        rows.append({"measure": what, "value": best[key], "target": "-", "met": "-"})
    write_results("import", rows, quick=quick)
    return rows


if __name__ == "__main__":
    run()
