"""Nothing silently wrong: bad labels, empty work, raising rewards, fatal provider errors and
optimizer failures each give a clear error or a counted failure, never a quiet zero."""

from __future__ import annotations

from typing import Any

import pytest
from category_task import Query, category_handler, dataset, make_program

import synalinks_nb as sn
from synalinks_nb import optimizers


async def _program(handler: Any = None) -> tuple[Any, Any]:
    lm = sn.ScriptedLanguageModel(handler=handler or category_handler())
    program = await make_program(lm)
    program.compile(reward="exact_match",
                    optimizer=optimizers.RandomFewShot(nb_min_examples=4, nb_max_examples=4))
    return program, lm


class Other(sn.DataModel):
    answer: str


@pytest.mark.parametrize(("labels", "message"), [
    ([Other(answer="FRUIT")] * 8, r"unknown field\(s\) \['answer'\]"),
    ([{"lable": "FRUIT"}] * 8, r"unknown field\(s\) \['lable'\]"),
    ([{"label": 3}] * 8, r"y\[0\]\.label to match the program's output schema"),
    ([None] * 8, r"y\[0\] to be a data model or a dict"),
    (None, r"Expected labels \(y=...\) for the reward\(s\) \['ExactMatch'\]"),
])
async def test_labels_that_cannot_be_compared_are_refused_before_any_call(
        labels: Any, message: str) -> None:
    program, lm = await _program()
    xs, _ = dataset(8)
    with pytest.raises(ValueError, match=message):
        await program.fit(xs, labels, epochs=1, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=message):
        await program.evaluate(xs, labels)
    assert lm.calls == []


async def test_partial_labels_are_fine() -> None:
    program, _ = await _program()
    xs, ys = dataset(8)
    assert (await program.evaluate(xs, [{"label": y.label} for y in ys]))["errors"] == 0


async def test_empty_training_data_is_an_error_not_a_success() -> None:
    program, lm = await _program()
    with pytest.raises(ValueError, match="at least one training sample"):
        await program.fit([], [], epochs=1, verbose=0)
    xs, ys = dataset(4)
    with pytest.raises(ValueError, match=r"4 of them held out by validation_split=0.99"):
        await program.fit(xs, ys, epochs=1, verbose=0, validation_split=0.99)
    assert lm.calls == []


@pytest.mark.parametrize("max_errors", [-1, 1.5, True, "3"])
async def test_max_errors_is_checked(max_errors: Any) -> None:
    program, _ = await _program()
    xs, ys = dataset(4)
    with pytest.raises(ValueError, match="max_errors to be None or an int >= 0"):
        await program.fit(xs, ys, verbose=0, max_errors=max_errors)


async def test_a_reward_that_raises_is_an_error_with_its_cause() -> None:
    def broken(y_true: Any, y_pred: Any) -> float:
        raise KeyError("label")

    program, _ = await _program()
    program.compile(reward=broken, optimizer="random_few_shot")
    xs, ys = dataset(8)
    with pytest.raises(sn.errors.RewardError, match="raised KeyError") as info:
        await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0)
    assert isinstance(info.value.__cause__, KeyError)
    with pytest.raises(sn.errors.RewardError):
        await program.evaluate(xs, ys)


async def test_an_authentication_error_stops_fit_at_the_first_batch() -> None:
    def refused(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        raise sn.errors.AuthenticationError("Incorrect API key", model="m", status_code=401)

    program, lm = await _program(refused)
    xs, ys = dataset(32)
    history = sn.callbacks.History()
    with pytest.raises(sn.errors.AuthenticationError, match="Incorrect API key"):
        await program.fit(xs, ys, epochs=3, batch_size=8, verbose=0, callbacks=[history])
    assert len(lm.calls) <= 8  # one batch, not three epochs of failures
    assert history.history == {}


@pytest.mark.parametrize(("status", "fatal"), [(404, True), (400, True), (503, False)])
async def test_errors_that_retrying_cannot_fix_stop_fit(status: int, fatal: bool) -> None:
    def failing(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        raise sn.errors.ProviderError(f"HTTP {status}", model="m", status_code=status)

    program, _ = await _program(failing)
    xs, ys = dataset(16)
    if fatal:
        with pytest.raises(sn.errors.ProviderError, match=f"HTTP {status}"):
            await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0)
    else:
        history = await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0)
        assert history.history["errors"] == [12, 12]  # 12 train samples, 4 held out


async def test_an_optimizer_whose_model_fails_is_counted_and_fit_goes_on() -> None:
    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        if "instructions" in schema.get("properties", {}):
            raise sn.errors.ProviderUnavailableError("optimizer model down", status_code=503)
        return dict(category_handler()(messages, schema))

    lm = sn.ScriptedLanguageModel(handler=handler)
    program = await make_program(lm)
    program.compile(reward="exact_match", optimizer=optimizers.OMEGA())
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0)
    # no model given to OMEGA: it wrote with the program's model (which failed), not the
    # embedded default; each of its 3 steps per epoch failed, counted, and fit went on
    assert history.history["errors"] == [3, 3]
    assert history.proposals == []


async def test_a_gepa_whose_reflection_model_fails_is_counted_and_fit_goes_on() -> None:
    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        if "reflection" in schema.get("properties", {}):
            raise sn.errors.ProviderUnavailableError("reflection model down", status_code=503)
        return dict(category_handler()(messages, schema))

    program = await make_program(sn.ScriptedLanguageModel(handler=handler))
    program.compile(reward="exact_match", optimizer="gepa")
    xs, ys = dataset(16)
    history = await program.fit(xs, ys, epochs=2, batch_size=4, verbose=0)
    # every batch has failures to reflect on; each of the 3 steps per epoch failed, counted
    assert history.history["errors"] == [3, 3]
    assert history.proposals == []


async def test_a_value_its_schema_accepts_never_crashes_the_generator() -> None:
    def handler(messages: list[dict[str, Any]], schema: Any) -> dict[str, Any]:
        if "instructions" in schema.get("properties", {}):
            return {"examples": []}  # optional "instructions" left out
        return {"label": "UNKNOWN"}

    program = await make_program(sn.ScriptedLanguageModel(handler=handler))
    program.compile(reward="exact_match",
                    optimizer=optimizers.OMEGA(only_improvements=False))
    xs, ys = dataset(8)
    history = await program.fit(xs, ys, epochs=1, batch_size=4, verbose=0, approval="accept",
                                acceptance="batch")
    assert history.history["errors"] == [0]
    assert history.proposals and all(p["accepted"] for p in history.proposals)
    assert (await program(Query(category="fruit", item="x"))).get_json() == {"label": "UNKNOWN"}
