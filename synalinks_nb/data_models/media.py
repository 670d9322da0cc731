"""``Image`` and ``Audio``: media content parts of a chat message, as in Synalinks.

An image or an audio clip is one part of an OpenAI chat message's ``content`` list;
``to_content_part()`` gives that part. A ``url`` (``http(s)://`` or ``file://``) or a
local ``path`` is read once, at construction, and kept inline as base64 ``data``, so
every provider, local ones included, receives the same self-contained payload and an
unreadable source fails where it is written. A ``data:`` URI or base64 ``data`` is kept
as given.

Content that arrives as JSON rather than through these constructors (a dataset row, a
saved conversation) may keep a *reference*: an ``image_url`` part whose url is
``file://`` or ``http(s)://``, an ``input_audio`` part with a ``path`` or ``url``.
:func:`resolve_content_media`, which every language model runs on the messages it is
about to send, reads those and inlines them for that request only, so a dataset of many
images holds paths, and only the batch in flight holds bytes (as in Synalinks).
"""

from __future__ import annotations

import asyncio
import base64
import mimetypes
import urllib.request
from pathlib import Path
from typing import Any

from pydantic import model_validator

from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = ["Audio", "Image", "normalize_content", "resolve_content_media"]


def _read(url: str | None, path: str | None) -> tuple[bytes, str | None] | None:
    """The bytes and MIME type of a ``path`` or ``url`` source (``None``: nothing to read)."""
    if url is not None and url.startswith("file://"):
        path = url[len("file://"):]
    if path is not None:
        try:
            return Path(path).expanduser().read_bytes(), mimetypes.guess_type(path)[0]
        except OSError as exc:
            raise ValueError(f"Expected a readable file. Received: path={path!r} ({exc})") \
                from exc
    if url is not None and url.startswith(("http://", "https://")):
        # Only http(s) reaches urlopen (file:// is read above, other schemes are kept).
        with urllib.request.urlopen(url, timeout=30) as response:
            mime = response.headers.get_content_type() or mimetypes.guess_type(url)[0]
            return response.read(), mime
    return None


class Image(DataModel):
    """An image for a chat message: give one of ``url``, ``path`` or base64 ``data``.

    Example:
        >>> import base64, synalinks_nb as sn
        >>> png = base64.b64encode(b"...").decode()
        >>> sn.Image(data=png, mime_type="image/png").to_content_part()["image_url"]["url"]
        'data:image/png;base64,Li4u'
    """

    url: str | None = Field(default=None,
                            description="An http(s) URL or a data: URI pointing to the image")
    path: str | None = Field(default=None, description="A local image file; read at once")
    data: str | None = Field(default=None, description="The base64-encoded image bytes")
    mime_type: str | None = Field(default=None, description="The image MIME type")

    @model_validator(mode="after")
    def _inline(self) -> Image:
        if self.data is None:
            read = _read(self.url, self.path)
            if read is not None:
                self.data = base64.b64encode(read[0]).decode("ascii")
                self.mime_type = self.mime_type or read[1]
        return self

    def to_content_part(self) -> dict[str, object]:
        """The OpenAI ``image_url`` content part (an inline ``data:`` URI when read)."""
        if self.data:
            url = f"data:{self.mime_type or 'image/png'};base64,{self.data}"
        else:
            url = self.url or ""
        return {"type": "image_url", "image_url": {"url": url}}


class Audio(DataModel):
    """An audio clip for a chat message: a source and its container ``format``.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.Audio(data="UklGRg==", format="wav").to_content_part()
        {'type': 'input_audio', 'input_audio': {'data': 'UklGRg==', 'format': 'wav'}}
    """

    url: str | None = Field(default=None, description="An http(s) URL to the audio")
    path: str | None = Field(default=None, description="A local audio file; read at once")
    data: str | None = Field(default=None, description="The base64-encoded audio bytes")
    format: str | None = Field(default=None,
                               description="The audio container format, e.g. wav or mp3")

    @model_validator(mode="after")
    def _inline(self) -> Audio:
        if self.data is None:
            read = _read(self.url, self.path)
            if read is not None:
                self.data = base64.b64encode(read[0]).decode("ascii")
                if self.format is None and self.path:
                    self.format = Path(self.path).suffix.lstrip(".") or None
        return self

    def to_content_part(self) -> dict[str, object]:
        """The OpenAI ``input_audio`` content part (inline base64 only)."""
        return {"type": "input_audio", "input_audio": {"data": self.data, "format": self.format}}


def normalize_content(content: Any) -> Any:
    """A chat message's ``content`` in wire shape: in a list, each ``str`` becomes a text
    part and each ``Image``/``Audio`` (anything with ``to_content_part()``) its own part.

    Anything but a list is returned unchanged; dict parts are kept as they are.

    Example:
        >>> parts = normalize_content(["Describe it.", Image(data="AAAA", mime_type="image/png")])
        >>> parts[0], parts[1]["image_url"]["url"]
        ({'type': 'text', 'text': 'Describe it.'}, 'data:image/png;base64,AAAA')
    """
    if not isinstance(content, list):
        return content
    parts = []
    for element in content:
        to_part = getattr(element, "to_content_part", None)
        if isinstance(element, str):
            parts.append({"type": "text", "text": element})
        elif callable(to_part):
            parts.append(to_part())
        else:
            parts.append(element)
    return parts


async def resolve_content_media(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``messages`` with every media reference read and inlined as base64.

    An ``image_url`` part pointing at ``file://`` or ``http(s)://`` becomes a ``data:``
    URI; an ``input_audio`` part with a ``path`` or ``url`` gets its ``data``. Inline
    parts are kept. The given messages are not modified: changed ones are copies.
    Reading happens in a thread, so the event loop keeps running.

    Raises:
        ValueError: a referenced file cannot be read.

    Example:
        >>> import asyncio, pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "dot.png"
        >>> _ = path.write_bytes(b"PNG")
        >>> part = {"type": "image_url", "image_url": {"url": path.as_uri()}}
        >>> sent = asyncio.run(resolve_content_media([{"role": "user", "content": [part]}]))
        >>> sent[0]["content"][0]["image_url"]["url"]
        'data:image/png;base64,UE5H'
        >>> part["image_url"]["url"].startswith("file://")
        True
    """
    resolved = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and any(_is_reference(p) for p in content):
            message = {**message, "content": [await _resolved(p) for p in content]}
        resolved.append(message)
    return resolved


def _is_reference(part: Any) -> bool:
    if not isinstance(part, dict):
        return False
    if part.get("type") == "image_url":
        url = (part.get("image_url") or {}).get("url") or ""
        return isinstance(url, str) and url.startswith(("file://", "http://", "https://"))
    if part.get("type") == "input_audio":
        audio = part.get("input_audio") or {}
        return not audio.get("data") and bool(audio.get("path") or audio.get("url"))
    return False


async def _resolved(part: Any) -> Any:
    if not _is_reference(part):
        return part
    if part["type"] == "image_url":
        url = part["image_url"]["url"]
        raw, mime = await asyncio.to_thread(_read_reference, url, None)
        encoded = base64.b64encode(raw).decode("ascii")
        return {**part, "image_url": {**part["image_url"],
                                      "url": f"data:{mime or 'image/png'};base64,{encoded}"}}
    audio = dict(part["input_audio"])
    path, url = audio.pop("path", None), audio.pop("url", None)
    raw, _ = await asyncio.to_thread(_read_reference, url, path)
    audio["data"] = base64.b64encode(raw).decode("ascii")
    if audio.get("format") is None and path:
        audio["format"] = Path(path).suffix.lstrip(".") or None
    return {**part, "input_audio": audio}


def _read_reference(url: str | None, path: str | None) -> tuple[bytes, str | None]:
    read = _read(url, path)
    if read is None:
        raise ValueError("Expected a file:// or http(s):// media reference. "
                         f"Received: url={url!r}, path={path!r}")
    return read
