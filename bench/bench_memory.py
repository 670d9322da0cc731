"""Peak RSS of a 2,000-sample ``fit``, and the size of the program saved after it.

Each fit runs in a fresh interpreter (``python -m bench.bench_memory --child N DIR``)
so that the peak RSS is that fit's alone: one Generator, an instant scripted
model, RandomFewShot, one epoch, batch size 32, then ``program.save``. The scripted
model's record of requests (a test double's feature) is cleared after every batch,
so it is not counted as the library's memory.

The same fit on 200 samples is measured beside it. The save must not grow with the
number of training samples beyond the kept examples and versions: the table splits
the file into the variables (current value with its kept examples, and versions),
the optimizer state (RandomFewShot's pool, at most ``pool_size`` predictions) and the
rest (``rest_bytes``: the file without those two and without the examples the
Generator's config repeats), which must be the same size for 200 and 2,000 samples.
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench._common import write_results

SIZES = (200, 2000)
BATCH_SIZE = 32
CATEGORIES = ["fruit", "tool", "animal", "color"]


def _peak_mb() -> float:
    """This process's peak RSS in MiB.

    Linux carries ``ru_maxrss`` across ``exec`` from the parent that spawned us (a busy
    ``python -m bench`` would show through), so read the high-water mark of our own
    address space, ``VmHWM``, where there is one.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _child(samples: int, folder: Path) -> dict[str, Any]:
    import synalinks_nb as sn
    from synalinks_nb.callbacks.callback import Callback
    from synalinks_nb.saving.file_io import dumps
    from synalinks_nb.saving.saving_api import program_document

    class Query(sn.DataModel):
        category: str
        item: str

    class Label(sn.DataModel):
        label: str

    def label(messages: list[dict[str, str]], schema: Any) -> dict[str, Any]:
        query = json.loads(messages[-1]["content"])
        known = any(f'"category": "{query["category"]}"' in m["content"] for m in messages[:-1])
        return {"label": query["category"].upper() if known else "UNKNOWN"}

    sn.set_seed(1234)
    lm = sn.ScriptedLanguageModel(handler=label)

    class ForgetRequests(Callback):
        def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
            lm.calls.clear()

    inputs = sn.Input(data_model=Query)
    program = sn.Program(inputs=inputs, outputs=await sn.Generator(
        data_model=Label, language_model=lm)(inputs), name="classifier")
    program.compile(reward="exact_match", optimizer="random_few_shot")
    xs = [Query(category=CATEGORIES[i % 4], item=f"item number {i}") for i in range(samples)]
    ys = [Label(label=x.category.upper()) for x in xs]
    await program.evaluate(xs[:BATCH_SIZE], ys[:BATCH_SIZE], verbose=0)  # warm up
    before_mb = _peak_mb()
    await program.fit(xs, ys, epochs=1, batch_size=BATCH_SIZE, verbose=0, approval="accept",
                      callbacks=[ForgetRequests()])
    peak_mb = _peak_mb()
    path = folder / f"program_{samples}.json"
    program.save(path)
    document = program_document(program)
    variables = document["variables"]
    state = document["optimizer_state"]
    size = path.stat().st_size
    # The file without variables, optimizer state and examples: what must not grow.
    rest = dumps(_without_examples({**document, "variables": [], "optimizer_state": None}),
                 indent=2)
    return {"samples": samples, "peak_rss_before_fit_mb": before_mb, "peak_rss_mb": peak_mb,
            "save_bytes": size, "versions": sum(len(v["versions"]) for v in variables),
            "examples_kept": sum(len(v["value"].get("examples", [])) for v in variables),
            "pool_entries": sum(len(s.get("pool", [])) for s in state["variables"].values()),
            "rest_bytes": len(rest.encode())}


def _without_examples(value: Any) -> Any:
    """``value`` with every ``"examples"`` list emptied (the Generator's config has them)."""
    if isinstance(value, dict):
        return {k: [] if k == "examples" else _without_examples(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_examples(v) for v in value]
    return value


def _measure(samples: int, folder: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_memory", "--child", str(samples), str(folder)],
        capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if out.returncode:
        raise RuntimeError(f"The {samples}-sample fit failed:\n{out.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(quick: bool = False) -> list[dict[str, Any]]:
    sizes = (20, 200) if quick else SIZES
    with tempfile.TemporaryDirectory() as folder:
        rows = [_measure(n, Path(folder)) for n in sizes]
    small, large = rows
    grows = large["rest_bytes"] - small["rest_bytes"]
    for row in rows:
        row["target"] = "rest_bytes independent of samples"
        row["met"] = grows == 0
    write_results("memory", rows, quick=quick, batch_size=BATCH_SIZE,
                  rest_bytes_growth=grows)
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        report = asyncio.run(_child(int(sys.argv[2]), Path(sys.argv[3])))
        print(json.dumps(report))
    else:
        run()
