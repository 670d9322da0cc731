"""Image and Audio: a source read once at construction, rendered as a chat content part."""

from __future__ import annotations

import base64
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import synalinks_nb as sn

PIXEL = b"\x89PNG\r\n\x1a\n-not-really-a-png"


@pytest.fixture
def image_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cat.png"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_path_or_a_url_is_inlined_as_base64_at_construction(
        tmp_path: Path, image_server: str) -> None:
    (tmp_path / "cat.png").write_bytes(PIXEL)
    encoded = base64.b64encode(PIXEL).decode()
    from_path = sn.Image(path=str(tmp_path / "cat.png"))
    from_file_url = sn.Image(url=(tmp_path / "cat.png").as_uri())
    from_http = sn.Image(url=image_server)
    for image in (from_path, from_file_url, from_http):
        assert image.to_content_part() == {
            "type": "image_url", "image_url": {"url": f"data:image/png;base64,{encoded}"}}
    assert sn.Image(url="data:image/gif;base64,R0lG").to_content_part()["image_url"] == {
        "url": "data:image/gif;base64,R0lG"}


def test_audio_keeps_its_format_and_a_missing_file_fails_where_it_is_written(
        tmp_path: Path) -> None:
    (tmp_path / "hello.wav").write_bytes(b"RIFF")
    part = sn.Audio(path=str(tmp_path / "hello.wav")).to_content_part()
    assert part == {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}}
    with pytest.raises(ValueError, match="readable file"):
        sn.Image(path=str(tmp_path / "missing.png"))
