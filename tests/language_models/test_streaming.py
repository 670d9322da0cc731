"""Streamed answers: pieces shown as they arrive, the same validated answer, typed errors,
time to first / last token, and where the pieces are shown (or not)."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import StructuredOutputError
from synalinks_nb.language_models import (
    Cache,
    ScriptedLanguageModel,
    TransientError,
    WriterSink,
    quiet_streams,
    streaming_to,
    usage_phase,
)
from synalinks_nb.language_models import streaming as streaming_module
from synalinks_nb.language_models.embedded import LlamaBackend
from synalinks_nb.language_models.settings import RetryPolicy, SamplingSettings

ASK = [{"role": "user", "content": "What is the capital of France?"}]
ANSWER = {"title": "Answer", "type": "object",
          "properties": {"answer": {"type": "string"}}, "required": ["answer"]}


class Shown:
    """A sink keeping what each answer showed, and whether it was closed (and why)."""

    def __init__(self) -> None:
        self.answers: list[dict[str, Any]] = []

    def open(self, label: str) -> Any:
        answer: dict[str, Any] = {"label": label, "pieces": [], "closed": False, "error": None}
        self.answers.append(answer)

        class Stream:
            def write(self, text: str) -> None:
                assert not answer["closed"], "a piece arrived after close()"
                answer["pieces"].append(text)

            def close(self, error: str | None = None) -> None:
                answer["closed"], answer["error"] = True, error

        return Stream()


async def test_pieces_reach_the_sink_in_order_while_the_call_is_still_running() -> None:
    first_shown, go_on = asyncio.Event(), asyncio.Event()

    async def pieces() -> AsyncIterator[str]:
        yield "Paris"
        await go_on.wait()  # the rest comes only once the test has seen the first piece
        yield " is the"
        yield " capital."

    lm = ScriptedLanguageModel(handler=lambda messages, schema: pieces())
    seen: list[str] = []

    def show(label: str, text: str) -> None:
        seen.append(text)
        first_shown.set()

    with streaming_to(show):
        call = asyncio.ensure_future(lm(ASK, streaming=True))
        await asyncio.wait_for(first_shown.wait(), 10)
    assert seen == ["Paris"] and not call.done()
    go_on.set()
    answer = await asyncio.wait_for(call, 10)
    assert seen == ["Paris", " is the", " capital."]
    assert answer.get_json() == {"role": "assistant", "content": "Paris is the capital."}


async def test_a_structured_answer_streams_its_json_and_comes_back_validated() -> None:
    lm = ScriptedLanguageModel(responses=[{"answer": "Paris"}])
    shown = Shown()
    with streaming_to(shown):
        answer = await lm(ASK, schema=ANSWER, streaming=True)
    assert answer.get_json() == {"answer": "Paris"}
    assert answer.get_schema() == ANSWER
    [one] = shown.answers
    assert "".join(one["pieces"]) == '{"answer": "Paris"}' and len(one["pieces"]) > 1
    assert one["closed"] and one["error"] is None and one["label"] == "scripted"


@pytest.mark.parametrize("streaming", [False, True])
async def test_a_malformed_answer_fails_the_same_way_streamed_or_not(streaming: bool) -> None:
    lm = ScriptedLanguageModel(responses=["not JSON at all", '{"answer": 3}'])
    shown = Shown()
    with streaming_to(shown), pytest.raises(StructuredOutputError) as raised:
        await lm(ASK, schema=ANSWER, streaming=streaming)
    assert raised.value.raw == '{"answer": 3}'  # the repair attempt's answer
    assert len(lm.calls) == 2
    assert lm.usage["inference"].failures == 1
    # Streamed: each attempt was shown on its own, and ended.
    assert [("".join(a["pieces"]), a["closed"]) for a in shown.answers] == (
        [("not JSON at all", True), ('{"answer": 3}', True)] if streaming else [])
    assert lm.usage["inference"].streamed_calls == 0  # a failed call has no latencies


async def test_a_stream_failing_midway_is_retried_and_its_output_says_why() -> None:
    attempts = []

    async def flaky() -> AsyncIterator[str]:
        yield "Par"
        if len(attempts) == 1:
            raise TransientError(sn.errors.ProviderUnavailableError("connection reset",
                                                                    model="scripted"))
        yield "is."

    def handler(messages: Any, schema: Any) -> AsyncIterator[str]:
        attempts.append(1)
        return flaky()

    lm = ScriptedLanguageModel(handler=handler)
    lm.retry = RetryPolicy(max_retries=1, initial_delay=0.0)
    shown = Shown()
    with streaming_to(shown):
        answer = await lm(ASK, streaming=True)
    assert answer["content"] == "Paris."
    assert [a["pieces"] for a in shown.answers] == [["Par"], ["Par", "is."]]
    assert "connection reset" in (shown.answers[0]["error"] or "")
    assert shown.answers[1]["error"] is None


async def test_latencies_are_counted_per_phase_and_read_by_the_metrics() -> None:
    lm = ScriptedLanguageModel(responses=["one two three"])
    x = sn.Input(data_model=sn.ChatMessages)
    program = sn.Program(inputs=x, outputs=await sn.Generator(language_model=lm,
                                                              streaming=True)(x))
    first = sn.metrics.AvgTimeToFirstToken()
    last = sn.metrics.get("avg_time_to_last_token")
    trajectory = sn.metrics.AvgTrajectoryTimeToFirstToken()
    for metric in (first, last, trajectory):
        metric.bind_program(program)
    chat = sn.ChatMessages(messages=[{"role": "user", "content": "count"}])
    with streaming_to(lambda label, text: None):
        await program(chat)
        await program(chat)
        with usage_phase("reward"):  # a judge's streamed call: its own phase
            await lm(ASK, streaming=True)
    usage = lm.usage["inference"]
    assert (usage.calls, usage.streamed_calls) == (2, 2)
    assert 0.0 < usage.ttft_s <= usage.ttlt_s
    assert first.result() == pytest.approx(usage.ttft_s / 2)
    assert last.result() == pytest.approx(usage.ttlt_s / 2)
    assert first.result() <= last.result()
    assert trajectory.result() == 0.0  # no agent around these calls
    assert lm.usage["reward"].streamed_calls == 1
    first.reset_state()
    assert first.result() == 0.0


async def test_calls_without_streaming_leave_the_latency_metrics_at_zero() -> None:
    lm = ScriptedLanguageModel(responses=["whole"])
    metric = sn.metrics.AvgTimeToFirstToken()
    metric.bind_program(sn.Generator(language_model=lm))
    await lm(ASK)
    assert lm.usage["inference"].streamed_calls == 0 and metric.result() == 0.0


async def test_an_agent_times_its_streamed_answer_from_its_start() -> None:
    def handler(messages: list[dict[str, Any]], schema: Any) -> Any:
        if schema is not None and "tool_calls" in json.dumps(schema) and not any(
                m["role"] == "tool" or "Result of tool call" in str(m.get("content"))
                for m in messages):
            return {"thinking": "", "tool_calls": [{"name": "add", "arguments": {"a": 2,
                                                                               "b": 2}}]}
        if schema is not None and "tool_calls" in json.dumps(schema):
            return {"thinking": "", "tool_calls": []}
        return "The sum is 4."

    async def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    lm = ScriptedLanguageModel(handler=handler)
    agent = sn.FunctionCallingAgent(language_model=lm, tools=[add], streaming=True)
    x = sn.Input(data_model=sn.ChatMessages)
    program = sn.Program(inputs=x, outputs=await agent(x))
    metric = sn.metrics.AvgTrajectoryTimeToFirstToken()
    metric.bind_program(program)
    shown = Shown()
    with streaming_to(shown):
        result = await program(sn.ChatMessages(messages=[{"role": "user",
                                                          "content": "2 + 2?"}]))
    assert result["messages"][-1]["content"] == "The sum is 4."
    assert ["".join(a["pieces"]) for a in shown.answers] == ["The sum is 4."]  # not the steps
    usage = lm.usage["inference"]
    assert (usage.streamed_calls, usage.trajectory_calls) == (1, 1)
    # From the agent's start, so at least the final call's own time to first token.
    assert usage.trajectory_ttft_s >= usage.ttft_s > 0.0
    assert metric.result() == pytest.approx(usage.trajectory_ttft_s)


async def test_batch_loops_and_other_phases_stream_quietly() -> None:
    lm = ScriptedLanguageModel(responses=["an answer"])
    x = sn.Input(data_model=sn.ChatMessages)
    program = sn.Program(inputs=x, outputs=await sn.Generator(language_model=lm,
                                                              streaming=True)(x))
    shown = Shown()
    chats = [sn.ChatMessages(messages=[{"role": "user", "content": str(i)}]) for i in range(3)]
    with streaming_to(shown):
        await program.predict(chats, verbose=0)
        with quiet_streams():
            await lm(ASK, streaming=True)
        with usage_phase("optimizer"):
            await lm(ASK, streaming=True)
    assert shown.answers == []
    assert lm.usage["inference"].streamed_calls == 4  # measured all the same
    assert lm.usage["optimizer"].streamed_calls == 1


async def test_the_configured_sink_and_the_stderr_default(capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    lm = ScriptedLanguageModel(responses=["Hello there"], name="greeter")
    await lm(ASK, streaming=True)
    assert capsys.readouterr() == ("", "[greeter] Hello there\n")  # stdout stays the program's
    seen: list[tuple[str, str]] = []
    sn.config.set_token_sink(lambda label, text: seen.append((label, text)))
    await lm(ASK, streaming=True)
    assert seen == [("greeter", "Hello"), ("greeter", " there")]
    assert capsys.readouterr().err == ""
    with pytest.raises(sn.errors.ConfigError, match="Expected a token sink"):
        sn.config.set_token_sink(42)


def test_writer_sink_marks_an_answer_that_stopped() -> None:
    out = io.StringIO()
    stream = WriterSink(out).open("m")
    stream.write("Par")
    stream.close("TimeoutError")
    assert out.getvalue() == "[m] Par [stopped: TimeoutError]\n"


async def test_in_a_kernel_the_registered_sink_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    shown = Shown()
    made: list[int] = []

    def factory() -> Shown:
        made.append(1)
        return shown

    monkeypatch.setattr(streaming_module, "_in_kernel", lambda: True)
    previous = streaming_module._KernelSink.factory
    streaming_module.register_kernel_sink(factory)
    try:
        lm = ScriptedLanguageModel(responses=["from a kernel"])
        await lm(ASK, streaming=True)
        await lm(ASK, streaming=True)
    finally:
        streaming_module.register_kernel_sink(previous)
    assert made == [1]  # made once, on the first streamed call
    assert ["".join(a["pieces"]) for a in shown.answers] == ["from a kernel"] * 2


async def test_a_cache_hit_is_shown_whole_and_not_timed(tmp_path: Path) -> None:
    lm = ScriptedLanguageModel(responses=["cached words"])
    lm.cache = Cache(tmp_path)
    shown = Shown()
    with streaming_to(shown):
        await lm(ASK, streaming=True)
        again = await lm(ASK, streaming=True)
    assert again["content"] == "cached words"
    assert [a["pieces"] for a in shown.answers] == [["cached", " words"], ["cached words"]]
    usage = lm.usage["inference"]
    assert (usage.cache_hits, usage.streamed_calls) == (1, 1)


def test_a_handler_must_answer_with_a_known_kind_of_answer() -> None:
    lm = ScriptedLanguageModel(handler=lambda messages, schema: 42)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match=r"pieces of a streamed answer.*Received: int"):
        asyncio.run(lm(ASK, streaming=True))
    joined = ScriptedLanguageModel(handler=lambda messages, schema: ["a", "b"])
    assert asyncio.run(joined(ASK))["content"] == "ab"  # not streamed: the pieces joined


class FakeLlama:
    """Stands in for llama_cpp.Llama: streams chunks, or fails after the first one."""

    def __init__(self, pieces: list[str], fail: bool = False) -> None:
        self.pieces, self.fail = pieces, fail
        self.n_tokens = 0
        self.requests: list[dict[str, Any]] = []

    def create_chat_completion(self, **request: Any) -> Any:
        self.requests.append(request)
        yield {"choices": [{"delta": {"role": "assistant"}}]}
        for i, piece in enumerate(self.pieces):
            if self.fail and i == 1:
                raise RuntimeError("llama.cpp failed")
            self.n_tokens = 7 + i + 1
            yield {"choices": [{"delta": {"content": piece}}]}


class FakeRuntime:
    def __init__(self, llama: FakeLlama) -> None:
        self.llama = llama

    async def run(self, fn: Any) -> Any:
        return await asyncio.to_thread(fn, self.llama)


async def test_the_embedded_backend_streams_from_its_worker_thread() -> None:
    llama = FakeLlama(['{"answer":', ' "Paris"}'])
    backend = LlamaBackend("local/smollm2")
    backend._runtime = FakeRuntime(llama)  # type: ignore[assignment]
    pieces: list[str] = []
    completion = await backend.generate(ASK, ANSWER, SamplingSettings(), emit=pieces.append)
    assert pieces == ['{"answer":', ' "Paris"}']
    assert completion.text == '{"answer": "Paris"}'
    assert (completion.prompt_tokens, completion.completion_tokens) == (7, 2)
    assert llama.requests[0]["stream"] is True
    assert llama.requests[0]["response_format"]["schema"] == ANSWER
    failing = LlamaBackend("local/smollm2")
    failing._runtime = FakeRuntime(FakeLlama(["a", "b"], fail=True))  # type: ignore[assignment]
    shown: list[str] = []
    with pytest.raises(RuntimeError, match=r"llama\.cpp failed"):
        await failing.generate(ASK, None, SamplingSettings(), emit=shown.append)
    assert shown == ["a"]
