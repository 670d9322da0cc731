"""Agents, written as Synalinks' agents guide and its autonomous/interactive examples do."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import synalinks_nb as synalinks


class Query(synalinks.DataModel):
    """User request."""

    query: str = synalinks.Field(description="User request")


class Answer(synalinks.DataModel):
    """Final answer."""

    answer: str = synalinks.Field(description="Final answer to the user")


class NumericalFinalAnswer(synalinks.DataModel):
    final_answer: float = synalinks.Field(description="The correct final numerical answer")


async def calculator(expression: str):  # type: ignore[no-untyped-def]
    """Evaluate a mathematical expression.

    Args:
        expression (str): A mathematical expression like '2 + 2' or '15 * 23'.
    """
    if not all(char in "0123456789+-*/(). " for char in expression):
        return {"error": "Invalid characters in expression"}
    try:
        result = eval(expression, {"__builtins__": None}, {})
        return {"result": str(result)}
    except Exception as e:
        return {"error": str(e)}


async def get_current_time():  # type: ignore[no-untyped-def]
    """Get the current date and time."""
    return {"time": datetime.now().strftime("%Y-%m-%d %H:%M:%S")}


async def convert_temperature(value: float, from_unit: str, to_unit: str):  # type: ignore[no-untyped-def]
    """Convert temperature between Celsius and Fahrenheit.

    Args:
        value (float): The temperature value to convert.
        from_unit (str): Source unit ('celsius' or 'fahrenheit').
        to_unit (str): Target unit ('celsius' or 'fahrenheit').
    """
    if from_unit.lower() == "fahrenheit" and to_unit.lower() == "celsius":
        return {"result": f"{(value - 32) * 5 / 9:.1f}C"}
    return {"error": f"Cannot convert from {from_unit} to {to_unit}"}


def _tool_results(messages: list[dict[str, Any]]) -> list[Any]:
    return [m["content"] for m in messages if m["role"] == "tool"]


def math_model() -> synalinks.ScriptedLanguageModel:
    """Calls the calculator once on the expression in the question, then answers with it."""

    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        question = next(m["content"] for m in messages if m["role"] == "user")
        expression = "".join(c for c in question if c in "0123456789+-*/ ").strip()
        results = _tool_results(messages)
        if schema is not None and schema.get("title") == "ToolCalls":
            if results:
                return {"thinking": "I have the result.", "tool_calls": []}
            call = {"name": "calculator", "arguments": {"expression": expression}}
            return {"thinking": "Use the calculator.", "tool_calls": [call]}
        value = results[-1]["result"]
        if schema is None:
            return f"The result is {value}."
        field = next(iter(schema["properties"]))
        kind = schema["properties"][field].get("type")
        return {field: float(value) if kind == "number" else value}

    return synalinks.ScriptedLanguageModel(handler=handler)


async def test_the_agents_guide_complete_example() -> None:
    synalinks.clear_session()
    lm = math_model()
    calculator_tool = synalinks.Tool(calculator)
    time_tool = synalinks.Tool(get_current_time)
    temp_tool = synalinks.Tool(convert_temperature)
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.FunctionCallingAgent(
        data_model=Answer,
        language_model=lm,
        tools=[calculator_tool, time_tool, temp_tool],
        autonomous=True,
        max_iterations=10,
    )(inputs)
    agent = synalinks.Program(inputs=inputs, outputs=outputs, name="tool_agent")
    result = await agent(Query(query="What is 15 * 23 + 7?"))
    assert result["answer"] == "352"
    offered = lm.calls[0].schema["properties"]["tool_calls"]["items"]["anyOf"]
    assert [t["properties"]["name"]["const"] for t in offered] == [
        "calculator", "get_current_time", "convert_temperature"]


async def test_the_autonomous_agent_example_returns_the_trajectory() -> None:
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.FunctionCallingAgent(
        data_model=NumericalFinalAnswer,
        tools=[synalinks.Tool(calculator)],
        language_model=math_model(),
        max_iterations=5,
        return_inputs_with_trajectory=True,
        autonomous=True,
    )(inputs)
    agent = synalinks.Program(inputs=inputs, outputs=outputs, name="math_agent",
                              description="A math agent")
    response = await agent(Query(query="How much is 152648 + 485?"))
    printed = json.loads(response.prettify_json())
    assert printed["final_answer"] == 153133.0
    assert printed["messages"][0]["tool_calls"][0]["function"] == {
        "name": "calculator", "arguments": {"expression": "152648 + 485"}}
    assert printed["messages"][1]["content"] == {"result": "153133"}


async def test_the_interactive_agent_example_loop() -> None:
    inputs = synalinks.Input(data_model=synalinks.ChatMessages)
    outputs = await synalinks.FunctionCallingAgent(
        tools=[synalinks.Tool(calculator)],
        language_model=math_model(),
        return_inputs_with_trajectory=True,
        autonomous=False,
    )(inputs)
    agent = synalinks.Program(inputs=inputs, outputs=outputs, name="interactive_math_agent")
    input_messages = synalinks.ChatMessages(messages=[
        synalinks.ChatMessage(role="user", content="Calculate 152648 + 485.")])
    seen = []
    for _ in range(5):
        response = await agent(input_messages)
        assistant_message = response.get("messages")[-1]
        tool_calls = assistant_message.get("tool_calls")
        if not tool_calls:
            final = assistant_message.get("content")
            break
        for tool_call in tool_calls:
            fn = tool_call.get("function", tool_call)
            seen.append((fn.get("name"), fn.get("arguments")))
        input_messages.messages.append(assistant_message)
    assert seen == [("calculator", {"expression": "152648 + 485"})]
    assert final == "The result is 153133."
