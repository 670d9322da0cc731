"""``import synalinks_nb`` wall time in a fresh interpreter (target < 0.3 s), best of 5,
and the time to the first provider call through litellm's mock (which pays litellm's
own import, deferred by design)."""

from __future__ import annotations

import json
import subprocess
import sys

from bench._common import write_results

TARGET_S = 0.3

IMPORT = "import time; t=time.perf_counter(); import synalinks_nb; print(time.perf_counter()-t)"
FIRST_CALL = """
import asyncio, json, time
t = time.perf_counter()
import synalinks_nb as sn
imported = time.perf_counter() - t
lm = sn.LanguageModel("openai/gpt-4o-mini", api_key="sk-bench")
async def main():
    return await lm([{"role": "user", "content": "hi"}], mock_response="hello")
asyncio.run(main())
print(json.dumps({"import_s": imported, "first_call_s": time.perf_counter() - t}))
"""


def _python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1]


def run() -> list[dict[str, object]]:
    import_s = min(float(_python(IMPORT)) for _ in range(5))
    rows: list[dict[str, object]] = [{"measure": "import synalinks_nb (s)", "value": import_s,
                                      "target": TARGET_S, "met": import_s < TARGET_S}]
    try:
        first = json.loads(_python(FIRST_CALL))
        rows.append({"measure": "import + first litellm call (s)", "value": first["first_call_s"],
                     "target": "-", "met": "-"})
    except subprocess.CalledProcessError as exc:
        rows.append({"measure": "import + first litellm call (s)", "value": "failed",
                     "target": "-", "met": exc.stderr.strip().splitlines()[-1][:80]})
    write_results("import", rows)
    return rows


if __name__ == "__main__":
    run()
