"""DSPy's optimizers on the benchmark's tasks, one task x optimizer per interpreter.

``python -m bench._dspy_side TASK OPTIMIZER API_BASE OUT.json SERVER.log LIMIT_S TEST_N``
compiles the task's DSPy program with one optimizer against the llama.cpp server at
``API_BASE`` and writes the test score after it, the LM calls the compile made (the
requests the server's access log shows during the compile: every call and the
optimizer's own proposals) and its wall time. ``OPTIMIZER`` ``baseline`` only scores
the uncompiled program. The compile is stopped after ``LIMIT_S`` seconds: a watchdog
thread writes the timeout (no score, the calls made so far) and ends the process, since
DSPy's optimizers catch exceptions raised inside a compile and carry on, a signal's
included. ``TEST_N`` > 0 scores the first ``TEST_N`` test samples only. The parent
(:mod:`bench.bench_optimizers`) runs each in its own process, also under a time limit,
so a hung or crashed optimizer is recorded as such and the next one starts clean.

The model is ``hosted_vllm/smollm2`` (the server's OpenAI-compatible API) at
temperature 0, at most 64 tokens per answer, DSPy's cache off, one thread. The metric is
exact match on ``answer`` (the same as synalinks_nb's ``ExactMatch``).

The adapter is DSPy's ChatAdapter (with its JSON-mode fallback) given a parser tuned to
SmolLM2's slips (:class:`TolerantChatAdapter`), so that the comparison is between
optimizers, not output parsers: with DSPy's own parser, SmolLM2's answers are almost
never read (``[[ ## answer## ]]``, then the right word, then junk after a blank line; the
JSON fallback then asks for JSON and gets prose), and every optimizer scores 0 (the
``--dspy-adapter default`` run). Ours needs no such help: constrained decoding keeps the
answers well-formed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._optimizer_tasks import Task, load_tasks

#: Answers are a few words; SmolLM2 otherwise rambles on for hundreds of tokens.
MAX_TOKENS = 64
OPTIMIZERS = ["LabeledFewShot", "BootstrapFewShot", "BootstrapRS", "MIPROv2-light", "GEPA"]


#: A field header as SmolLM2 writes it: ``[[ ## answer## ]]``, ``[[## answer ##]]``...
_HEADER = re.compile(r"^\s*\[\[\s*#+\s*(\w+)\s*#+\s*\]\]")


def tolerant_adapter() -> Any:
    """DSPy's ChatAdapter reading SmolLM2's near-miss headers, each field's value up to its
    first blank line (the model adds junk after it)."""
    from dspy.adapters.chat_adapter import ChatAdapter

    class TolerantChatAdapter(ChatAdapter):  # type: ignore[misc]
        def parse(self, signature: Any, completion: str) -> dict[str, Any]:
            lines, skipping = [], False
            for line in completion.splitlines():
                header = _HEADER.match(line)
                if header:
                    lines.append(f"[[ ## {header.group(1)} ## ]]{line[header.end():]}")
                    skipping = False
                elif not line.strip() and lines and not lines[-1].startswith("[[ ## "):
                    skipping = True  # the value ended; what follows is not part of it
                elif not skipping:
                    lines.append(line)
            return dict(super().parse(signature, "\n".join(lines)))

    return TolerantChatAdapter()


def _metric(example: Any, prediction: Any, trace: Any = None, *_: Any) -> float:
    return float(str(getattr(prediction, "answer", "")).strip() == example.answer)


def _feedback_metric(example: Any, prediction: Any, trace: Any = None,
                     pred_name: Any = None, pred_trace: Any = None) -> Any:
    import dspy

    got = str(getattr(prediction, "answer", "")).strip()
    score = float(got == example.answer)
    feedback = "Correct." if score else f"Expected {example.answer!r}, answered {got!r}."
    return dspy.Prediction(score=score, feedback=feedback)


def _program(task: Task) -> Any:
    import dspy

    predictors = [dspy.Predict(dspy.make_signature(
        {step.input: (str, dspy.InputField()),
         step.output: (str, dspy.OutputField(desc=step.description))},
        step.instructions)) for step in task.steps]

    class Chain(dspy.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.steps = predictors

        def forward(self, **inputs: Any) -> Any:
            result = None
            for i, (step, predict) in enumerate(zip(task.steps, self.steps, strict=True)):
                result = predict(**inputs)
                if i + 1 < len(task.steps):  # the next Generator reads this one's output
                    inputs = {task.steps[i + 1].input: getattr(result, step.output)}
            return result

    return Chain()


def _examples(task: Task, split: str, limit: int | None) -> list[Any]:
    import dspy

    return [dspy.Example(**{task.input_field: row["input"], "answer": row["answer"]})
            .with_inputs(task.input_field) for row in task.split(split, limit)]


def _score(program: Any, examples: list[Any]) -> float:
    right = 0.0
    for example in examples:
        # An unparseable answer counts as wrong, as in DSPy's Evaluate.
        with contextlib.suppress(Exception):
            right += _metric(example, program(**example.inputs()))
    return right / len(examples)


def _compilers(lm: Any, quick: bool) -> dict[str, Callable[[Any, list[Any], list[Any]], Any]]:
    """Each optimizer with its budget, bounded for ~5 minutes of SmolLM2 on 2 cores."""
    from dspy.teleprompt import (
        GEPA,
        BootstrapFewShot,
        BootstrapFewShotWithRandomSearch,
        LabeledFewShot,
        MIPROv2,
    )

    demos = {"max_bootstrapped_demos": 4, "max_labeled_demos": 4}
    return {
        "LabeledFewShot": lambda p, tr, va: LabeledFewShot(k=4).compile(p, trainset=tr),
        "BootstrapFewShot": lambda p, tr, va: BootstrapFewShot(metric=_metric, **demos)
        .compile(p, trainset=tr),
        "BootstrapRS": lambda p, tr, va: BootstrapFewShotWithRandomSearch(
            metric=_metric, num_candidate_programs=2 if quick else 4, num_threads=1, **demos)
        .compile(p, trainset=tr, valset=va),
        "MIPROv2-light": lambda p, tr, va: MIPROv2(
            metric=_metric, auto="light", prompt_model=lm, task_model=lm, num_threads=1,
            verbose=False).compile(p, trainset=tr, valset=va, max_bootstrapped_demos=2,
                                   max_labeled_demos=2),
        "GEPA": lambda p, tr, va: GEPA(
            metric=_feedback_metric, reflection_lm=lm, num_threads=1,
            max_metric_calls=20 if quick else 40).compile(p, trainset=tr, valset=va),
    }


def _requests(log: Path) -> int:
    return log.read_text(errors="replace").count("POST /v1/chat/completions")


def _watchdog(out: Path, log: Path, limit: float, requests_before: int,
              started: float) -> threading.Timer:
    """A started timer that, after ``limit`` seconds, records a timeout and ends the process."""
    def stop() -> None:
        out.write_text(json.dumps({
            "status": f"timeout: compile stopped after {limit:.0f} s",
            "lm_calls": _requests(log) - requests_before,
            "wall_s": time.perf_counter() - started}), encoding="utf-8")
        os._exit(0)  # the compile runs in the main thread, maybe inside DSPy's executor

    timer = threading.Timer(limit, stop)
    timer.daemon = True
    timer.start()
    return timer


def run_one(task_name: str, optimizer: str, api_base: str, log: Path, quick: bool,
            compile_limit: float, test_limit: int | None, out: Path,
            adapter: str = "tolerant") -> dict[str, Any]:
    """Compile and score one task with one optimizer (``baseline``: score only)."""
    import dspy

    [task] = load_tasks([task_name])
    limit = 4 if quick else None
    # hosted_vllm/, not openai/: for openai/ DSPy 3.4 sends max_completion_tokens, which
    # llama-cpp-python's server ignores, and SmolLM2 then writes until the context is full.
    lm = dspy.LM("hosted_vllm/smollm2", api_base=api_base, api_key="sk-local", temperature=0.0,
                 max_tokens=MAX_TOKENS, cache=False, num_retries=0)
    # The ChatAdapter (JSON-mode fallback included), with the tolerant parser unless the
    # run asks for DSPy's own (see the module's docstring).
    dspy.configure(lm=lm, **({} if adapter == "default" else {"adapter": tolerant_adapter()}))
    test = _examples(task, "test", limit or test_limit)
    program = _program(task)
    if optimizer == "baseline":
        return {"test": _score(program, test), "lm_calls": 0, "wall_s": 0.0}
    compile_fn = _compilers(lm, quick)[optimizer]
    requests_before, started = _requests(log), time.perf_counter()
    # Only the compile is bounded; scoring the result on the test split is not.
    watchdog = _watchdog(out, log, compile_limit, requests_before, started)
    try:
        compiled = compile_fn(program, _examples(task, "train", limit),
                              _examples(task, "validation", limit))
    finally:
        watchdog.cancel()
    wall_s = time.perf_counter() - started
    calls = _requests(log) - requests_before
    return {"test": _score(compiled, test), "lm_calls": calls, "wall_s": wall_s}


def main(argv: list[str]) -> None:
    task, optimizer, api_base, out, log, compile_limit, test_limit = argv[:7]
    quick = "--quick" in argv
    adapter = "default" if "--default-adapter" in argv else "tolerant"
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        result: dict[str, Any] = {"status": "ok", **run_one(
            task, optimizer, api_base, Path(log), quick, float(compile_limit),
            int(test_limit) or None, Path(out), adapter)}
    except Exception as exc:
        result = {"status": "crashed", "error": f"{type(exc).__name__}: {exc}"[:500],
                  "traceback": traceback.format_exc()[-2000:]}
    Path(out).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
