"""A Generator on a conversation: Synalinks' chatbot, the messages sent as chat turns."""

from __future__ import annotations

import synalinks_nb as sn


class Query(sn.DataModel):
    query: str


async def test_a_chatbot_program_answers_the_conversation_as_turns() -> None:
    lm = sn.ScriptedLanguageModel(responses=["Paris."])
    inputs = sn.Input(data_model=sn.ChatMessages)
    outputs = await sn.Generator(language_model=lm, streaming=False)(inputs)
    program = sn.Program(inputs=inputs, outputs=outputs, name="simple_chatbot")
    chat = sn.ChatMessages(messages=[
        sn.ChatMessage(role="user", content="Hello! What is the capital of France?")])
    answer = await program(chat)
    assert answer["role"] == "assistant" and answer["content"] == "Paris."
    sent = lm.calls[0].messages
    assert [m["role"] for m in sent] == ["system", "user"]
    assert sent[1] == {"role": "user", "content": "Hello! What is the capital of France?"}
    chat.messages.append(sn.ChatMessage(**answer.get_json()))
    chat.messages.append(sn.ChatMessage(role=sn.ChatRole.USER, content="And of Italy?"))
    await program(chat)
    assert [m["role"] for m in lm.calls[1].messages] == ["system", "user", "assistant", "user"]


async def test_a_conversation_with_its_own_system_prompt_keeps_it() -> None:
    lm = sn.ScriptedLanguageModel(responses=["Ahoy."])
    chat = sn.ChatMessages(messages=[{"role": "system", "content": "Talk like a pirate."},
                                     {"role": "user", "content": "Hi"}])
    await sn.Generator(language_model=lm, instructions="Be formal.")(chat)
    assert lm.calls[0].messages == [{"role": "system", "content": "Talk like a pirate."},
                                    {"role": "user", "content": "Hi"}]


async def test_fields_beside_the_messages_are_a_user_turn_before_them() -> None:
    lm = sn.ScriptedLanguageModel(responses=["ok"])
    trajectory = Query(query="2+2?") + sn.ChatMessages(messages=[
        {"role": "assistant", "content": "thinking"}])
    await sn.Generator(language_model=lm)(trajectory)
    assert lm.calls[0].messages[1:] == [{"role": "user", "content": '{"query": "2+2?"}'},
                                        {"role": "assistant", "content": "thinking"}]
    assert sn.is_chat_messages(trajectory) and not sn.is_strictly_chat_messages(trajectory)
