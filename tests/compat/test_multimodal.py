"""Multimodal inputs, written as Synalinks' guide 31 does: images and audio in chat messages.

The guide's photo comes from the network and its model is a vision model served by Ollama;
here the photo is a local file and the model a scripted one that reports what it received.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as synalinks

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwAB"
                       "BAEAwS2OUAAAAABJRU5ErkJggg==")


def captioner() -> synalinks.ScriptedLanguageModel:
    """Describes the parts of the last user turn: text, and each image's MIME type and size."""

    def handler(messages: list[dict[str, Any]], schema: dict[str, Any] | None) -> Any:
        seen = []
        for part in messages[-1]["content"]:
            if part["type"] == "text":
                seen.append(f"text:{part['text']}")
            elif part["type"] == "image_url":
                head, _, data = part["image_url"]["url"].partition(",")
                seen.append(f"{head}:{len(base64.b64decode(data))} bytes")
            else:
                audio = part["input_audio"]
                seen.append(f"audio/{audio['format']}:{len(base64.b64decode(audio['data']))} bytes")
        return " | ".join(seen)

    return synalinks.ScriptedLanguageModel(handler=handler)


async def captioning_program(inputs: Any = None) -> synalinks.Program:
    inputs = inputs if inputs is not None else synalinks.Input(
        data_model=synalinks.ChatMessages)
    # data_model=None -> free-form ChatMessage out, no structured-output schema.
    outputs = await synalinks.Generator(data_model=None, language_model=captioner())(inputs)
    return synalinks.Program(inputs=inputs, outputs=outputs, name="captioner")


async def test_an_image_from_a_file_and_a_data_uri_reach_the_model_inline(
        tmp_path: Path) -> None:
    photo = tmp_path / "dog.png"
    photo.write_bytes(PNG)
    program = await captioning_program()
    image = synalinks.Image(path=str(photo))  # read at construction, kept inline
    result = await program(synalinks.ChatMessages(messages=[synalinks.ChatMessage(
        role="user", content=["Describe this image in one short sentence.", image])]))
    assert result["content"] == (
        f"text:Describe this image in one short sentence. | data:image/png;base64:{len(PNG)} bytes")
    data_uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    again = await program(synalinks.ChatMessages(messages=[synalinks.ChatMessage(
        role="user", content=["Same?", synalinks.Image(url=data_uri)])]))
    assert again["content"].endswith(f"data:image/png;base64:{len(PNG)} bytes")
    assert base64.b64decode(image.data) == PNG


async def test_image_input_and_audio_input_are_chat_inputs(tmp_path: Path) -> None:
    clip = tmp_path / "note.wav"
    clip.write_bytes(b"RIFF0000WAVE")
    program = await captioning_program(synalinks.AudioInput())
    result = await program(synalinks.ChatMessages(messages=[synalinks.ChatMessage(
        role="user", content=["Transcribe.", synalinks.Audio(path=str(clip))])]))
    assert result["content"] == "text:Transcribe. | audio/wav:12 bytes"
    image_program = await captioning_program(synalinks.ImageInput(name="photo"))
    seen = await image_program(synalinks.ChatMessages(messages=[synalinks.ChatMessage(
        role="user", content=[synalinks.Image(data="AAAA", mime_type="image/jpeg")])]))
    assert seen["content"] == "data:image/jpeg;base64:3 bytes"


async def test_dataset_rows_keep_file_references_until_their_batch_is_sent(
        tmp_path: Path) -> None:
    # As the guide's datasets do: rows are JSON holding file:// references; each batch's
    # files are read and inlined when its request goes out, the rows themselves keep paths.
    paths = []
    for name, size in (("a.png", 3), ("b.png", 5)):
        path = tmp_path / name
        path.write_bytes(b"x" * size)
        paths.append(path)
    rows = [synalinks.ChatMessages.model_validate_json(json.dumps({"messages": [{
        "role": "user", "content": [
            {"type": "text", "text": "Describe this image."},
            {"type": "image_url", "image_url": {"url": path.as_uri()}}]}]}))
        for path in paths]
    program = await captioning_program()
    captions = await program.predict(rows, verbose=0)
    assert [c["content"].split(" | ")[1] for c in captions] == [
        "data:image/png;base64:3 bytes", "data:image/png;base64:5 bytes"]
    assert rows[0].messages[0].content[1]["image_url"]["url"] == paths[0].as_uri()


def test_an_unreadable_image_fails_where_it_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing\.png"):
        synalinks.Image(path=str(tmp_path / "missing.png"))
