"""Fuzzing public constructors and ``evaluate``/``fit`` with wrong arguments.

The contract (``errors.py``): whatever a user passes, an exception is either one of
ours (:class:`~synalinks_nb.errors.SynalinksNbError`) or a ``ValueError``/``TypeError``
whose message says what was expected and what was received. Never an
``AttributeError``, ``KeyError`` or ``IndexError`` from deep inside.

Each argument is drawn either from values of the right kind or from a pool of wrong
ones (other types, negative numbers, NaN, empty containers, classes, functions).
"""

from __future__ import annotations

import asyncio
import math
import pathlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import synalinks_nb as sn
from synalinks_nb import callbacks, optimizers
from synalinks_nb.errors import SynalinksNbError

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


WRONG = st.sampled_from([
    None, True, False, 0, -1, -5, 10**9, 0.5, -0.5, math.nan, math.inf, "", "x", "{x}",
    "{instructions", b"bytes", [], [1], ["a", 1], {}, {"a": 1}, (), int, str, object,
    object(), len, pathlib.Path("."), Query, Query(query="q"),
])
texts = st.text(max_size=8)
small_ints = st.integers(-3, 12)
numbers = st.floats(-2, 5) | small_ints  # NaN and inf come from WRONG


def arg(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A right value or a wrong one."""
    return good | WRONG


def assert_typed(error: BaseException, call: str) -> None:
    """The error is ours, or a ValueError/TypeError saying what was expected and received."""
    if isinstance(error, SynalinksNbError):
        return
    message = str(error)
    assert isinstance(error, ValueError | TypeError), (
        f"{call} raised {type(error).__name__}: {message}")
    assert "Expected" in message and "Received" in message, (
        f"{call} raised {type(error).__name__} without saying what was expected and "
        f"received: {message}")


def attempt(function: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        result = function(**kwargs)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
    except Exception as error:  # the property under test: which exceptions escape
        assert_typed(error, f"{getattr(function, '__qualname__', function)}(**{kwargs!r})")
        return None
    return result


# -- language models ------------------------------------------------------------------------


@FUZZ
@given(model=arg(st.sampled_from(["openai/gpt-4o-mini", "local/smollm2", "x"])),
       name=arg(texts), api_base=arg(st.sampled_from(["http://127.0.0.1:9/v1"])),
       api_key=arg(texts), timeout=arg(numbers), retry=arg(small_ints),
       fallback=arg(st.sampled_from(["openai/b"])), cache=arg(st.sampled_from(["off", True])),
       max_concurrency=arg(small_ints), temperature=arg(numbers), max_tokens=arg(small_ints))
@example(model=42, name=None, api_base=None, api_key=None, timeout=600, retry=None,
         fallback=None, cache=None, max_concurrency=1, temperature=None, max_tokens=None)
def test_language_model_arguments(**kwargs: Any) -> None:
    attempt(sn.LanguageModel, **kwargs)


@FUZZ
@given(responses=arg(st.lists(st.just({"answer": "a"}), max_size=2)),
       handler=arg(st.just(lambda messages, schema: {"answer": "h"})),
       latency=arg(st.just(0.0)), name=arg(texts))
def test_scripted_language_model_arguments(**kwargs: Any) -> None:
    attempt(sn.ScriptedLanguageModel, **kwargs)


# -- modules ----------------------------------------------------------------------------------


@FUZZ
@given(data_model=arg(st.just(Query)), schema=arg(st.just(None)), name=arg(texts),
       description=arg(texts))
@example(data_model=int, schema=None, name=None, description=None)
def test_input_arguments(**kwargs: Any) -> None:
    attempt(sn.Input, **kwargs)


async def _build_and_call(module: Any) -> Any:
    x = sn.Input(data_model=Query)
    await module(x)
    return await module(Query(query="hello"))


def _scripted() -> sn.ScriptedLanguageModel:
    return sn.ScriptedLanguageModel(responses=[{"answer": "a", "thinking": "t",
                                                "choice": "yes", "label": "yes"}])


@FUZZ
@given(k=arg(small_ints), question=arg(texts), labels=arg(st.just(["yes", "no"])),
       mask=arg(st.just(["query"])), kind=st.sampled_from(
           ["ChainOfThought", "Decision", "SelfCritique", "InMask", "OutMask", "Identity"]))
def test_module_arguments_through_build_and_call(
    k: Any, question: Any, labels: Any, mask: Any, kind: str
) -> None:
    def make() -> Any:
        if kind == "ChainOfThought":
            return sn.ChainOfThought(data_model=Answer, k=k, language_model=_scripted())
        if kind == "Decision":
            return sn.Decision(question=question, labels=labels, language_model=_scripted())
        if kind == "SelfCritique":
            return sn.SelfCritique(return_inputs=k, language_model=_scripted())
        if kind in ("InMask", "OutMask"):
            return getattr(sn, kind)(mask=mask)
        return sn.Identity(name=question or None)

    make.__qualname__ = f"{kind}(k={k!r}, question={question!r}, labels={labels!r}, mask={mask!r})"
    module = attempt(make)
    if module is not None:
        attempt(_build_and_call, module=module)


# -- optimizers and callbacks -----------------------------------------------------------------


@FUZZ
@given(nb_min_examples=arg(small_ints), nb_max_examples=arg(small_ints),
       sampling=arg(st.sampled_from(["softmax", "uniform", "greedy"])),
       sampling_temperature=arg(numbers), population_size=arg(small_ints), name=arg(texts),
       success_threshold=arg(numbers), only_improvements=arg(st.booleans()))
@example(nb_min_examples=None, nb_max_examples=3, sampling="softmax", sampling_temperature=1.0,
         population_size=10, name=None, success_threshold=0.5, only_improvements=True)
def test_random_few_shot_arguments(**kwargs: Any) -> None:
    attempt(optimizers.RandomFewShot, **kwargs)


@FUZZ
@given(monitor=arg(st.sampled_from(["val_reward", "reward"])), min_delta=arg(numbers),
       patience=arg(small_ints), mode=arg(st.sampled_from(["min", "max"])),
       restore_best_variables=arg(st.booleans()), start_from_epoch=arg(small_ints))
def test_early_stopping_arguments(**kwargs: Any) -> None:
    attempt(callbacks.EarlyStopping, **kwargs)


@FUZZ
@given(max_calls=arg(small_ints), max_cost=arg(numbers), max_seconds=arg(numbers),
       path=arg(texts), separator=arg(texts), append=arg(st.booleans()),
       save_best_only=arg(st.booleans()), mode=arg(st.sampled_from(["min", "max"])))
def test_file_and_budget_callback_arguments(
    tmp_path_factory: pytest.TempPathFactory, max_calls: Any, max_cost: Any, max_seconds: Any,
    path: Any, separator: Any, append: Any, save_best_only: Any, mode: Any,
) -> None:
    folder = tmp_path_factory.mktemp("callbacks")
    file = folder / path if isinstance(path, str) and path else path
    attempt(callbacks.BudgetStopping, max_calls=max_calls, max_cost=max_cost,
            max_seconds=max_seconds)
    attempt(callbacks.BackupAndRestore, backup_path=file)
    attempt(callbacks.CSVLogger, filepath=file, separator=separator, append=append)
    attempt(callbacks.ProgramCheckpoint, filepath=file, save_best_only=save_best_only,
            mode=mode)


# -- evaluate and fit -------------------------------------------------------------------------


async def _compiled() -> sn.Program:
    x = sn.Input(data_model=Query)
    y = await sn.Generator(data_model=Answer, language_model=_scripted())(x)
    program = sn.Program(inputs=x, outputs=y)
    program.compile(reward="exact_match", optimizer=optimizers.RandomFewShot())
    return program


GOOD_X = [Query(query="a"), Query(query="b")]
GOOD_Y = [Answer(answer="a"), Answer(answer="b")]


@FUZZ
@given(x=arg(st.just(GOOD_X)), y=arg(st.just(GOOD_Y)), batch_size=arg(small_ints),
       verbose=arg(st.sampled_from([0, "auto"])))
def test_evaluate_arguments(**kwargs: Any) -> None:
    program = asyncio.run(_compiled())
    attempt(program.evaluate, **kwargs)


@settings(FUZZ, max_examples=60)
@given(batch_size=arg(small_ints), shuffle=arg(st.booleans()),
       epochs=st.integers(-2, 3) | WRONG.filter(lambda v: v != 10**9),  # 10**9 epochs would run
       initial_epoch=st.integers(0, 3), validation_split=st.floats(0, 0.9))
def test_fit_argument_validation(**kwargs: Any) -> None:
    program = asyncio.run(_compiled())
    attempt(program.fit, x=GOOD_X, y=GOOD_Y, verbose=0, approval="accept", **kwargs)


# -- found by the fuzzing, each a foreign error before it was fixed ---------------------------


@pytest.mark.parametrize("call", [
    lambda: sn.Generator(data_model=int),
    lambda: asyncio.run(_build_and_call(sn.Generator(
        data_model=Answer, prompt_template="{x}", language_model=_scripted()))),
    lambda: asyncio.run(asyncio.run(_compiled()).evaluate(GOOD_X, GOOD_Y,
                                                          callbacks=pathlib.Path("."))),
    lambda: asyncio.run(asyncio.run(_compiled()).fit(GOOD_X, GOOD_Y, validation_split="x",
                                                     verbose=0)),
    lambda: asyncio.run(asyncio.run(_compiled()).fit(GOOD_X, GOOD_Y, initial_epoch=None,
                                                     verbose=0, approval="accept")),
    lambda: sn.ApprovalPolicy("human", timeout=None),
], ids=["Generator(data_model=int)", "Generator(prompt_template='{x}')",
        "evaluate(callbacks=Path)", "fit(validation_split='x')", "fit(initial_epoch=None)",
        "ApprovalPolicy(timeout=None)"])
def test_known_untyped_errors(call: Callable[[], Any]) -> None:
    attempt(call)
