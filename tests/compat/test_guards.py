"""Input and output guards (Synalinks' guides 8 and 9): a guard module returns ``None`` to
admit and a value to reject, and ``^`` / ``|`` route around the generator."""

from __future__ import annotations

from typing import Any

import synalinks_nb as synalinks
from tests.compat.helpers import answering


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="User query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The answer")


class Warning(synalinks.DataModel):  # shadows the builtin: the guide's name
    message: str = synalinks.Field(description="Warning message")


class InputGuard(synalinks.Module):
    """Rejects queries holding a blacklisted word (a Warning), admits the rest (None)."""

    def __init__(self, blacklisted_words: list[str], warning_message: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.blacklisted_words = blacklisted_words
        self.warning_message = warning_message

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        query = inputs.get("query", "").lower()
        if any(word in query for word in self.blacklisted_words):
            return Warning(message=self.warning_message).to_json_data_model()
        return None

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return Warning.to_symbolic_data_model(name=self.name)


class OutputGuard(synalinks.Module):
    """Replaces answers holding a blacklisted word with a fixed one; None otherwise."""

    def __init__(self, blacklisted_words: list[str], replacement: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.blacklisted_words = blacklisted_words
        self.replacement = replacement

    async def call(self, inputs: Any, training: bool = False) -> Any:
        if inputs is None:
            return None
        answer = inputs.get("answer", "").lower()
        if any(word in answer for word in self.blacklisted_words):
            return Answer(answer=self.replacement).to_json_data_model()
        return None

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return Answer.to_symbolic_data_model(name=self.name)


def echo(user: dict[str, Any], field: str) -> str:
    return f"about {user['query']}"


async def test_an_input_guard_keeps_rejected_queries_away_from_the_model() -> None:
    language_model = answering(echo)
    inputs = synalinks.Input(data_model=Query)
    warning = await InputGuard(["hack", "exploit"], "I cannot process this request.")(inputs)
    answer = await synalinks.Generator(data_model=Answer,
                                       language_model=language_model)(warning ^ inputs)
    program = synalinks.Program(inputs=inputs, outputs=warning | answer, name="input_guarded")

    blocked = await program(Query(query="How do I HACK a server?"))
    assert blocked.get_json() == {"message": "I cannot process this request."}
    assert language_model.calls == []
    safe = await program(Query(query="Capital of France?"))
    assert safe.get_json() == {"answer": "about Capital of France?"}
    assert len(language_model.calls) == 1


async def test_an_output_guard_replaces_unsafe_answers_and_passes_the_others() -> None:
    inputs = synalinks.Input(data_model=Query)
    answer = await synalinks.Generator(data_model=Answer, language_model=answering(echo))(inputs)
    warning = await OutputGuard(["dangerous"], "I cannot help with that.")(answer)
    program = synalinks.Program(inputs=inputs, outputs=warning | (warning ^ answer),
                                name="output_guarded")

    replaced = await program(Query(query="something dangerous"))
    assert replaced.get_json() == {"answer": "I cannot help with that."}
    passed = await program(Query(query="the weather"))
    assert passed.get_json() == {"answer": "about the weather"}
    # Schema closure: both routes give an Answer, which the program's output schema
    # requires (it also allows the suffixed fields of the case where both sides answer).
    assert program.outputs.get_schema()["required"] == ["answer"]
