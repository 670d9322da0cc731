"""``Image`` and ``Audio``: media content parts of a chat message, as in Synalinks.

An image or an audio clip is one part of an OpenAI chat message's ``content`` list;
``to_content_part()`` gives that part. A ``url`` (``http(s)://`` or ``file://``) or a
local ``path`` is read once, at construction, and kept inline as base64 ``data``, so
every provider, local ones included, receives the same self-contained payload and an
unreadable source fails where it is written. A ``data:`` URI or base64 ``data`` is kept
as given.
"""

from __future__ import annotations

import base64
import mimetypes
import urllib.request
from pathlib import Path

from pydantic import model_validator

from synalinks_nb.data_models.data_model import DataModel, Field

__all__ = ["Audio", "Image"]


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
